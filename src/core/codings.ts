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

/** Pairs are kept in blocks of this many, so that millions of them need no copy to grow. */
const blockBits = 20;
const blockSize = 1 << blockBits;
const blockMask = blockSize - 1;

/**
 * Collects (unit, code) pairs as they are read, remembering each pair's line so that problems
 * found after sorting (duplicates, two codes of an exclusive category) can be reported where they are.
 * Pairs are stored in blocks (the first one grows by doubling up to a block's size), so a builder of
 * millions of pairs holds about what it needs, and growing never copies them.
 */
export class CodingsBuilder {
  private keyBlocks: Float64Array[] = [new Float64Array(1024)];
  private lineBlocks: Int32Array[] = [new Int32Array(1024)];
  private length = 0;
  /** Whether the keys arrived in ascending order (files sorted by unit need no sort). */
  private ascending = true;
  /** Whether the units arrived in ascending order (then only each unit's few codes need sorting). */
  private unitsAscending = true;
  private lastUnit = -1;
  private lastKey = -1;
  /** How often the unit changed from one pair to the next: at least the number of units. */
  private unitRuns = 0;

  get count(): number {
    return this.length;
  }

  add(unitIndex: number, codeIndex: number, line: number): void {
    const block = this.length >>> blockBits;
    const offset = this.length & blockMask;
    if (block === this.keyBlocks.length) {
      this.keyBlocks.push(new Float64Array(blockSize));
      this.lineBlocks.push(new Int32Array(blockSize));
    } else if (offset === this.keyBlocks[block]!.length) {
      // Only the first block is ever short: double it.
      const keys = new Float64Array(offset * 2);
      keys.set(this.keyBlocks[block]!);
      this.keyBlocks[block] = keys;
      const lines = new Int32Array(offset * 2);
      lines.set(this.lineBlocks[block]!);
      this.lineBlocks[block] = lines;
    }
    const key = packKey(unitIndex, codeIndex);
    if (key < this.lastKey) this.ascending = false;
    if (unitIndex < this.lastUnit) this.unitsAscending = false;
    if (unitIndex !== this.lastUnit) this.unitRuns++;
    this.lastUnit = unitIndex;
    this.lastKey = key;
    this.keyBlocks[block]![offset] = key;
    this.lineBlocks[block]![offset] = line;
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
    let sorted: Float64Array[];
    let unitBound = this.unitRuns;
    if (this.ascending) sorted = this.keyBlocks;
    else if (this.unitsAscending) {
      // Files in unit order (the common case) only need each unit's run of keys sorted, in place,
      // with their lines, so that the lines still belong to their keys.
      this.sortUnitRuns();
      sorted = this.keyBlocks;
    } else {
      const all = new Float64Array(this.length);
      for (let index = 0; index < this.length; index++) all[index] = this.keyAt(index);
      sorted = [all.sort()];
      unitBound = this.length;
    }
    const duplicateKeys = new Set<number>();
    const contradictoryUnits = new Set<number>();
    // One pass from the sorted keys to compressed rows, dropping repeated keys as it goes.
    const units = new Int32Array(unitBound);
    const offsets = new Int32Array(unitBound + 1);
    let codes = new Int32Array(this.length);
    let unitCount = 0;
    let codeCount = 0;
    let lastKey = -1;
    let lastUnit = -1;
    let lastWasNoCode = false;
    let left = this.length;
    for (const block of sorted) {
      const used = Math.min(block.length, left);
      left -= used;
      for (let index = 0; index < used; index++) {
        const key = block[index]!;
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
    }
    offsets[unitCount] = codeCount;
    // Keep the exact arrays; a copy only where much of one would be unused.
    codes = codeCount * 10 < codes.length * 9 ? codes.slice(0, codeCount) : codes.subarray(0, codeCount);
    const codings = new Codings(
      unitCount === unitBound ? units : units.slice(0, unitCount),
      unitCount === unitBound ? offsets : offsets.slice(0, unitCount + 1),
      codes,
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
      if (matches(this.keyAt(index))) found.push(this.lineBlocks[index >>> blockBits]![index & blockMask]!);
    return found.sort((left, right) => left - right);
  }

  private keyAt(index: number): number {
    return this.keyBlocks[index >>> blockBits]![index & blockMask]!;
  }

  /** Sort each unit's run of keys (units ascending), moving each key's line with it. */
  private sortUnitRuns(): void {
    let start = 0;
    let startUnit = this.length > 0 ? Math.floor(this.keyAt(0) / codeSlots) : 0;
    for (let index = 1; index <= this.length; index++) {
      const unit = index === this.length ? -1 : Math.floor(this.keyAt(index) / codeSlots);
      if (unit === startUnit) continue;
      if (index - start > 1) this.sortRange(start, index);
      start = index;
      startUnit = unit;
    }
  }

  private sortRange(start: number, end: number): void {
    const block = start >>> blockBits;
    if ((end - 1) >>> blockBits === block) {
      const from = start & blockMask;
      sortPairs(this.keyBlocks[block]!, this.lineBlocks[block]!, from, from + (end - start));
      return;
    }
    // A run across two blocks: sort a copy and put it back.
    const keys = new Float64Array(end - start);
    const lines = new Int32Array(end - start);
    for (let index = start; index < end; index++) {
      keys[index - start] = this.keyAt(index);
      lines[index - start] = this.lineBlocks[index >>> blockBits]![index & blockMask]!;
    }
    sortPairs(keys, lines, 0, keys.length);
    for (let index = start; index < end; index++) {
      this.keyBlocks[index >>> blockBits]![index & blockMask] = keys[index - start]!;
      this.lineBlocks[index >>> blockBits]![index & blockMask] = lines[index - start]!;
    }
  }
}

/** Sort keys[start..end) ascending, moving lines[i] with keys[i]: insertion sort for short runs. */
function sortPairs(keys: Float64Array, lines: Int32Array, start: number, end: number): void {
  if (end - start > 32) {
    const order = Array.from({ length: end - start }, (_, offset) => start + offset).sort(
      (left, right) => keys[left]! - keys[right]! || left - right,
    );
    const sortedKeys = order.map((index) => keys[index]!);
    const sortedLines = order.map((index) => lines[index]!);
    keys.set(sortedKeys, start);
    lines.set(sortedLines, start);
    return;
  }
  for (let index = start + 1; index < end; index++) {
    const key = keys[index]!;
    const line = lines[index]!;
    let target = index - 1;
    while (target >= start && keys[target]! > key) {
      keys[target + 1] = keys[target]!;
      lines[target + 1] = lines[target]!;
      target--;
    }
    keys[target + 1] = key;
    lines[target + 1] = line;
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
