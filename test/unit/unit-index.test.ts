import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedUnitIndex, GrowingUnitIndex } from '../../src/core/units.js';

/** The plain definition: each new id gets the next index, in order of first appearance. */
function reference(ids: readonly string[]): { indices: number[]; order: string[] } {
  const byId = new Map<string, number>();
  const indices = ids.map((id) => {
    let index = byId.get(id);
    if (index === undefined) {
      index = byId.size;
      byId.set(id, index);
    }
    return index;
  });
  return { indices, order: [...byId.keys()] };
}

describe('GrowingUnitIndex', () => {
  it('numbers ids in order of first appearance, ascending or not, read whole or from a slice', () => {
    const id = fc.string({ unit: fc.constantFrom('a', 'b', 'D', '0', '1', '-', 'é', '😀'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(id, { maxLength: 60 }), fc.boolean(), fc.boolean(), (ids, sortFirst, sliced) => {
        const input = sortFirst ? [...ids].sort() : ids;
        const expected = reference(input);
        const index = new GrowingUnitIndex();
        const got = input.map((value) =>
          sliced ? index.indexOfSlice(`<${value}>`, 1, value.length + 1) : index.indexOf(value),
        );
        expect(got).toEqual(expected.indices);
        expect(index.size).toBe(expected.order.length);
        expect(Array.from({ length: index.size }, (_, at) => index.idAt(at))).toEqual(expected.order);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps long ids whole', () => {
    const index = new GrowingUnitIndex();
    const long = 'x'.repeat(10_000);
    expect(index.indexOf('a')).toBe(0);
    expect(index.indexOf(long)).toBe(1);
    expect(index.idAt(1)).toBe(long);
    expect(index.indexOf('a')).toBe(0); // not ascending: the table takes over
    expect(index.idAt(1)).toBe(long);
  });
});

describe('FixedUnitIndex', () => {
  it('finds each corpus id, in corpus order or not, and −1 for an id not in the corpus', () => {
    const id = fc.string({ unit: fc.constantFrom('a', 'b', ':', '1', 'é'), minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { maxLength: 30 }),
        fc.array(fc.oneof(fc.nat(), id), { maxLength: 60 }),
        (corpus, lookups) => {
          const index = new FixedUnitIndex(corpus);
          for (const lookup of lookups) {
            const value =
              typeof lookup === 'number' ? (corpus[lookup % Math.max(corpus.length, 1)] ?? 'zz') : lookup;
            expect(index.indexOfSlice(`,${value},`, 1, value.length + 1)).toBe(corpus.indexOf(value));
            expect(index.indexOf(value)).toBe(corpus.indexOf(value));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
