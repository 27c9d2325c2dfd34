/**
 * The analysis data set: each unit's final codes. Adjudicated codes where a disagreement was
 * settled; else the codes every coder who reviewed the unit agreed on; else the primary coder's;
 * else (a unit only other coders reviewed) the codes of the first of them in the coders' order.
 * A machine coder named primary fills in only the units no person coded (`withMachineCodes`).
 */
import { Codings, packKey } from './codings.js';

export const finalSources = ['adjudicated', 'agreed', 'primary', 'single', 'other', 'machine'] as const;
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

/**
 * People's final codes, and a machine coder's codes on the units no person coded (source
 * `machine`): a person's codes always win. One walk over both sorted lists.
 * @param human the final codes of the people (from `finalCodes`)
 * @param machine the machine coder's codings
 */
export function withMachineCodes(human: FinalCodes, machine: Codings): FinalCodes {
  // At most one key per pair, and one per unit reviewed without a code.
  const keys = new Float64Array(human.codings.pairs + human.codings.size + machine.pairs + machine.size);
  let length = 0;
  const sources: FinalSource[] = [];
  const copy = (codings: Codings, position: number): void => {
    const unit = codings.units[position]!;
    const codes = codings.codesAt(position);
    if (codes.length === 0) keys[length++] = packKey(unit, -1);
    for (let index = 0; index < codes.length; index++) keys[length++] = packKey(unit, codes[index]!);
  };
  let humanPosition = 0;
  let machinePosition = 0;
  while (humanPosition < human.codings.size || machinePosition < machine.size) {
    const humanUnit =
      humanPosition < human.codings.size ? human.codings.units[humanPosition]! : Number.POSITIVE_INFINITY;
    const machineUnit =
      machinePosition < machine.size ? machine.units[machinePosition]! : Number.POSITIVE_INFINITY;
    if (humanUnit <= machineUnit) {
      copy(human.codings, humanPosition);
      sources.push(human.sources[humanPosition]!);
      humanPosition++;
      if (machineUnit === humanUnit) machinePosition++;
    } else {
      copy(machine, machinePosition);
      sources.push('machine');
      machinePosition++;
    }
  }
  return { codings: Codings.fromSortedKeys(keys.subarray(0, length)), sources };
}
