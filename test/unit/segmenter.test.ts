/**
 * Segmenting in windows (src/core/segmenter.ts) gives the boundaries that `Intl.Segmenter` gives
 * on the whole text, and code point slicing by checkpoints gives what `Array.from` gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPositionMap } from '../../src/core/overlap.js';
import { CodePointIndex, segmentInWindows } from '../../src/core/segmenter.js';

const pieces = [
  'Word',
  'the',
  'U.S.',
  'é',
  'e\u0301',
  '😀',
  '👍🏽',
  '🇭🇺',
  '. ',
  '! ',
  ' ',
  '\n',
  '\r\n',
  '\n\n',
  'Ünder',
  '中文',
  '?',
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 600 }).map((parts) => parts.join(''));

function boundaries(segments: Iterable<{ index: number }>): number[] {
  return [...segments].map((segment) => segment.index);
}

describe('segmentInWindows', () => {
  it('finds the sentence and grapheme boundaries of the whole text, window by window', () => {
    fc.assert(
      fc.property(text, (value) => {
        for (const granularity of ['sentence', 'grapheme'] as const) {
          const segmenter = new Intl.Segmenter('en', { granularity });
          const whole = boundaries(segmenter.segment(value));
          const windowed = boundaries(
            segmentInWindows(segmenter, value, 0, value.length, { window: 96, margin: 32 }),
          );
          expect(windowed).toEqual(whole);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives offsets in the whole text and lengths for a range of it, in one window or in several', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (value, a, b) => {
        const [start, end] = [a % (value.length + 1), b % (value.length + 1)].sort((x, y) => x - y) as [
          number,
          number,
        ];
        const segmenter = new Intl.Segmenter('es', { granularity: 'sentence' });
        const expected = [...segmenter.segment(value.slice(start, end))].map((piece) => ({
          index: start + piece.index,
          length: piece.segment.length,
        }));
        for (const window of [
          { window: 96, margin: 32 },
          { window: 1 << 20, margin: 1024 },
        ]) {
          expect([...segmentInWindows(segmenter, value, start, end, window)]).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('cuts a segment longer than a window at the window, so that the work stays linear', () => {
    const long = 'a'.repeat(1000);
    const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
    expect(
      boundaries(segmentInWindows(segmenter, long, 0, long.length, { window: 300, margin: 50 })),
    ).toEqual([0, 300, 600, 900]);
  });
});

describe('CodePointIndex', () => {
  it('slices code points as Array.from does', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (value, a, b) => {
        const points = Array.from(value);
        const start = points.length === 0 ? 0 : a % (points.length + 1);
        const end = points.length === 0 ? 0 : b % (points.length + 1);
        const [from, to] = start <= end ? [start, end] : [end, start];
        expect(new CodePointIndex(value).slice(from, to)).toBe(points.slice(from, to).join(''));
      }),
      { numRuns: 300 },
    );
  });
});

describe('buildPositionMap', () => {
  it('gives the normalised text (no BOM, LF, NFC) and maps the end of the text to its end', () => {
    fc.assert(
      fc.property(
        text,
        fc.constantFrom('codepoints', 'utf16'),
        fc.constantFrom('one', 'two'),
        (value, offsets, crlf) => {
          const map = buildPositionMap(`\uFEFF${value}`, {
            offsets: offsets as 'codepoints' | 'utf16',
            crlf: crlf as 'one' | 'two',
          });
          const expected = value.replace(/\r\n?/g, '\n').normalize('NFC');
          expect(map.text).toBe(expected);
          expect(map.toNormalised(map.originalLength)).toBe(Array.from(expected).length);
          expect(map.toNormalised(0)).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
