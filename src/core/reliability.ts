/**
 * Inter-coder reliability of a study, from the coders' codings to every figure the report shows:
 * per code (presence/absence), per exclusive category (its codes plus "none"), overall (nominal
 * or pooled), and for three or more coders Fleiss' κ, Krippendorff's α and Gwet's AC1. Each figure
 * comes from one pure function of `./stats/`; this module only builds their count tables.
 */
import type { CodebookModel } from './codebook.js';
import type { Codings } from './codings.js';
import type { GateResult, GateSummary } from './gates.js';
import { addAlphaBootstrap, applyInterval, ResampledCells } from './reliability-bootstrap.js';
import {
  codeTable,
  type NominalVariable,
  nominalTableOf,
  nominalVariable,
  type PatternSet,
  unitPatterns,
} from './reliability-tables.js';
import {
  type AgreementTable,
  type AlphaBootstrap,
  biasIndex,
  bootstrapPercentiles,
  brennanPrediger,
  brennanPredigerStandardError,
  cohenExpectedAgreement,
  cohenKappa,
  cohenKappaStandardError,
  type Figure,
  gwetAc1FromTable,
  gwetAc1StandardError,
  type IntervalMethod,
  krippendorffAlphaFromTable,
  krippendorffAlphaStandardError,
  observedAgreement,
  pabak,
  pooledKappa,
  prevalenceIndex,
  scottPi,
  scottPiStandardError,
  waldInterval,
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
  /** SE and interval of π, α, AC1 and BP (Gwet 2014): every table figure has them. */
  scott_pi_se?: number | null;
  scott_pi_ci_low?: number | null;
  scott_pi_ci_high?: number | null;
  krippendorff_alpha: number | null;
  krippendorff_alpha_se?: number | null;
  krippendorff_alpha_ci_low?: number | null;
  krippendorff_alpha_ci_high?: number | null;
  gwet_ac1: number | null;
  gwet_ac1_se?: number | null;
  gwet_ac1_ci_low?: number | null;
  gwet_ac1_ci_high?: number | null;
  brennan_prediger: number | null;
  brennan_prediger_se?: number | null;
  brennan_prediger_ci_low?: number | null;
  brennan_prediger_ci_high?: number | null;
  /** Binary tables only. */
  pabak?: number | null;
  prevalence_index?: number | null;
  bias_index?: number | null;
  bootstrap_ci_low?: number | null;
  bootstrap_ci_high?: number | null;
  /** With --bootstrap: α's bootstrap of Hayes & Krippendorff (2007), or null with the reason. */
  krippendorff_alpha_bootstrap?: AlphaBootstrap | null;
  /** Why a figure is null, by its key. */
  reasons: Record<string, string>;
  /** With a gate (coding.yaml reliability.require): this figure's verdict. */
  gate?: GateResult;
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
  /**
   * The headline: Fleiss' κ generalised to missing ratings (Gwet 2014; irrCAC `fleiss.kappa.raw`)
   * over the n units coded by two or more, with its SE and interval. Equal to `fleiss_kappa` when
   * every coder coded every unit.
   */
  fleiss_kappa_gwet?: number | null;
  fleiss_kappa_gwet_se?: number | null;
  fleiss_kappa_gwet_ci_low?: number | null;
  fleiss_kappa_gwet_ci_high?: number | null;
  /** Fleiss' (1971) κ over the `fleiss_n` units coded by every coder. */
  fleiss_kappa: number | null;
  /** Units coded by every coder (Fleiss' κ needs the same number of coders on each unit). */
  fleiss_n: number;
  /**
   * The pooled overall only: the (unit, code) items the coefficients, the SE and the interval are
   * computed over — n units × the codes, each item counted as independent.
   */
  items?: number;
  krippendorff_alpha: number | null;
  /** With --bootstrap: α's bootstrap of Hayes & Krippendorff (2007), or null with the reason. */
  krippendorff_alpha_bootstrap?: AlphaBootstrap | null;
  gwet_ac1: number | null;
  reasons: Record<string, string>;
  /** With a gate (coding.yaml reliability.require): this figure's verdict. */
  gate?: GateResult;
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
  /** How the SE-based intervals were made: `z` (estimate ± z·SE) or `t` (± t(n − 1)·SE, upper bound capped at 1). */
  interval?: { method: IntervalMethod; level: number };
  /** With a gate (coding.yaml reliability.require): the gate and what failed it. */
  gate?: GateSummary;
}

export interface ReliabilityOptions {
  overall: OverallDefinition;
  bootstrap?: { resamples: number; seed: number } | undefined;
  level?: number;
  /** SE-based intervals: z (default) or t(n − 1) capped at 1 (irrCAC). */
  interval?: IntervalMethod | undefined;
}

function value(figure: Figure, key: string, reasons: Record<string, string>): number | null {
  if (figure.value === null) reasons[key] = figure.reason;
  return figure.value;
}

/** A coefficient of a table with its SE and SE-based interval, each a number or null (reason in `reasons`). */
interface WithInterval {
  value: number | null;
  se: number | null;
  low: number | null;
  high: number | null;
}

/**
 * One coefficient with its SE and interval; the reasons go under `key`, and under `prefix` + se,
 * ci_low, ci_high (κ keeps its historical keys se, ci_low, ci_high: an empty prefix).
 */
function withInterval(
  point: Figure,
  se: Figure,
  units: number,
  level: number,
  method: IntervalMethod,
  key: string,
  prefix: string,
  reasons: Record<string, string>,
): WithInterval {
  const interval = waldInterval(point, se, units, level, method);
  return {
    value: value(point, key, reasons),
    se: value(se, `${prefix}se`, reasons),
    low: value(interval.low, `${prefix}ci_low`, reasons),
    high: value(interval.high, `${prefix}ci_high`, reasons),
  };
}

/** Every two-coder figure of a k×k table, with SE-based intervals made by `method`. */
export function figuresOfTable(table: AgreementTable, level = 0.95, method: IntervalMethod = 'z'): FigureSet {
  const reasons: Record<string, string> = {};
  const n = table.reduce((sum, row) => sum + row.reduce((rowSum, cell) => rowSum + cell, 0), 0);
  const of = (point: Figure, se: Figure, key: string, prefix: string) =>
    withInterval(point, se, n, level, method, key, prefix, reasons);
  const kappa = of(cohenKappa(table), cohenKappaStandardError(table), 'kappa', '');
  const pi = of(scottPi(table), scottPiStandardError(table), 'scott_pi', 'scott_pi_');
  const alpha = of(
    krippendorffAlphaFromTable(table),
    krippendorffAlphaStandardError(table),
    'krippendorff_alpha',
    'krippendorff_alpha_',
  );
  const ac1 = of(gwetAc1FromTable(table), gwetAc1StandardError(table), 'gwet_ac1', 'gwet_ac1_');
  const bp = of(
    brennanPrediger(table),
    brennanPredigerStandardError(table),
    'brennan_prediger',
    'brennan_prediger_',
  );
  const result: FigureSet = {
    n,
    observed_agreement: n === 0 ? null : observedAgreement(table),
    expected_agreement: n === 0 ? null : cohenExpectedAgreement(table),
    kappa: kappa.value,
    se: kappa.se,
    ci_low: kappa.low,
    ci_high: kappa.high,
    scott_pi: pi.value,
    scott_pi_se: pi.se,
    scott_pi_ci_low: pi.low,
    scott_pi_ci_high: pi.high,
    krippendorff_alpha: alpha.value,
    krippendorff_alpha_se: alpha.se,
    krippendorff_alpha_ci_low: alpha.low,
    krippendorff_alpha_ci_high: alpha.high,
    gwet_ac1: ac1.value,
    gwet_ac1_se: ac1.se,
    gwet_ac1_ci_low: ac1.low,
    gwet_ac1_ci_high: ac1.high,
    brennan_prediger: bp.value,
    brennan_prediger_se: bp.se,
    brennan_prediger_ci_low: bp.low,
    brennan_prediger_ci_high: bp.high,
    reasons,
  };
  if (n === 0) {
    reasons['observed_agreement'] = 'no units';
    reasons['expected_agreement'] = 'no units';
  }
  if (table.length === 2) {
    result.pabak = value(pabak(table), 'pabak', reasons);
    result.prevalence_index = value(prevalenceIndex(table), 'prevalence_index', reasons);
    result.bias_index = value(biasIndex(table), 'bias_index', reasons);
  }
  return result;
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

/** Words saying which values the nominal overall table has, for people. */
function nominalDescription(variable: NominalVariable, codeCount: number): string {
  const composites = variable.scale.compositeCount;
  const none = variable.values.at(-1) === 'none';
  return (
    `Cohen's kappa on the nominal table of the ${codeCount} code${codeCount === 1 ? '' : 's'}` +
    (composites > 0 ? `, ${composites} composite value${composites === 1 ? '' : 's'}` : '') +
    (none ? ' and "none"' : '') +
    '; the value of a unit is the whole set of codes a coder gave it (several codes make one composite value such as a+b)'
  );
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
  const method = options.interval ?? 'z';
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
      ...figuresOfTable(table, level, method),
      table,
    };
    targets.push({ figures, statistic: () => cohenKappa(resampled.table(code.index)).value });
    return figures;
  });
  const categories: CategoryReliability[] = codebook.categories
    .filter((category) => category.exclusive)
    .map((category) => {
      const members = category.codeIds.map((id) => codebook.codeById.get(id)!.index);
      const variable = nominalVariable(patterns, members, category.codeIds);
      const figures: CategoryReliability = {
        category: category.id,
        label: category.label,
        values: variable.values,
        ...figuresOfTable(variable.table, level, method),
        table: variable.table,
      };
      targets.push({
        figures,
        statistic: (counts) => cohenKappa(nominalTableOf(variable, counts)).value,
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
      const variable = nominalVariable(
        patterns,
        codebook.codes.map((code) => code.index),
        codebook.codes.map((code) => code.id),
      );
      overall = {
        definition,
        description: nominalDescription(variable, codeCount),
        values: variable.values,
        table: variable.table,
        ...figuresOfTable(variable.table, level, method),
      };
      targets.push({
        figures: overall,
        statistic: (counts) => cohenKappa(nominalTableOf(variable, counts)).value,
      });
    } else {
      const pooled = pooledFigures(patterns, codeCount);
      const reasons: Record<string, string> = {};
      const notPooled =
        'not defined for pooled kappa; see the per-code figures and, with --bootstrap, the bootstrap interval';
      // Every figure but κ, p_o and p_e is undefined for the pooled κ: null with the reason.
      const none = { value: null, se: null, low: null, high: null };
      overall = {
        definition,
        description: `pooled kappa (De Vries et al. 2008): (mean p_o - mean p_e) / (1 - mean p_e) over the ${codeCount} codes' presence/absence tables`,
        n: patterns.n,
        observed_agreement: pooled.observed,
        expected_agreement: pooled.expected,
        kappa: value(pooled.kappa, 'kappa', reasons),
        se: none.se,
        ci_low: none.low,
        ci_high: none.high,
        scott_pi: none.value,
        scott_pi_se: none.se,
        scott_pi_ci_low: none.low,
        scott_pi_ci_high: none.high,
        krippendorff_alpha: none.value,
        krippendorff_alpha_se: none.se,
        krippendorff_alpha_ci_low: none.low,
        krippendorff_alpha_ci_high: none.high,
        gwet_ac1: none.value,
        gwet_ac1_se: none.se,
        gwet_ac1_ci_low: none.low,
        gwet_ac1_ci_high: none.high,
        brennan_prediger: none.value,
        brennan_prediger_se: none.se,
        brennan_prediger_ci_low: none.low,
        brennan_prediger_ci_high: none.high,
        reasons,
      };
      for (const [key, figure] of Object.entries(overall))
        if (figure === null && key !== 'kappa') reasons[key] = notPooled;
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
    for (const [index, target] of targets.entries()) {
      applyInterval(target.figures, intervals[index]!);
      const table = (target.figures as { table?: number[][] }).table;
      if (table) {
        // Two coders: the coincidence matrix is the table plus its transpose.
        const coincidences = table.map((row, first) =>
          row.map((cell, second) => cell + table[second]![first]!),
        );
        addAlphaBootstrap(target.figures, coincidences, 2, options.bootstrap, level);
      }
    }
  }
  return {
    coders,
    n_units: patterns.n,
    units_not_shared: a.size + b.size - 2 * patterns.n,
    overall,
    codes,
    categories,
    ...(options.bootstrap ? { bootstrap: { ...options.bootstrap, level } } : {}),
    interval: { method, level },
  };
}

export { multiCoderReliability } from './reliability-multi.js';
