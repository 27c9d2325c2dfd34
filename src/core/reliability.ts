/**
 * Inter-coder reliability of a study, from the coders' codings to every figure the report shows:
 * per code (presence/absence), per exclusive category (its codes plus "none"), overall (nominal
 * or pooled), and for three or more coders Fleiss' κ, Krippendorff's α and Gwet's AC1. Each figure
 * comes from one pure function of `./stats/`; this module only builds their count tables.
 */
import type { CodebookModel } from './codebook.js';
import type { Codings } from './codings.js';
import { forEachCommonUnit } from './compare.js';
import {
  type AgreementTable,
  type BootstrapInterval,
  biasIndex,
  bootstrapPercentiles,
  brennanPrediger,
  cohenExpectedAgreement,
  cohenKappa,
  cohenKappaConfidenceInterval,
  cohenKappaStandardError,
  type Figure,
  fleissKappa,
  gwetAc1,
  gwetAc1FromTable,
  krippendorffAlpha,
  krippendorffAlphaFromTable,
  observedAgreement,
  pabak,
  pooledKappa,
  prevalenceIndex,
  scottPi,
  type UnitCategoryCounts,
} from './stats/index.js';

export const overallDefinitions = ['auto', 'nominal', 'pooled'] as const;
export type OverallDefinition = (typeof overallDefinitions)[number];

/** Numbers (or null, with the reason in `reasons`) of one table: the JSON and CSV shape of a figure. */
export interface FigureSet {
  n: number;
  observed_agreement: number | null;
  expected_agreement: number | null;
  kappa: number | null;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
  scott_pi: number | null;
  krippendorff_alpha: number | null;
  gwet_ac1: number | null;
  brennan_prediger: number | null;
  /** Binary tables only. */
  pabak?: number | null;
  prevalence_index?: number | null;
  bias_index?: number | null;
  bootstrap_ci_low?: number | null;
  bootstrap_ci_high?: number | null;
  /** Why a figure is null, by its key. */
  reasons: Record<string, string>;
}

export interface CodeReliability extends FigureSet {
  code: string;
  label: string;
  category: string;
  /** [[both, only A], [only B, neither]]: rows coder A (present, absent), columns coder B. */
  table: number[][];
}

export interface CategoryReliability extends FigureSet {
  category: string;
  label: string;
  /** Row and column labels of the confusion matrix: the category's codes, then "none". */
  values: string[];
  table: number[][];
}

export interface OverallReliability extends FigureSet {
  definition: 'nominal' | 'pooled';
  /** Words saying what was computed, for people. */
  description: string;
  values?: string[];
  table?: number[][];
}

export interface MultiFigures {
  n: number;
  fleiss_kappa: number | null;
  /** Units coded by every coder (Fleiss' κ needs the same number of coders on each unit). */
  fleiss_n: number;
  krippendorff_alpha: number | null;
  gwet_ac1: number | null;
  reasons: Record<string, string>;
}

export interface MultiReliability extends MultiFigures {
  definition: 'nominal' | 'pooled';
  codes: Array<MultiFigures & { code: string; label: string; category: string }>;
}

export interface ReliabilityReport {
  coders: string[];
  n_units: number;
  /** Units reviewed by only some of the coders (two coders: by one of them). */
  units_not_shared: number;
  overall: OverallReliability | null;
  codes: CodeReliability[];
  categories: CategoryReliability[];
  multi?: MultiReliability;
  bootstrap?: { resamples: number; seed: number; level: number };
}

export interface ReliabilityOptions {
  overall: OverallDefinition;
  bootstrap?: { resamples: number; seed: number } | undefined;
  level?: number;
}

function value(figure: Figure, key: string, reasons: Record<string, string>): number | null {
  if (figure.value === null) reasons[key] = figure.reason;
  return figure.value;
}

/** Every two-coder figure of a k×k table. */
export function figuresOfTable(table: AgreementTable, level = 0.95): FigureSet {
  const reasons: Record<string, string> = {};
  const n = table.reduce((sum, row) => sum + row.reduce((rowSum, cell) => rowSum + cell, 0), 0);
  const interval = cohenKappaConfidenceInterval(table, level);
  const figures: FigureSet = {
    n,
    observed_agreement: n === 0 ? null : observedAgreement(table),
    expected_agreement: n === 0 ? null : cohenExpectedAgreement(table),
    kappa: value(cohenKappa(table), 'kappa', reasons),
    se: value(cohenKappaStandardError(table), 'se', reasons),
    ci_low: value(interval.low, 'ci_low', reasons),
    ci_high: value(interval.high, 'ci_high', reasons),
    scott_pi: value(scottPi(table), 'scott_pi', reasons),
    krippendorff_alpha: value(krippendorffAlphaFromTable(table), 'krippendorff_alpha', reasons),
    gwet_ac1: value(gwetAc1FromTable(table), 'gwet_ac1', reasons),
    brennan_prediger: value(brennanPrediger(table), 'brennan_prediger', reasons),
    reasons,
  };
  if (n === 0) {
    reasons['observed_agreement'] = 'no units';
    reasons['expected_agreement'] = 'no units';
  }
  if (table.length === 2) {
    figures.pabak = value(pabak(table), 'pabak', reasons);
    figures.prevalence_index = value(prevalenceIndex(table), 'prevalence_index', reasons);
    figures.bias_index = value(biasIndex(table), 'bias_index', reasons);
  }
  return figures;
}

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
  // else as text.
  const numeric = new Map<number, number>();
  const textual = new Map<string, number>();
  const mask = (codes: Int32Array): number => {
    let bits = 0;
    for (const code of codes) {
      if (code >= 26) return -1;
      bits |= 1 << code;
    }
    return bits;
  };
  forEachCommonUnit(a, b, (_unit, positionA, positionB) => {
    const codesA = a.codesAt(positionA);
    const codesB = b.codesAt(positionB);
    const maskA = mask(codesA);
    const maskB = mask(codesB);
    let pattern: number | undefined;
    let numericKey = -1;
    let textKey = '';
    if (maskA >= 0 && maskB >= 0) {
      numericKey = maskA * 2 ** 26 + maskB;
      pattern = numeric.get(numericKey);
    } else {
      textKey = `${codesA.join(',')}|${codesB.join(',')}`;
      pattern = textual.get(textKey);
    }
    if (pattern === undefined) {
      pattern = patterns.counts.length;
      if (numericKey >= 0) numeric.set(numericKey, pattern);
      else textual.set(textKey, pattern);
      patterns.codesA.push([...codesA]);
      patterns.codesB.push([...codesB]);
      patterns.counts.push(0);
    }
    patterns.counts[pattern]!++;
    patterns.n++;
  });
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

/** The value of a nominal variable (a set of mutually exclusive codes) on a unit: the code's position, or the last ("none"). */
function nominalValue(codes: readonly number[], members: readonly number[]): number {
  for (const [position, code] of members.entries()) if (codes.includes(code)) return position;
  return members.length;
}

/** The k×k confusion matrix of a nominal variable (codes `members` plus "none"). */
export function nominalTable(
  patterns: PatternSet,
  members: readonly number[],
  counts: ArrayLike<number> = patterns.counts,
): number[][] {
  const size = members.length + 1;
  const table = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let pattern = 0; pattern < patterns.codesA.length; pattern++) {
    const count = counts[pattern]!;
    if (count === 0) continue;
    table[nominalValue(patterns.codesA[pattern]!, members)]![
      nominalValue(patterns.codesB[pattern]!, members)
    ]! += count;
  }
  return table;
}

/** True when no coder gives a unit more than one code: the codes then form one nominal variable. */
function atMostOneCode(patterns: PatternSet): boolean {
  return (
    patterns.codesA.every((codes) => codes.length <= 1) && patterns.codesB.every((codes) => codes.length <= 1)
  );
}

function pooledFigures(
  patterns: PatternSet,
  codeCount: number,
  counts: ArrayLike<number> = patterns.counts,
): { kappa: Figure; observed: number; expected: number } {
  const tables = Array.from({ length: codeCount }, (_, code) => codeTable(patterns, code, counts));
  let observed = 0;
  let expected = 0;
  for (const table of tables) {
    observed += observedAgreement(table);
    expected += cohenExpectedAgreement(table);
  }
  return { kappa: pooledKappa(tables), observed: observed / codeCount, expected: expected / codeCount };
}

/** Put a bootstrap interval into a figure set, with the reason when it is (partly) undefined. */
function applyInterval(figures: FigureSet, interval: BootstrapInterval): void {
  figures.bootstrap_ci_low = interval.low;
  figures.bootstrap_ci_high = interval.high;
  if (interval.low === null) {
    figures.reasons['bootstrap_ci_low'] = 'the statistic is undefined on every resample';
    figures.reasons['bootstrap_ci_high'] = 'the statistic is undefined on every resample';
  } else if (interval.undefinedResamples > 0) {
    figures.reasons['bootstrap'] =
      `${interval.undefinedResamples} of ${interval.resamples} resamples left the statistic undefined and were left out`;
  }
}

/**
 * Per resample, the cells [both, only A, only B] of every code, computed once from the resampled
 * pattern counts and shared by the statistics of that resample.
 */
class ResampledCells {
  readonly cells: Float64Array;
  private readonly entries: Int32Array;
  private readonly offsets: Int32Array;

  constructor(
    private readonly patterns: PatternSet,
    private readonly codeCount: number,
  ) {
    this.cells = new Float64Array(codeCount * 3);
    const entries: number[] = [];
    const offsets = [0];
    for (let pattern = 0; pattern < patterns.counts.length; pattern++) {
      const codesA = patterns.codesA[pattern]!;
      const codesB = patterns.codesB[pattern]!;
      for (const code of codesA) entries.push(code * 3 + (codesB.includes(code) ? 0 : 1));
      for (const code of codesB) if (!codesA.includes(code)) entries.push(code * 3 + 2);
      offsets.push(entries.length);
    }
    this.entries = Int32Array.from(entries);
    this.offsets = Int32Array.from(offsets);
  }

  update(counts: ArrayLike<number>): void {
    this.cells.fill(0);
    for (let pattern = 0; pattern < this.patterns.counts.length; pattern++) {
      const count = counts[pattern]!;
      if (count === 0) continue;
      for (let entry = this.offsets[pattern]!; entry < this.offsets[pattern + 1]!; entry++)
        this.cells[this.entries[entry]!]! += count;
    }
  }

  table(code: number): number[][] {
    const both = this.cells[code * 3]!;
    const onlyA = this.cells[code * 3 + 1]!;
    const onlyB = this.cells[code * 3 + 2]!;
    return [
      [both, onlyA],
      [onlyB, this.patterns.n - both - onlyA - onlyB],
    ];
  }

  pooledKappa(): number | null {
    return pooledKappa(Array.from({ length: this.codeCount }, (_, code) => this.table(code))).value;
  }
}

/** Reliability of two coders. */
export function twoCoderReliability(
  coders: [string, string],
  a: Codings,
  b: Codings,
  codebook: CodebookModel,
  options: ReliabilityOptions,
): ReliabilityReport {
  const level = options.level ?? 0.95;
  const patterns = unitPatterns(a, b);
  const codeCount = codebook.codes.length;
  const resampled = new ResampledCells(patterns, codeCount);
  // Figures that get a bootstrap interval, each with its statistic on one resample.
  const targets: Array<{ figures: FigureSet; statistic: (counts: Float64Array) => number | null }> = [];
  const codes: CodeReliability[] = codebook.codes.map((code) => {
    const table = codeTable(patterns, code.index);
    const figures: CodeReliability = {
      code: code.id,
      label: code.label,
      category: code.categoryId,
      ...figuresOfTable(table, level),
      table,
    };
    targets.push({ figures, statistic: () => cohenKappa(resampled.table(code.index)).value });
    return figures;
  });
  const categories: CategoryReliability[] = codebook.categories
    .filter((category) => category.exclusive)
    .map((category) => {
      const members = category.codeIds.map((id) => codebook.codeById.get(id)!.index);
      const table = nominalTable(patterns, members);
      const figures: CategoryReliability = {
        category: category.id,
        label: category.label,
        values: [...category.codeIds, 'none'],
        ...figuresOfTable(table, level),
        table,
      };
      targets.push({
        figures,
        statistic: (counts) => cohenKappa(nominalTable(patterns, members, counts)).value,
      });
      return figures;
    });

  let definition: 'nominal' | 'pooled';
  if (options.overall === 'auto')
    definition = codebook.exclusive || atMostOneCode(patterns) ? 'nominal' : 'pooled';
  else definition = options.overall;
  let overall: OverallReliability | null = null;
  if (patterns.n > 0 && codeCount > 0) {
    if (definition === 'nominal') {
      const members = codebook.codes.map((code) => code.index);
      const multiple = !atMostOneCode(patterns);
      const table = nominalTable(patterns, members);
      overall = {
        definition,
        description:
          `Cohen's kappa on the nominal table of the ${codeCount} code${codeCount === 1 ? '' : 's'} plus "none" (one value per unit)` +
          (multiple ? '; units with several codes count under the first of them in codebook order' : ''),
        values: [...codebook.codes.map((code) => code.id), 'none'],
        table,
        ...figuresOfTable(table, level),
      };
      targets.push({
        figures: overall,
        statistic: (counts) => cohenKappa(nominalTable(patterns, members, counts)).value,
      });
    } else {
      const pooled = pooledFigures(patterns, codeCount);
      const reasons: Record<string, string> = {};
      const notPooled =
        'not defined for pooled kappa; see the per-code figures and, with --bootstrap, the bootstrap interval';
      overall = {
        definition,
        description: `pooled kappa (De Vries et al. 2008): (mean p_o - mean p_e) / (1 - mean p_e) over the ${codeCount} codes' presence/absence tables`,
        n: patterns.n,
        observed_agreement: pooled.observed,
        expected_agreement: pooled.expected,
        kappa: value(pooled.kappa, 'kappa', reasons),
        se: null,
        ci_low: null,
        ci_high: null,
        scott_pi: null,
        krippendorff_alpha: null,
        gwet_ac1: null,
        brennan_prediger: null,
        reasons,
      };
      for (const key of [
        'se',
        'ci_low',
        'ci_high',
        'scott_pi',
        'krippendorff_alpha',
        'gwet_ac1',
        'brennan_prediger',
      ]) {
        reasons[key] = notPooled;
      }
      targets.push({ figures: overall, statistic: () => resampled.pooledKappa() });
    }
  }
  if (options.bootstrap && patterns.n > 0) {
    const intervals = bootstrapPercentiles({
      patternCounts: patterns.counts,
      statistics: targets.map((target) => target.statistic),
      prepare: (counts) => resampled.update(counts),
      resamples: options.bootstrap.resamples,
      seed: options.bootstrap.seed,
      level,
    });
    for (const [index, target] of targets.entries()) applyInterval(target.figures, intervals[index]!);
  }
  return {
    coders,
    n_units: patterns.n,
    units_not_shared: a.size + b.size - 2 * patterns.n,
    overall,
    codes,
    categories,
    ...(options.bootstrap ? { bootstrap: { ...options.bootstrap, level } } : {}),
  };
}

/** Fleiss' κ, Krippendorff's α and Gwet's AC1 of unit-by-category counts. */
function multiFigures(unitCounts: UnitCategoryCounts, coderCount: number): MultiFigures {
  const reasons: Record<string, string> = {};
  const pairable = unitCounts.filter((row) => row.reduce((sum, count) => sum + count, 0) >= 2);
  const complete = unitCounts.filter((row) => row.reduce((sum, count) => sum + count, 0) === coderCount);
  let fleiss: number | null = null;
  if (complete.length === 0) reasons['fleiss_kappa'] = 'no unit was coded by every coder';
  else fleiss = value(fleissKappa(complete), 'fleiss_kappa', reasons);
  return {
    n: pairable.length,
    fleiss_kappa: fleiss,
    fleiss_n: complete.length,
    krippendorff_alpha: value(krippendorffAlpha(unitCounts), 'krippendorff_alpha', reasons),
    gwet_ac1: value(gwetAc1(unitCounts), 'gwet_ac1', reasons),
    reasons,
  };
}

/** Reliability of three or more coders, with missing data (units not reviewed by every coder). */
export function multiCoderReliability(
  coders: string[],
  codings: Codings[],
  codebook: CodebookModel,
  options: ReliabilityOptions,
): ReliabilityReport {
  const units = new Set<number>();
  for (const coding of codings) for (const unit of coding.units) units.add(unit);
  const ordered = [...units].sort((left, right) => left - right);
  // Per unit, the code lists of the coders who reviewed it.
  const perUnit = ordered.map((unit) =>
    codings.map((coding) => coding.codesOf(unit)).filter((codes): codes is Int32Array => codes !== undefined),
  );
  const shared = perUnit.filter((list) => list.length >= 2).length;
  const codes = codebook.codes.map((code) => {
    const counts = perUnit.map((list) => {
      let present = 0;
      for (const codesOfCoder of list) if (codesOfCoder.includes(code.index)) present++;
      return [present, list.length - present];
    });
    return {
      code: code.id,
      label: code.label,
      category: code.categoryId,
      ...multiFigures(counts, codings.length),
    };
  });
  const exclusiveOverall =
    codebook.exclusive || perUnit.every((list) => list.every((codesOfCoder) => codesOfCoder.length <= 1));
  let definition: 'nominal' | 'pooled';
  if (options.overall === 'auto') definition = exclusiveOverall ? 'nominal' : 'pooled';
  else definition = options.overall;
  let overallFigures: MultiFigures;
  if (definition === 'nominal') {
    const size = codebook.codes.length + 1;
    const counts = perUnit.map((list) => {
      const row = new Array<number>(size).fill(0);
      for (const codesOfCoder of list) row[codesOfCoder.length === 0 ? size - 1 : codesOfCoder[0]!]!++;
      return row;
    });
    overallFigures = multiFigures(counts, codings.length);
  } else {
    // Pooled: every (unit, code) pair is one binary item; the coefficients are computed over all of them.
    const counts: number[][] = [];
    for (const list of perUnit) {
      for (const code of codebook.codes) {
        let present = 0;
        for (const codesOfCoder of list) if (codesOfCoder.includes(code.index)) present++;
        counts.push([present, list.length - present]);
      }
    }
    overallFigures = { ...multiFigures(counts, codings.length), n: shared };
  }
  return {
    coders,
    n_units: shared,
    units_not_shared: perUnit.filter((list) => list.length < codings.length).length,
    overall: null,
    codes: [],
    categories: [],
    multi: { definition, ...overallFigures, codes },
  };
}
