/**
 * The count tables of reliability, built from coders' codings: the distinct code patterns of two
 * coders over their common units, a code's 2×2 presence/absence table, and the values of a
 * nominal variable (a set of codes read as one variable) with its k×k table.
 *
 * Two rules are fixed here, for every coefficient and for two or more coders alike (README,
 * "Statistics"):
 * - the nominal value of a unit is the whole set of the variable's codes a coder gave it: one code
 *   is that code, several codes are one composite value such as `a+b`, none is "none";
 * - the categories of a nominal variable (its q) are its codes, used or not, then the composite
 *   values that occur, then "none" only when some coder left some unit without any of its codes
 *   (Gwet 2014, ch. 2: q is the number of categories of the rating scale; irrCAC counts the
 *   categories of the table or, for raw ratings, the values that occur).
 */
import type { Codings } from './codings.js';

/**
 * The distinct patterns of two coders' codes over their common units, with counts: the basis of
 * every table and of the bootstrap (which resamples units by resampling pattern counts).
 */
export interface PatternSet {
  /** For each pattern, coder A's and coder B's sorted code indices. */
  codesA: number[][];
  codesB: number[][];
  counts: number[];
  n: number;
}

export function unitPatterns(a: Codings, b: Codings): PatternSet {
  const patterns: PatternSet = { codesA: [], codesB: [], counts: [], n: 0 };
  // A pattern's key: both coders' codes as bit masks in one number while they fit in 2 × 26 bits,
  // else as text. The common units are walked here, over the arrays, with no object per unit: this
  // loop runs once per unit of a million-unit study.
  const numeric = new Map<number, number>();
  const textual = new Map<string, number>();
  const mask = (codes: Int32Array, from: number, to: number): number => {
    let bits = 0;
    for (let index = from; index < to; index++) {
      const code = codes[index]!;
      if (code >= 26) return -1;
      bits |= 1 << code;
    }
    return bits;
  };
  const { units: unitsA, offsets: offsetsA, codes: allA } = a;
  const { units: unitsB, offsets: offsetsB, codes: allB } = b;
  let positionA = 0;
  let positionB = 0;
  while (positionA < unitsA.length && positionB < unitsB.length) {
    const unitA = unitsA[positionA]!;
    const unitB = unitsB[positionB]!;
    if (unitA !== unitB) {
      if (unitA < unitB) positionA++;
      else positionB++;
      continue;
    }
    const startA = offsetsA[positionA]!;
    const endA = offsetsA[positionA + 1]!;
    const startB = offsetsB[positionB]!;
    const endB = offsetsB[positionB + 1]!;
    positionA++;
    positionB++;
    const maskA = mask(allA, startA, endA);
    const maskB = mask(allB, startB, endB);
    let pattern: number | undefined;
    let numericKey = -1;
    let textKey = '';
    if (maskA >= 0 && maskB >= 0) {
      numericKey = maskA * 2 ** 26 + maskB;
      pattern = numeric.get(numericKey);
    } else {
      textKey = `${allA.subarray(startA, endA).join(',')}|${allB.subarray(startB, endB).join(',')}`;
      pattern = textual.get(textKey);
    }
    if (pattern === undefined) {
      pattern = patterns.counts.length;
      if (numericKey >= 0) numeric.set(numericKey, pattern);
      else textual.set(textKey, pattern);
      patterns.codesA.push(Array.from(allA.subarray(startA, endA)));
      patterns.codesB.push(Array.from(allB.subarray(startB, endB)));
      patterns.counts.push(0);
    }
    patterns.counts[pattern]!++;
    patterns.n++;
  }
  return patterns;
}

/** The 2×2 table of a code from pattern counts: rows A present/absent, columns B present/absent. */
export function codeTable(
  patterns: PatternSet,
  code: number,
  counts: ArrayLike<number> = patterns.counts,
): number[][] {
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  let n = 0;
  for (let pattern = 0; pattern < patterns.codesA.length; pattern++) {
    const count = counts[pattern]!;
    n += count;
    if (count === 0) continue;
    const inA = patterns.codesA[pattern]!.includes(code);
    const inB = patterns.codesB[pattern]!.includes(code);
    if (inA && inB) both += count;
    else if (inA) onlyA += count;
    else if (inB) onlyB += count;
  }
  return [
    [both, onlyA],
    [onlyB, n - both - onlyA - onlyB],
  ];
}

/**
 * The values of a nominal variable whose codes are `members` (code indices, in codebook order)
 * with labels `labels`: see the rules at the top of this file. Build it with every code list the
 * coders gave (`observe`), then read the values and each code list's value index.
 */
export class NominalScale {
  private readonly positionOfCode = new Map<number, number>();
  private readonly composites = new Map<string, number[]>();
  private noneSeen = false;
  private frozen: { values: string[]; indexOfKey: Map<string, number> } | null = null;

  constructor(
    private readonly members: readonly number[],
    private readonly labels: readonly string[],
  ) {
    for (const [position, code] of members.entries()) this.positionOfCode.set(code, position);
  }

  /** The positions (in `members`) of the variable's codes in a code list, ascending. */
  private positions(codes: ArrayLike<number>): number[] {
    const positions: number[] = [];
    for (let index = 0; index < codes.length; index++) {
      const position = this.positionOfCode.get(codes[index]!);
      if (position !== undefined) positions.push(position);
    }
    return positions.sort((left, right) => left - right);
  }

  observe(codes: ArrayLike<number>): void {
    if (this.frozen) throw new Error('internal error: NominalScale observed after its values were read');
    const positions = this.positions(codes);
    if (positions.length === 0) this.noneSeen = true;
    else if (positions.length > 1) this.composites.set(positions.join(','), positions);
  }

  private freeze(): { values: string[]; indexOfKey: Map<string, number> } {
    if (this.frozen) return this.frozen;
    const values = [...this.labels];
    const indexOfKey = new Map<string, number>();
    for (let position = 0; position < this.members.length; position++)
      indexOfKey.set(String(position), position);
    const composites = [...this.composites.values()].sort((left, right) => {
      for (let index = 0; index < Math.min(left.length, right.length); index++)
        if (left[index] !== right[index]) return left[index]! - right[index]!;
      return left.length - right.length;
    });
    for (const positions of composites) {
      indexOfKey.set(positions.join(','), values.length);
      values.push(positions.map((position) => this.labels[position]!).join('+'));
    }
    if (this.noneSeen) {
      indexOfKey.set('', values.length);
      values.push('none');
    }
    this.frozen = { values, indexOfKey };
    return this.frozen;
  }

  /** The values, in order: the codes, the composite values that occur, "none" when it occurs. */
  get values(): string[] {
    return this.freeze().values;
  }

  /** Number of composite values that occur. */
  get compositeCount(): number {
    return this.composites.size;
  }

  /** The value index of a code list that was observed. */
  indexOf(codes: ArrayLike<number>): number {
    const index = this.freeze().indexOfKey.get(this.positions(codes).join(','));
    if (index === undefined)
      throw new Error('internal error: a code list was not observed by its NominalScale');
    return index;
  }
}

/** A nominal variable on two coders' patterns: its scale, each pattern's values and the k×k table. */
export interface NominalVariable {
  scale: NominalScale;
  values: string[];
  /** Per pattern, the value index of coder A and of coder B. */
  valueA: Int32Array;
  valueB: Int32Array;
  table: number[][];
}

/** The k×k table of a nominal variable, from (possibly resampled) pattern counts. */
export function nominalTableOf(variable: NominalVariable, counts: ArrayLike<number>): number[][] {
  const size = variable.values.length;
  const table = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let pattern = 0; pattern < variable.valueA.length; pattern++) {
    const count = counts[pattern]!;
    if (count !== 0) table[variable.valueA[pattern]!]![variable.valueB[pattern]!]! += count;
  }
  return table;
}

/** The nominal variable of the codes `members` (labels `labels`) on two coders' patterns. */
export function nominalVariable(
  patterns: PatternSet,
  members: readonly number[],
  labels: readonly string[],
): NominalVariable {
  const scale = new NominalScale(members, labels);
  for (let pattern = 0; pattern < patterns.counts.length; pattern++) {
    scale.observe(patterns.codesA[pattern]!);
    scale.observe(patterns.codesB[pattern]!);
  }
  const valueA = Int32Array.from(patterns.codesA, (codes) => scale.indexOf(codes));
  const valueB = Int32Array.from(patterns.codesB, (codes) => scale.indexOf(codes));
  const variable: NominalVariable = { scale, values: scale.values, valueA, valueB, table: [] };
  variable.table = nominalTableOf(variable, patterns.counts);
  return variable;
}
