/**
 * One coder's rows while the units arrive in ascending order (each unit's rows together, the units
 * in index order): files sorted by unit, every file the tool writes, and a long file of several
 * coders in unit order. Each unit is kept once (its index and where its rows start), each row as
 * its code (2 bytes) and the step from the previous row's line (1 byte), instead of a packed key and
 * a line (12 bytes a row) to be sorted later; the compressed rows of `Codings` are made from them in
 * one pass, sorting only each unit's few codes.
 */

/** Rows and units are kept in blocks of this many, so that millions of them need no copy to grow. */
const blockBits = 20;
const blockSize = 1 << blockBits;
const blockMask = blockSize - 1;
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
  private runCapacity = 0;
  private rowCapacity = 0;
  private unitBlocks: Int32Array[] = [];
  private startBlocks: Int32Array[] = [];
  /** Code index + 1 of each row; 0 for "reviewed, no code". */
  private codeBlocks: Uint16Array[] = [];
  private stepBlocks: Uint8Array[] = [];
  private bigLines: number[] = [];
  /** Pairs (line before the block's first row, `bigLines` position) for each 2^12 rows. */
  private checkpoints: number[] = [];
  private lastLine = 0;
  /** The units once built (the blocks are released then). */
  private builtUnits: Int32Array | undefined;

  /** Number of rows added. */
  get rows(): number {
    return this.rowCount;
  }

  /** Add a row: `unitIndex` must be `lastUnit` or greater, `codeIndex` −1 for "reviewed, no code". */
  add(unitIndex: number, codeIndex: number, line: number): void {
    if (unitIndex !== this.lastUnit) {
      const run = this.runCount;
      if (run === this.runCapacity) this.growRuns();
      this.unitBlocks[run >>> blockBits]![run & blockMask] = unitIndex;
      this.startBlocks[run >>> blockBits]![run & blockMask] = this.rowCount;
      this.runCount = run + 1;
      this.lastUnit = unitIndex;
    }
    const row = this.rowCount;
    if (row === this.rowCapacity) this.growRows();
    if ((row & ((1 << checkpointBits) - 1)) === 0) this.checkpoints.push(this.lastLine, this.bigLines.length);
    const step = line - this.lastLine;
    if (step > 0 && step < bigStep) this.stepBlocks[row >>> blockBits]![row & blockMask] = step;
    else {
      this.stepBlocks[row >>> blockBits]![row & blockMask] = bigStep;
      this.bigLines.push(line);
    }
    this.lastLine = line;
    this.codeBlocks[row >>> blockBits]![row & blockMask] = codeIndex + 1;
    this.rowCount = row + 1;
  }

  /** Every row in the order added, as (unit, code, line): to move the rows elsewhere. */
  forEachRow(visit: (unitIndex: number, codeIndex: number, line: number) => void): void {
    const lines = this.lineReader(0);
    for (let run = 0; run < this.runCount; run++) {
      const unitIndex = this.unitOfRun(run);
      const end = this.endOfRun(run);
      for (let row = this.startOfRun(run); row < end; row++)
        visit(unitIndex, this.codeBlocks[row >>> blockBits]![row & blockMask]! - 1, lines());
    }
  }

  /**
   * The compressed rows, with the duplicated pairs (dropped from the result) and the units both
   * "reviewed, no code" and coded (which keep their codes). The rows' codes are released; their
   * lines are kept for `linesOfUnit`.
   */
  build(): BuiltRuns {
    const runs = this.runCount;
    const units = new Int32Array(runs);
    for (let block = 0; block < this.unitBlocks.length; block++) {
      const from = block << blockBits;
      units.set(this.unitBlocks[block]!.subarray(0, Math.min(blockSize, runs - from)), from);
    }
    let codeRows = 0;
    for (let row = 0; row < this.rowCount; row++)
      if (this.codeBlocks[row >>> blockBits]![row & blockMask]! !== 0) codeRows++;
    const offsets = new Int32Array(runs + 1);
    let codes = new Int32Array(codeRows);
    let codeCount = 0;
    // Units with a duplicated row or a contradiction, looked at again (with their lines) at the end.
    const troubled: number[] = [];
    let runCodes = new Int32Array(16);
    let end = runs > 0 ? this.startOfRun(0) : 0;
    for (let run = 0; run < runs; run++) {
      offsets[run] = codeCount;
      const start = end;
      end = run + 1 < runs ? this.startOfRun(run + 1) : this.rowCount;
      const length = end - start;
      if (length === 1) {
        // Many units of a coder have one row: nothing to sort or compare.
        const code = this.codeBlocks[start >>> blockBits]![start & blockMask]!;
        if (code !== 0) codes[codeCount++] = code - 1;
        continue;
      }
      if (length > runCodes.length) runCodes = new Int32Array(length * 2);
      for (let offset = 0; offset < length; offset++) {
        const row = start + offset;
        const code = this.codeBlocks[row >>> blockBits]![row & blockMask]!;
        let target = offset - 1;
        while (target >= 0 && runCodes[target]! > code) {
          runCodes[target + 1] = runCodes[target]!;
          target--;
        }
        runCodes[target + 1] = code;
      }
      let trouble = runCodes[0] === 0 && runCodes[length - 1] !== 0;
      let previous = -1;
      for (let offset = 0; offset < length; offset++) {
        const code = runCodes[offset]!;
        if (code === previous) {
          trouble = true;
          continue;
        }
        previous = code;
        if (code !== 0) codes[codeCount++] = code - 1;
      }
      if (trouble) troubled.push(run);
    }
    offsets[runs] = codeCount;
    if (codeCount < codes.length) codes = codes.slice(0, codeCount);
    const { duplicates, contradictions } = this.problemsOf(troubled, units);
    this.builtUnits = units;
    this.unitBlocks = [];
    this.codeBlocks = [];
    return { units, offsets, codes, duplicates, contradictions };
  }

  /** The duplicated pairs and contradictions of the given runs, with their lines. */
  private problemsOf(
    runs: readonly number[],
    units: Int32Array,
  ): Pick<BuiltRuns, 'duplicates' | 'contradictions'> {
    const duplicates: BuiltRuns['duplicates'] = [];
    const contradictions: BuiltRuns['contradictions'] = [];
    for (const run of runs) {
      const start = this.startOfRun(run);
      const nextLine = this.lineReader(start);
      // The unit's rows as (code, line), sorted by code then line.
      const rows = Array.from({ length: this.endOfRun(run) - start }, (_, offset) => {
        const row = start + offset;
        return { code: this.codeBlocks[row >>> blockBits]![row & blockMask]!, line: nextLine() };
      }).sort((left, right) => left.code - right.code || left.line - right.line);
      const unitIndex = units[run]!;
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
    return { duplicates, contradictions };
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
      const value = this.unitOfRun(middle);
      if (value === unitIndex) {
        const start = this.startOfRun(middle);
        const end = this.endOfRun(middle);
        const next = this.lineReader(start);
        return Array.from({ length: end - start }, () => next()).sort((left, right) => left - right);
      }
      if (value < unitIndex) low = middle + 1;
      else high = middle - 1;
    }
    return [];
  }

  private unitOfRun(run: number): number {
    return this.builtUnits !== undefined
      ? this.builtUnits[run]!
      : this.unitBlocks[run >>> blockBits]![run & blockMask]!;
  }

  private startOfRun(run: number): number {
    return this.startBlocks[run >>> blockBits]![run & blockMask]!;
  }

  private endOfRun(run: number): number {
    return run + 1 < this.runCount ? this.startOfRun(run + 1) : this.rowCount;
  }

  /** A function giving the line of row `from`, then of each following row, one per call. */
  private lineReader(from: number): () => number {
    const checkpoint = from >>> checkpointBits;
    let line = this.checkpoints[checkpoint * 2] ?? 0;
    let big = this.checkpoints[checkpoint * 2 + 1] ?? 0;
    let row = checkpoint << checkpointBits;
    const next = (): number => {
      const step = this.stepBlocks[row >>> blockBits]![row & blockMask]!;
      line = step === bigStep ? this.bigLines[big++]! : line + step;
      row++;
      return line;
    };
    while (row < from) next();
    return next;
  }

  private growRuns(): void {
    const grown = grow(this.unitBlocks, this.runCapacity, (length) => new Int32Array(length));
    grow(this.startBlocks, this.runCapacity, (length) => new Int32Array(length));
    this.runCapacity = grown;
  }

  private growRows(): void {
    const grown = grow(this.codeBlocks, this.rowCapacity, (length) => new Uint16Array(length));
    grow(this.stepBlocks, this.rowCapacity, (length) => new Uint8Array(length));
    this.rowCapacity = grown;
  }
}

/**
 * Room for one more element in blocks holding `capacity`: the first block grows by doubling up to a
 * block's size, then whole blocks are added. Returns the new capacity.
 */
function grow<T extends Int32Array | Uint16Array | Uint8Array>(
  blocks: T[],
  capacity: number,
  make: (length: number) => T,
): number {
  if (blocks.length === 0) {
    blocks.push(make(1024));
    return 1024;
  }
  const last = blocks[blocks.length - 1]!;
  if (last.length < blockSize) {
    const larger = make(last.length * 2);
    larger.set(last);
    blocks[blocks.length - 1] = larger;
    return capacity + last.length;
  }
  blocks.push(make(blockSize));
  return capacity + blockSize;
}
