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
 * @param coders the coders' codings, primary first when there is one
 * @param primary index in `coders` of the primary coder, or −1
 * @param adjudicated final codes of settled units (unit index → sorted code indices)
 */
export function finalCodes(
  coders: readonly Codings[],
  primary: number,
  adjudicated: ReadonlyMap<number, readonly number[]>,
): FinalCodes {
  const units = new Set<number>();
  for (const codings of coders) for (const unit of codings.units) units.add(unit);
  for (const unit of adjudicated.keys()) units.add(unit);
  const ordered = [...units].sort((left, right) => left - right);
  const keys: number[] = [];
  const sources: FinalSource[] = [];
  for (const unit of ordered) {
    let codes: ArrayLike<number>;
    let source: FinalSource;
    const settled = adjudicated.get(unit);
    const given = coders
      .map((codings) => codings.codesOf(unit))
      .filter((codes): codes is Int32Array => codes !== undefined);
    if (settled !== undefined) {
      codes = settled;
      source = 'adjudicated';
    } else if (given.length === 1) {
      codes = given[0]!;
      source = 'single';
    } else if (given.every((codes) => equal(codes, given[0]!))) {
      codes = given[0]!;
      source = 'agreed';
    } else {
      const fromPrimary = primary >= 0 ? coders[primary]!.codesOf(unit) : undefined;
      codes = fromPrimary ?? given[0]!;
      source = fromPrimary ? 'primary' : 'other';
    }
    if (codes.length === 0) keys.push(packKey(unit, -1));
    for (let index = 0; index < codes.length; index++) keys.push(packKey(unit, codes[index]!));
    sources.push(source);
  }
  return { codings: Codings.fromSortedKeys(Float64Array.from(keys).sort()), sources };
}
