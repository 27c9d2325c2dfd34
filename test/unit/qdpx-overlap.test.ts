import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPositionMap, mergeRanges, unitsCovered } from '../../src/core/overlap.js';
import { normaliseText } from '../../src/io/text.js';

describe('positions of another program’s text, mapped into the stored text', () => {
  it('counts a CRLF as two characters, or as one (ATLAS.ti)', () => {
    const original = 'ab\r\ncd\r\nef';
    const two = buildPositionMap(original, { offsets: 'codepoints', crlf: 'two' });
    expect(two.text).toBe('ab\ncd\nef');
    expect(two.originalLength).toBe(10);
    // "cd" starts at 4 in the original (a, b, CR, LF), at 3 in the stored text.
    expect(two.toNormalised(4)).toBe(3);
    expect(two.toNormalised(6)).toBe(5);
    expect(two.toNormalised(10)).toBe(8);
    // Between CR and LF: after the line end.
    expect(two.toNormalised(3)).toBe(3);
    const one = buildPositionMap(original, { offsets: 'codepoints', crlf: 'one' });
    expect(one.originalLength).toBe(8);
    expect(one.toNormalised(3)).toBe(3);
    expect(one.toNormalised(8)).toBe(8);
  });

  it('counts an astral character as one code point, or as two UTF-16 code units', () => {
    const original = 'x🙂y';
    const points = buildPositionMap(original, { offsets: 'codepoints', crlf: 'two' });
    expect(points.originalLength).toBe(3);
    expect(points.toNormalised(2)).toBe(2);
    const units = buildPositionMap(original, { offsets: 'utf16', crlf: 'two' });
    expect(units.originalLength).toBe(4);
    // "y" is at 3 in UTF-16 code units and at 2 in code points; inside the emoji maps to its end.
    expect(units.toNormalised(3)).toBe(2);
    expect(units.toNormalised(2)).toBe(2);
    expect(units.toNormalised(1)).toBe(1);
  });

  it('follows Unicode normalisation (NFC) and drops a BOM, which positions do not count', () => {
    // "e" + combining acute (two code points) becomes "é" (one).
    const map = buildPositionMap('\uFEFFcafe\u0301 noir', { offsets: 'codepoints', crlf: 'two' });
    expect(map.text).toBe('café noir');
    expect(map.originalLength).toBe(10);
    expect(map.toNormalised(6)).toBe(5);
    expect(map.toNormalised(10)).toBe(9);
    expect(map.exact).toBe(true);
  });

  it('gives undefined for positions outside the text, negative or not whole numbers', () => {
    const map = buildPositionMap('abc', { offsets: 'codepoints', crlf: 'two' });
    expect(map.toNormalised(4)).toBeUndefined();
    expect(map.toNormalised(-1)).toBeUndefined();
    expect(map.toNormalised(Number.NaN)).toBeUndefined();
    expect(map.toNormalised(3)).toBe(3);
  });

  it('makes the same text as the corpus normalisation, and maps monotonically, for any text', () => {
    const pieces = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '\n',
      '\r',
      '\r\n',
      'é',
      'e\u0301',
      '\u1100\u1161',
      '🙂',
      '👍🏽',
      'ﬁ',
      '\u0301',
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 30 }),
        fc.constantFrom('codepoints', 'utf16'),
        fc.constantFrom('two', 'one'),
        (parts, offsets, crlf) => {
          const original = parts.join('');
          const map = buildPositionMap(original, {
            offsets: offsets as 'codepoints' | 'utf16',
            crlf: crlf as 'two' | 'one',
          });
          expect(map.text).toBe(normaliseText(original));
          const length = [...map.text].length;
          let previous = 0;
          for (let position = 0; position <= map.originalLength; position++) {
            const mapped = map.toNormalised(position)!;
            expect(mapped).toBeGreaterThanOrEqual(previous);
            expect(mapped).toBeLessThanOrEqual(length);
            previous = mapped;
          }
          expect(map.toNormalised(map.originalLength)).toBe(length);
        },
      ),
    );
  });
});

describe('which units a coder’s selections cover', () => {
  // Units of "One two. Three four five six. Seven." style: [0,8) [9,29) [30,36)
  const units = [
    { start: 0, end: 8 },
    { start: 9, end: 29 },
    { start: 30, end: 36 },
  ];

  it('any: one character is enough; a selection that ends where a unit starts does not cover it', () => {
    expect(unitsCovered([{ start: 7, end: 9 }], units, 'any')).toEqual([0]);
    expect(unitsCovered([{ start: 7, end: 10 }], units, 'any')).toEqual([0, 1]);
    expect(unitsCovered([{ start: 29, end: 30 }], units, 'any')).toEqual([]);
  });

  it('majority: more than half of the unit’s characters', () => {
    // 10 of 20 characters is half, not more.
    expect(unitsCovered([{ start: 9, end: 19 }], units, 'majority')).toEqual([]);
    expect(unitsCovered([{ start: 9, end: 20 }], units, 'majority')).toEqual([1]);
  });

  it('full: the whole unit, counting two selections that together cover it', () => {
    expect(unitsCovered([{ start: 0, end: 7 }], units, 'full')).toEqual([]);
    expect(unitsCovered([{ start: 0, end: 8 }], units, 'full')).toEqual([0]);
    expect(
      unitsCovered(
        [
          { start: 9, end: 15 },
          { start: 15, end: 29 },
        ],
        units,
        'full',
      ),
    ).toEqual([1]);
  });

  it('merges overlapping and touching ranges, dropping empty ones', () => {
    expect(
      mergeRanges([
        { start: 5, end: 9 },
        { start: 0, end: 3 },
        { start: 3, end: 4 },
        { start: 8, end: 12 },
        { start: 20, end: 20 },
      ]),
    ).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 12 },
    ]);
  });

  it('agrees with a character-by-character count, for any ranges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(40), fc.nat(12)), { maxLength: 6 }),
        fc.constantFrom('any', 'majority', 'full'),
        (pairs, rule) => {
          const ranges = pairs.map(([start, length]) => ({ start, end: start + length }));
          const expected = units
            .map((unit, index) => {
              let covered = 0;
              for (let character = unit.start; character < unit.end; character++)
                if (ranges.some((range) => range.start <= character && character < range.end)) covered++;
              const length = unit.end - unit.start;
              const counts =
                rule === 'any'
                  ? covered > 0
                  : rule === 'majority'
                    ? covered * 2 > length
                    : covered === length;
              return counts ? index : -1;
            })
            .filter((index) => index >= 0);
          expect(unitsCovered(ranges, units, rule as 'any' | 'majority' | 'full')).toEqual(expected);
        },
      ),
    );
  });
});
