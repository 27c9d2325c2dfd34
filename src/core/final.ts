/**
 * The analysis data set: each unit's final codes. Adjudicated codes where a disagreement was
 * settled; else the codes every coder who reviewed the unit agreed on; else the primary coder's;
 * else (a unit only other coders reviewed) the codes of the first of them in the coders' order.
 */
import { Codings, packKey } from './codings.js';

export const finalSources = ['adjudicated', 'agreed', 'primary', 'single', 'other'] as const;
export type FinalSource = (typeof finalSources)[number];

export interface FinalCodes {
  codings: Codings;
  /** Where each unit's codes come from, parallel to `codings.units`. */
  sources: FinalSource[];
}

function equal(left: Int32Array, right: Int32Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/**
 * One walk over the coders' sorted units (no set of all units, no lookup per unit), so a million
 * units cost a few typed arrays.
 * @param coders the coders' codings, primary first when there is one
 * @param primary index in `coders` of the primary coder, or −1
 * @param adjudicated final codes of settled units (unit index → sorted code indices)
 */
export function finalCodes(
  coders: readonly Codings[],
  primary: number,
  adjudicated: ReadonlyMap<number, readonly number[]>,
): FinalCodes {
  const positions = coders.map(() => 0);
  const settledUnits = [...adjudicated.keys()].sort((left, right) => left - right);
  let settledPosition = 0;
  let keys = new Float64Array(1024);
  let length = 0;
  const push = (key: number): void => {
    if (length === keys.length) {
      const bigger = new Float64Array(keys.length * 2);
      bigger.set(keys);
      keys = bigger;
    }
    keys[length++] = key;
  };
  const sources: FinalSource[] = [];
  const given: Array<Int32Array | undefined> = coders.map(() => undefined);
  for (;;) {
    // The next unit: the smallest unit any coder (or the adjudication) has not passed yet.
    let unit = Number.POSITIVE_INFINITY;
    for (const [index, codings] of coders.entries())
      if (positions[index]! < codings.size) unit = Math.min(unit, codings.units[positions[index]!]!);
    if (settledPosition < settledUnits.length) unit = Math.min(unit, settledUnits[settledPosition]!);
    if (unit === Number.POSITIVE_INFINITY) break;
    let reviewedBy = 0;
    let first = -1;
    for (const [index, codings] of coders.entries()) {
      const position = positions[index]!;
      if (position < codings.size && codings.units[position] === unit) {
        given[index] = codings.codesAt(position);
        positions[index] = position + 1;
        reviewedBy++;
        if (first < 0) first = index;
      } else given[index] = undefined;
    }
    let codes: ArrayLike<number>;
    let source: FinalSource;
    const settled = settledUnits[settledPosition] === unit ? adjudicated.get(unit) : undefined;
    if (settled !== undefined) settledPosition++;
    if (settled !== undefined) {
      codes = settled;
      source = 'adjudicated';
    } else if (reviewedBy === 1) {
      codes = given[first]!;
      source = 'single';
    } else if (given.every((list) => list === undefined || equal(list, given[first]!))) {
      codes = given[first]!;
      source = 'agreed';
    } else if (primary >= 0 && given[primary] !== undefined) {
      codes = given[primary]!;
      source = 'primary';
    } else {
      codes = given[first]!;
      source = 'other';
    }
    if (codes.length === 0) push(packKey(unit, -1));
    for (let index = 0; index < codes.length; index++) push(packKey(unit, codes[index]!));
    sources.push(source);
  }
  return { codings: Codings.fromSortedKeys(keys.subarray(0, length)), sources };
}
