/**
 * One coder's rows while the units arrive in ascending order (each unit's rows together, the units
 * in index order): files sorted by unit, every file the tool writes, and a long file of several
 * coders in unit order. Each unit is kept once (its index and where its rows start), each row as
 * its code (4 bytes) and the step from the previous row's line (1 byte), instead of a packed key and
 * a line (12 bytes a row) to be sorted later. The compressed rows of `Codings` are made from them
 * in one pass and in place — the units and codes become the result's arrays, sorting only each
 * unit's few codes — in arrays that grow without copies (`./growable.ts`), so that no second copy
 * of a coder's rows is ever made.
 */
import { GrowableInt32, GrowableUint8 } from './growable.js';

/** A step this large (or not positive) is stored as the whole line, in `bigLines`. */
const bigStep = 255;
/** Every 2^12 rows the line before the row and the position in `bigLines` are kept, for random access. */
const checkpointBits = 12;

export interface BuiltRuns {
  /** The arrays of `Codings`: units ascending, each with its distinct codes ascending. */
  units: Int32Array;
  offsets: Int32Array;
  codes: Int32Array;
  /** Pairs given more than once, by unit then code (−1 first), each with all its lines. */
  duplicates: Array<{ unitIndex: number; codeIndex: number; lines: number[] }>;
  /** Units marked "reviewed, no code" that also carry a code, ascending, each with all its lines. */
  contradictions: Array<{ unitIndex: number; lines: number[] }>;
}

export class UnitRuns {
  /** The last unit added (−1 before the first); `add` takes only this unit or a greater one. */
  lastUnit = -1;
  private runCount = 0;
  private rowCount = 0;
  private readonly unitStore = new GrowableInt32();
  private readonly startStore = new GrowableInt32();
  /** Code index + 1 of each row, 0 for "reviewed, no code"; after `build`, the result's codes. */
  private readonly codeStore = new GrowableInt32();
  private readonly stepStore = new GrowableUint8();
  private units = this.unitStore.array;
  private starts = this.startStore.array;
  private codes = this.codeStore.array;
  private steps = this.stepStore.array;
  private bigLines: number[] = [];
  /** Pairs (line before the row, `bigLines` position) for every 2^12th row. */
  private checkpoints: number[] = [];
  private lastLine = 0;
  private built = false;

  /** Number of rows added. */
  get rows(): number {
    return this.rowCount;
  }

  /** Add a row: `unitIndex` must be `lastUnit` or greater, `codeIndex` −1 for "reviewed, no code". */
  add(unitIndex: number, codeIndex: number, line: number): void {
    if (unitIndex !== this.lastUnit) {
      const run = this.runCount;
      if (run === this.units.length) {
        this.units = this.unitStore.grow(run + 1);
        this.starts = this.startStore.grow(run + 1);
      }
      this.units[run] = unitIndex;
      this.starts[run] = this.rowCount;
      this.runCount = run + 1;
      this.lastUnit = unitIndex;
    }
    const row = this.rowCount;
    if (row === this.codes.length) {
      this.codes = this.codeStore.grow(row + 1);
      this.steps = this.stepStore.grow(row + 1);
    }
    if ((row & ((1 << checkpointBits) - 1)) === 0) this.checkpoints.push(this.lastLine, this.bigLines.length);
    const step = line - this.lastLine;
    if (step > 0 && step < bigStep) this.steps[row] = step;
    else {
      this.steps[row] = bigStep;
      this.bigLines.push(line);
    }
    this.lastLine = line;
    this.codes[row] = codeIndex + 1;
    this.rowCount = row + 1;
  }

  /** Every row in the order added, as (unit, code, line): to move the rows elsewhere (before `build`). */
  forEachRow(visit: (unitIndex: number, codeIndex: number, line: number) => void): void {
    const lines = this.lineReader(0);
    for (let run = 0; run < this.runCount; run++) {
      const unitIndex = this.units[run]!;
      const end = this.endOfRun(run);
      for (let row = this.starts[run]!; row < end; row++) visit(unitIndex, this.codes[row]! - 1, lines());
    }
  }

  /**
   * The compressed rows, with the duplicated pairs (dropped from the result) and the units both
   * "reviewed, no code" and coded (which keep their codes). Made in place: the result's units and
   * codes share the rows' memory, so rows can be added no more; their lines are kept for
   * `linesOfUnit`.
   */
  build(): BuiltRuns {
    if (this.built) throw new Error('UnitRuns.build called twice');
    this.built = true;
    const runs = this.runCount;
    const codes = this.codes;
    const starts = this.starts;
    const offsets = new Int32Array(runs + 1);
    const duplicates: BuiltRuns['duplicates'] = [];
    const contradictions: BuiltRuns['contradictions'] = [];
    // Codes are written back over the rows already read: `written` never passes the run's start.
    let written = 0;
    let given = new Int32Array(16);
    let sorted = new Int32Array(16);
    for (let run = 0; run < runs; run++) {
      offsets[run] = written;
      const start = starts[run]!;
      const end = run + 1 < runs ? starts[run + 1]! : this.rowCount;
      const length = end - start;
      if (length === 1) {
        // Many units of a coder have one row: nothing to sort or compare.
        const code = codes[start]!;
        if (code !== 0) codes[written++] = code - 1;
        continue;
      }
      if (length > given.length) {
        given = new Int32Array(length * 2);
        sorted = new Int32Array(length * 2);
      }
      for (let offset = 0; offset < length; offset++) {
        const code = codes[start + offset]!;
        given[offset] = code;
        let target = offset - 1;
        while (target >= 0 && sorted[target]! > code) {
          sorted[target + 1] = sorted[target]!;
          target--;
        }
        sorted[target + 1] = code;
      }
      let trouble = sorted[0] === 0 && sorted[length - 1] !== 0;
      let previous = -1;
      for (let offset = 0; offset < length; offset++) {
        const code = sorted[offset]!;
        if (code === previous) {
          trouble = true;
          continue;
        }
        previous = code;
        if (code !== 0) codes[written++] = code - 1;
      }
      if (trouble) this.problemsOf(run, given.subarray(0, length), duplicates, contradictions);
    }
    offsets[runs] = written;
    return {
      units: this.unitStore.view(runs),
      offsets,
      codes: this.codeStore.view(written),
      duplicates,
      contradictions,
    };
  }

  /** A unit's duplicated pairs and contradiction, from its rows' codes as given (code + 1) and their lines. */
  private problemsOf(
    run: number,
    given: Int32Array,
    duplicates: BuiltRuns['duplicates'],
    contradictions: BuiltRuns['contradictions'],
  ): void {
    const nextLine = this.lineReader(this.starts[run]!);
    const rows = Array.from(given, (code) => ({ code, line: nextLine() })).sort(
      (left, right) => left.code - right.code || left.line - right.line,
    );
    const unitIndex = this.units[run]!;
    for (let offset = 0; offset < rows.length; ) {
      const code = rows[offset]!.code;
      let end = offset + 1;
      while (end < rows.length && rows[end]!.code === code) end++;
      if (end - offset > 1)
        duplicates.push({
          unitIndex,
          codeIndex: code - 1,
          lines: rows.slice(offset, end).map((row) => row.line),
        });
      offset = end;
    }
    if (rows[0]!.code === 0 && rows[rows.length - 1]!.code !== 0)
      contradictions.push({ unitIndex, lines: rows.map((row) => row.line).sort((a, b) => a - b) });
  }

  /** The line of the first row, or undefined when there is none. */
  firstLine(): number | undefined {
    return this.rowCount === 0 ? undefined : this.lineReader(0)();
  }

  /** The lines of a unit's rows, ascending (empty when the unit has none). */
  linesOfUnit(unitIndex: number): number[] {
    let low = 0;
    let high = this.runCount - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.units[middle]!;
      if (value === unitIndex) {
        const start = this.starts[middle]!;
        const next = this.lineReader(start);
        return Array.from({ length: this.endOfRun(middle) - start }, () => next()).sort(
          (left, right) => left - right,
        );
      }
      if (value < unitIndex) low = middle + 1;
      else high = middle - 1;
    }
    return [];
  }

  private endOfRun(run: number): number {
    return run + 1 < this.runCount ? this.starts[run + 1]! : this.rowCount;
  }

  /** A function giving the line of row `from`, then of each following row, one per call. */
  private lineReader(from: number): () => number {
    const checkpoint = from >>> checkpointBits;
    let line = this.checkpoints[checkpoint * 2] ?? 0;
    let big = this.checkpoints[checkpoint * 2 + 1] ?? 0;
    let row = checkpoint << checkpointBits;
    const next = (): number => {
      const step = this.steps[row]!;
      line = step === bigStep ? this.bigLines[big++]! : line + step;
      row++;
      return line;
    };
    while (row < from) next();
    return next;
  }
}
