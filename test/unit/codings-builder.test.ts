import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodingsBuilder, packKey } from '../../src/core/codings.js';

/**
 * The definition, written plainly: each unit's distinct codes in ascending order; a pair given twice
 * is a duplicate; a unit given both "reviewed, no code" (code −1) and a code is a contradiction and
 * keeps its codes.
 */
function reference(pairs: ReadonlyArray<readonly [number, number]>) {
  const byUnit = new Map<number, Set<number>>();
  const seen = new Set<number>();
  const duplicates = new Set<number>();
  for (const [unit, code] of pairs) {
    const key = packKey(unit, code);
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
    if (!byUnit.has(unit)) byUnit.set(unit, new Set());
    byUnit.get(unit)!.add(code);
  }
  const units = [...byUnit.keys()].sort((a, b) => a - b);
  const contradictions = units.filter((unit) => byUnit.get(unit)!.has(-1) && byUnit.get(unit)!.size > 1);
  return {
    units,
    codes: units.map((unit) => [...byUnit.get(unit)!].filter((code) => code >= 0).sort((a, b) => a - b)),
    duplicates: [...duplicates].sort((a, b) => a - b),
    contradictions,
  };
}

describe('CodingsBuilder.build', () => {
  it('gives each unit its distinct codes and reports duplicates and contradictions, in any input order', () => {
    const pair = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -1, max: 5 }));
    fc.assert(
      fc.property(
        fc.array(pair, { maxLength: 80 }),
        fc.constantFrom('as given', 'sorted', 'by unit'),
        (given, order) => {
          const pairs =
            order === 'sorted'
              ? [...given].sort((a, b) => packKey(a[0], a[1]) - packKey(b[0], b[1]))
              : order === 'by unit'
                ? [...given].sort((a, b) => a[0] - b[0])
                : given;
          const builder = new CodingsBuilder();
          for (const [line, [unit, code]] of pairs.entries()) builder.add(unit, code, line + 2);
          const { codings, duplicates, contradictions } = builder.build();
          const expected = reference(pairs);
          expect([...codings.units]).toEqual(expected.units);
          expect(expected.units.map((_, position) => [...codings.codesAt(position)])).toEqual(expected.codes);
          expect(duplicates.map((duplicate) => duplicate.key)).toEqual(expected.duplicates);
          expect(contradictions.map((contradiction) => contradiction.unitIndex)).toEqual(
            expected.contradictions,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sorts millions of pairs in blocks, with a unit whose codes cross from one block to the next', () => {
    // 2.5M pairs: units of three codes each, given in descending code order, so every unit's run is
    // sorted in place and run 349,525 (pairs 1,048,575–1,048,577) crosses the first block's end.
    const builder = new CodingsBuilder();
    const units = 833_334;
    for (let unit = 0; unit < units; unit++)
      for (let code = 2; code >= 0; code--) builder.add(unit, (unit % 5) + code, unit * 3 + (2 - code) + 2);
    builder.add(units - 1, (units - 1) % 5, 9_999_999); // a duplicate of the last unit's lowest code
    const { codings, duplicates, contradictions } = builder.build();
    expect(codings.size).toBe(units);
    for (const unit of [0, 349_525, 349_526, units - 1])
      expect([...codings.codesAt(unit)]).toEqual([unit % 5, (unit % 5) + 1, (unit % 5) + 2]);
    expect(codings.pairs).toBe(units * 3);
    expect(duplicates).toEqual([
      { key: packKey(units - 1, (units - 1) % 5), lines: [(units - 1) * 3 + 4, 9_999_999] },
    ]);
    expect(contradictions).toEqual([]);
  });
});
