/**
 * One coder's codings in compact form, for a handful or for millions of units: units (by index)
 * in order, each with its sorted code indices, stored as flat typed arrays (compressed sparse
 * rows) rather than an object per row. A unit with no codes was reviewed and left without a code;
 * a unit absent was not reviewed — the two are different data and stay apart everywhere.
 */
import { UnitRuns } from './unit-runs.js';

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
 * found when building (duplicates, two codes of an exclusive category) can be reported where they
 * are. While the units arrive in ascending order (the common case) the rows are kept compactly by
 * unit (`UnitRuns`) and need no sort; the first unit smaller than the last moves them to packed
 * keys with their lines, sorted when built. Both are stored in blocks (the first one grows by
 * doubling up to a block's size), so a builder of millions of pairs holds about what it needs,
 * and growing never copies them.
 */
export class CodingsBuilder {
  /** The rows while the units ascend; undefined once they did not. */
  private runs: UnitRuns | undefined = new UnitRuns();
  private keyBlocks: Float64Array[] = [new Float64Array(0)];
  private lineBlocks: Int32Array[] = [new Int32Array(0)];
  private length = 0;

  get count(): number {
    return this.runs === undefined ? this.length : this.runs.rows;
  }

  /** Whether the rows so far came in ascending order of units (and so need no sort). */
  get unitsAscending(): boolean {
    return this.runs !== undefined;
  }

  add(unitIndex: number, codeIndex: number, line: number): void {
    const runs = this.runs;
    if (runs !== undefined) {
      if (unitIndex >= runs.lastUnit) {
        runs.add(unitIndex, codeIndex, line);
        return;
      }
      this.runs = undefined;
      runs.forEachRow((unit, code, rowLine) => this.addKey(packKey(unit, code), rowLine));
    }
    this.addKey(packKey(unitIndex, codeIndex), line);
  }

  private addKey(key: number, line: number): void {
    const block = this.length >>> blockBits;
    const offset = this.length & blockMask;
    if (block === this.keyBlocks.length) {
      this.keyBlocks.push(new Float64Array(blockSize));
      this.lineBlocks.push(new Int32Array(blockSize));
    } else if (offset === this.keyBlocks[block]!.length) {
      // Only the first block is ever short: double it.
      const keys = new Float64Array(Math.max(1024, offset * 2));
      keys.set(this.keyBlocks[block]!);
      this.keyBlocks[block] = keys;
      const lines = new Int32Array(keys.length);
      lines.set(this.lineBlocks[block]!);
      this.lineBlocks[block] = lines;
    }
    this.keyBlocks[block]![offset] = key;
    this.lineBlocks[block]![offset] = line;
    this.length++;
  }

  /**
   * Build the compressed rows. Duplicated pairs are dropped from the result and returned with all
   * their lines, as are units marked "reviewed, no code" that also carry a code.
   */
  build(): {
    codings: Codings;
    duplicates: Array<{ key: number; lines: number[] }>;
    contradictions: Array<{ unitIndex: number; lines: number[] }>;
  } {
    if (this.runs !== undefined) {
      const built = this.runs.build();
      return {
        codings: new Codings(built.units, built.offsets, built.codes),
        duplicates: built.duplicates.map(({ unitIndex, codeIndex, lines }) => ({
          key: packKey(unitIndex, codeIndex),
          lines,
        })),
        contradictions: built.contradictions,
      };
    }
    const all = new Float64Array(this.length);
    for (let index = 0; index < this.length; index++) all[index] = this.keyAt(index);
    all.sort();
    const duplicateKeys = new Set<number>();
    const contradictoryUnits = new Set<number>();
    // One pass from the sorted keys to compressed rows, dropping repeated keys as it goes.
    const units = new Int32Array(this.length);
    const offsets = new Int32Array(this.length + 1);
    let codes = new Int32Array(this.length);
    let unitCount = 0;
    let codeCount = 0;
    let lastKey = -1;
    let lastUnit = -1;
    let lastWasNoCode = false;
    for (const key of all) {
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
    codes = codes.slice(0, codeCount);
    const codings = new Codings(units.slice(0, unitCount), offsets.slice(0, unitCount + 1), codes);
    const duplicates = [...duplicateKeys]
      .sort((left, right) => left - right)
      .map((key) => ({ key, lines: this.linesOf((candidate) => candidate === key) }));
    const contradictions = [...contradictoryUnits]
      .sort((left, right) => left - right)
      .map((unitIndex) => ({ unitIndex, lines: this.linesOfUnit(unitIndex) }));
    return { codings, duplicates, contradictions };
  }

  /** Let go of every row (after `build` and the reports of problems): the lines are not needed any more. */
  release(): void {
    this.runs = new UnitRuns();
    this.keyBlocks = [new Float64Array(0)];
    this.lineBlocks = [new Int32Array(0)];
    this.length = 0;
  }

  /** The line of the first pair added, or undefined when there is none. */
  firstLine(): number | undefined {
    if (this.runs !== undefined) return this.runs.firstLine();
    return this.length === 0 ? undefined : this.lineBlocks[0]![0]!;
  }

  /** The lines of a unit's pairs, ascending (a scan or a search, used only to report problems). */
  linesOfUnit(unitIndex: number): number[] {
    if (this.runs !== undefined) return this.runs.linesOfUnit(unitIndex);
    return this.linesOf((key) => Math.floor(key / codeSlots) === unitIndex);
  }

  /** Lines of the pairs whose key matches. */
  private linesOf(matches: (key: number) => boolean): number[] {
    const found: number[] = [];
    for (let index = 0; index < this.length; index++)
      if (matches(this.keyAt(index))) found.push(this.lineBlocks[index >>> blockBits]![index & blockMask]!);
    return found.sort((left, right) => left - right);
  }

  private keyAt(index: number): number {
    return this.keyBlocks[index >>> blockBits]![index & blockMask]!;
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
