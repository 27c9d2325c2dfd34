/**
 * One coder's codings in compact form, for a handful or for millions of units: units (by index)
 * in order, each with its sorted code indices, stored as flat typed arrays (compressed sparse
 * rows) rather than an object per row. A unit with no codes was reviewed and left without a code;
 * a unit absent was not reviewed — the two are different data and stay apart everywhere.
 */

/** Largest number of codes the packed keys allow. */
export const maxCodes = 65534;
const codeSlots = 65536;

/** Pack (unit, code) into one number that sorts by unit, then code; code −1 means "reviewed, no code". */
export function packKey(unitIndex: number, codeIndex: number): number {
  return unitIndex * codeSlots + (codeIndex + 1);
}

export function unpackKey(key: number): { unitIndex: number; codeIndex: number } {
  const unitIndex = Math.floor(key / codeSlots);
  return { unitIndex, codeIndex: key - unitIndex * codeSlots - 1 };
}

export class Codings {
  /** Unit indices, ascending. */
  readonly units: Int32Array;
  /** codes[offsets[i] .. offsets[i+1]) are the code indices of units[i], ascending. */
  readonly offsets: Int32Array;
  readonly codes: Int32Array;

  constructor(units: Int32Array, offsets: Int32Array, codes: Int32Array) {
    this.units = units;
    this.offsets = offsets;
    this.codes = codes;
  }

  /** Number of units reviewed. */
  get size(): number {
    return this.units.length;
  }

  /** Number of (unit, code) pairs, not counting reviewed-without-code units. */
  get pairs(): number {
    return this.codes.length;
  }

  /** Position of a unit in `units`, or −1 when the coder did not review it. */
  positionOf(unitIndex: number): number {
    let low = 0;
    let high = this.units.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.units[middle]!;
      if (value === unitIndex) return middle;
      if (value < unitIndex) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** The codes of the unit at a position. */
  codesAt(position: number): Int32Array {
    return this.codes.subarray(this.offsets[position]!, this.offsets[position + 1]!);
  }

  /** The codes of a unit, or undefined when not reviewed. */
  codesOf(unitIndex: number): Int32Array | undefined {
    const position = this.positionOf(unitIndex);
    return position < 0 ? undefined : this.codesAt(position);
  }

  static empty(): Codings {
    return new Codings(new Int32Array(0), new Int32Array(1), new Int32Array(0));
  }

  /** Build from sorted, de-duplicated packed keys. */
  static fromSortedKeys(keys: Float64Array): Codings {
    let unitCount = 0;
    let codeCount = 0;
    let previousUnit = -1;
    for (const key of keys) {
      const unitIndex = Math.floor(key / codeSlots);
      if (unitIndex !== previousUnit) {
        unitCount++;
        previousUnit = unitIndex;
      }
      if (key - unitIndex * codeSlots > 0) codeCount++;
    }
    const units = new Int32Array(unitCount);
    const offsets = new Int32Array(unitCount + 1);
    const codes = new Int32Array(codeCount);
    let unitPosition = -1;
    let codePosition = 0;
    previousUnit = -1;
    for (const key of keys) {
      const unitIndex = Math.floor(key / codeSlots);
      if (unitIndex !== previousUnit) {
        unitPosition++;
        units[unitPosition] = unitIndex;
        offsets[unitPosition] = codePosition;
        previousUnit = unitIndex;
      }
      const codeIndex = key - unitIndex * codeSlots - 1;
      if (codeIndex >= 0) codes[codePosition++] = codeIndex;
    }
    offsets[unitCount] = codePosition;
    return new Codings(units, offsets, codes);
  }

  /**
   * The same codings with every code index renumbered (`newIndex[old]`), codes sorted again within
   * each unit. Linear in the pairs: no global sort, since the units keep their order.
   */
  withCodesRenumbered(newIndex: ArrayLike<number>): Codings {
    const codes = new Int32Array(this.codes.length);
    for (let index = 0; index < codes.length; index++) codes[index] = newIndex[this.codes[index]!]!;
    for (let position = 0; position < this.units.length; position++)
      sortRun(codes, this.offsets[position]!, this.offsets[position + 1]!);
    return new Codings(this.units, this.offsets, codes);
  }

  /** The packed keys of every (unit, code) pair, with −1 for reviewed-without-code units; ascending. */
  keys(): Float64Array {
    const keys = new Float64Array(this.codes.length + this.units.length);
    let count = 0;
    for (let position = 0; position < this.units.length; position++) {
      const start = this.offsets[position]!;
      const end = this.offsets[position + 1]!;
      if (start === end) keys[count++] = packKey(this.units[position]!, -1);
      for (let index = start; index < end; index++)
        keys[count++] = packKey(this.units[position]!, this.codes[index]!);
    }
    return keys.subarray(0, count);
  }
}

/**
 * Collects (unit, code) pairs as they are read, remembering each pair's line so that problems
 * found after sorting (duplicates, two codes of an exclusive category) can be reported where they are.
 */
export class CodingsBuilder {
  private keys = new Float64Array(1024);
  private lines = new Int32Array(1024);
  private length = 0;
  /** Whether the keys arrived in ascending order (files sorted by unit need no sort). */
  private ascending = true;
  /** Whether the units arrived in ascending order (then only each unit's few codes need sorting). */
  private unitsAscending = true;
  private lastUnit = -1;

  get count(): number {
    return this.length;
  }

  add(unitIndex: number, codeIndex: number, line: number): void {
    if (this.length === this.keys.length) {
      const keys = new Float64Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const lines = new Int32Array(this.lines.length * 2);
      lines.set(this.lines);
      this.lines = lines;
    }
    const key = packKey(unitIndex, codeIndex);
    if (this.length > 0 && key < this.keys[this.length - 1]!) this.ascending = false;
    if (unitIndex < this.lastUnit) this.unitsAscending = false;
    this.lastUnit = unitIndex;
    this.keys[this.length] = key;
    this.lines[this.length] = line;
    this.length++;
  }

  /**
   * Sort and build. Duplicated pairs are dropped from the result and returned with all their
   * lines, as are units marked "reviewed, no code" that also carry a code.
   */
  build(): {
    codings: Codings;
    duplicates: Array<{ key: number; lines: number[] }>;
    contradictions: Array<{ unitIndex: number; lines: number[] }>;
  } {
    let sorted: Float64Array;
    if (this.ascending) sorted = this.keys.subarray(0, this.length);
    else if (this.unitsAscending) {
      // Files in unit order (the common case) only need each unit's run of keys sorted.
      sorted = this.keys.slice(0, this.length);
      let start = 0;
      for (let index = 1; index <= sorted.length; index++) {
        if (
          index === sorted.length ||
          Math.floor(sorted[index]! / codeSlots) !== Math.floor(sorted[start]! / codeSlots)
        ) {
          sortRun(sorted, start, index);
          start = index;
        }
      }
    } else sorted = this.keys.slice(0, this.length).sort();
    const duplicateKeys = new Set<number>();
    const contradictoryUnits = new Set<number>();
    // One pass from the sorted keys to compressed rows, dropping repeated keys as it goes.
    const units = new Int32Array(sorted.length);
    const offsets = new Int32Array(sorted.length + 1);
    const codes = new Int32Array(sorted.length);
    let unitCount = 0;
    let codeCount = 0;
    let lastKey = -1;
    let lastUnit = -1;
    let lastWasNoCode = false;
    for (let index = 0; index < sorted.length; index++) {
      const key = sorted[index]!;
      if (key === lastKey) {
        duplicateKeys.add(key);
        continue;
      }
      lastKey = key;
      const unitIndex = Math.floor(key / codeSlots);
      const codeIndex = key - unitIndex * codeSlots - 1;
      if (unitIndex !== lastUnit) {
        units[unitCount] = unitIndex;
        offsets[unitCount++] = codeCount;
        lastUnit = unitIndex;
      } else if (lastWasNoCode) {
        // A "reviewed, no code" key sorts first within its unit; a following code key contradicts it.
        contradictoryUnits.add(unitIndex);
      }
      if (codeIndex >= 0) codes[codeCount++] = codeIndex;
      lastWasNoCode = codeIndex < 0;
    }
    offsets[unitCount] = codeCount;
    const codings = new Codings(
      units.slice(0, unitCount),
      offsets.slice(0, unitCount + 1),
      codes.slice(0, codeCount),
    );
    const duplicates = [...duplicateKeys]
      .sort((left, right) => left - right)
      .map((key) => ({ key, lines: this.linesOf((candidate) => candidate === key) }));
    const contradictions = [...contradictoryUnits]
      .sort((left, right) => left - right)
      .map((unitIndex) => ({
        unitIndex,
        lines: this.linesOf((candidate) => Math.floor(candidate / codeSlots) === unitIndex),
      }));
    return { codings, duplicates, contradictions };
  }

  /** Lines of the pairs whose key matches (a scan, used only to report problems). */
  linesOf(matches: (key: number) => boolean): number[] {
    const found: number[] = [];
    for (let index = 0; index < this.length; index++)
      if (matches(this.keys[index]!)) found.push(this.lines[index]!);
    return found.sort((left, right) => left - right);
  }
}

/** Sort `values[start..end)` ascending: insertion sort for the short runs of one unit's codes. */
function sortRun(values: Int32Array | Float64Array, start: number, end: number): void {
  if (end - start > 32) {
    values.subarray(start, end).sort();
    return;
  }
  for (let index = start + 1; index < end; index++) {
    const value = values[index]!;
    let target = index - 1;
    while (target >= start && values[target]! > value) {
      values[target + 1] = values[target]!;
      target--;
    }
    values[target + 1] = value;
  }
}
