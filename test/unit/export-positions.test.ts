/** Positions written into an exported project, as the target program counts them (issue 20). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportedText,
  exportPosition,
  lineEndsOf,
  originalTextFacts,
  sameCounting,
} from '../../src/core/export-positions.js';

describe('exportPosition', () => {
  it('counts astral characters twice for UTF-16 and a line end twice when written as CRLF and counted so', () => {
    // a 😀 \n b: code points 0 1 2 3; exported for NVivo as "a😀\r\nb", where b is at UTF-16 index 5.
    const text = 'a😀\nb';
    expect(exportPosition(text, { offsets: 'utf16', crlf: 'two', lineEnds: 'crlf' })(3)).toBe(5);
    expect(exportPosition(text, { offsets: 'utf16', crlf: 'one', lineEnds: 'crlf' })(3)).toBe(4);
    expect(exportPosition(text, { offsets: 'codepoints', crlf: 'two', lineEnds: 'crlf' })(3)).toBe(4);
    expect(exportPosition(text, { offsets: 'codepoints', crlf: 'two', lineEnds: 'lf' })(3)).toBe(3);
    expect(exportedText(text, 'crlf')).toBe('a😀\r\nb');
  });

  it('puts every code point offset on the same character of the exported text, for every reading (property)', () => {
    const pieces = fc.constantFrom('a', 'é', ' ', '\n', '😀', '👍🏽', '🇲🇽', 'ß', '中');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const codePoints = [...text];
        for (const lineEnds of ['lf', 'crlf'] as const) {
          const exported = exportedText(text, lineEnds);
          const exportedCodePoints = [...exported];
          for (const offsets of ['utf16', 'codepoints'] as const) {
            for (const crlf of ['one', 'two'] as const) {
              const position = exportPosition(text, { offsets, crlf, lineEnds });
              for (let offset = 0; offset <= codePoints.length; offset++) {
                const before = codePoints
                  .slice(0, offset)
                  .join('')
                  .replace(/\n/g, lineEnds === 'crlf' ? '\r\n' : '\n');
                // What the target program counts before the position: the exported text up to there.
                const counted = offsets === 'utf16' ? before.length : [...before].length;
                const expected =
                  lineEnds === 'crlf' && crlf === 'one'
                    ? counted - (before.match(/\r\n/g) ?? []).length
                    : counted;
                if (position(offset) !== expected) return false;
              }
              if (offsets === 'utf16' && crlf === 'two' && position(codePoints.length) !== exported.length)
                return false;
              if (
                offsets === 'codepoints' &&
                crlf === 'two' &&
                position(codePoints.length) !== exportedCodePoints.length
              )
                return false;
            }
          }
        }
        return true;
      }),
    );
  });
});

describe('the facts of an original text', () => {
  it('records its line ends, its BOM, and a hash of the text without the BOM', () => {
    expect(lineEndsOf('a\r\nb\r\n')).toBe('crlf');
    expect(lineEndsOf('a\nb')).toBe('lf');
    expect(lineEndsOf('a\rb')).toBe('cr');
    expect(lineEndsOf('a\r\nb\nc')).toBe('mixed');
    expect(lineEndsOf('ab')).toBe('none');
    const withBom = originalTextFacts('\uFEFFa\r\n');
    expect(withBom).toMatchObject({ bom: true, lineEnds: 'crlf' });
    expect(withBom.original).toBe(originalTextFacts('a\r\n').original);
    expect(
      sameCounting({ offsets: 'utf16', crlf: 'two' }, { offsets: 'utf16', crlf: 'two', lineEnds: 'crlf' }),
    ).toBe(true);
    expect(
      sameCounting(
        { offsets: 'utf16', crlf: 'two' },
        { offsets: 'codepoints', crlf: 'two', lineEnds: 'crlf' },
      ),
    ).toBe(false);
  });
});
