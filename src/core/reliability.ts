/**
 * Inter-coder reliability of a study, from the coders' codings to every figure the report shows:
 * per code (presence/absence), per exclusive category (its codes plus "none"), overall (nominal
 * or pooled), and for three or more coders Fleiss' κ, Krippendorff's α and Gwet's AC1. Each figure
 * comes from one pure function of `./stats/`; this module only builds their count tables. The
 * figures of one table are made in `./reliability-figures.ts`, the path for several coders is
 * `./reliability-multi.ts`.
 */
import type { CodebookModel } from './codebook.js';
import type { Codings } from './codings.js';
import type { GateResult, GateSummary } from './gates.js';
import { addAlphaBootstrap, applyInterval, ResampledCells } from './reliability-bootstrap.js';
import { figuresOfTable, figureValue } from './reliability-figures.js';
import {
  codeTable,
  type NominalVariable,
  nominalTableOf,
  nominalVariable,
  type PatternSet,
  unitPatterns,
} from './reliability-tables.js';
import {
  type AlphaBootstrap,
  bootstrapPercentiles,
  cohenExpectedAgreement,
  cohenKappa,
  type Figure,
  type IntervalMethod,
  observedAgreement,
  pooledKappa,
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

/** True when no coder gives a unit more than one code: the codes then form one nominal variable. */
function atMostOneCode(patterns: PatternSet): boolean {
  return (
    patterns.codesA.every((codes) => codes.length <= 1) && patterns.codesB.every((codes) => codes.length <= 1)
  );
}

function pooledFigures(
  patterns: PatternSet,
  codeCount: number,
): { kappa: Figure; observed: number; expected: number } {
  const tables = Array.from({ length: codeCount }, (_, code) => codeTable(patterns, code, patterns.counts));
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

/** A figure that gets a bootstrap interval, with its statistic on one resample's pattern counts. */
interface BootstrapTarget {
  figures: FigureSet;
  statistic: (counts: Float64Array) => number | null;
}

/**
 * What the figures of two coders are computed from, shared by the per-code, per-category and
 * overall figures: the unit patterns, the codebook, the cells of each resample, the level and
 * interval method, and the figures that get a bootstrap interval (in the order they are made).
 */
interface TwoCoderContext {
  patterns: PatternSet;
  codebook: CodebookModel;
  resampled: ResampledCells;
  level: number;
  method: IntervalMethod;
  targets: BootstrapTarget[];
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
  const resampled = new ResampledCells(patterns, codebook.codes.length);
  // Figures that get a bootstrap interval, each with its statistic on one resample.
  const context: TwoCoderContext = { patterns, codebook, resampled, level, method, targets: [] };
  const codes = codeFigures(context);
  const categories = categoryFigures(context);
  const overall = overallFigures(context, overallDefinitionOf(options.overall, codebook, patterns));
  if (options.bootstrap && patterns.n > 0) addBootstrapIntervals(context, options.bootstrap);
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

/** The figures of each code's presence/absence table; each code's κ gets a bootstrap interval. */
function codeFigures(context: TwoCoderContext): CodeReliability[] {
  const { patterns, codebook, resampled, level, method, targets } = context;
  return codebook.codes.map((code) => {
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
}

/**
 * The figures of each exclusive category's nominal table (its codes, then "none"); each
 * category's κ gets a bootstrap interval.
 */
function categoryFigures(context: TwoCoderContext): CategoryReliability[] {
  const { patterns, codebook, level, method, targets } = context;
  return codebook.categories
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
}

/**
 * Which overall κ to compute: the one asked for, or with `auto` the nominal κ when the codebook is
 * exclusive or no coder gave a unit more than one code, else the pooled κ.
 */
function overallDefinitionOf(
  choice: OverallDefinition,
  codebook: CodebookModel,
  patterns: PatternSet,
): 'nominal' | 'pooled' {
  if (choice === 'auto') return codebook.exclusive || atMostOneCode(patterns) ? 'nominal' : 'pooled';
  return choice;
}

/** The overall figures by `definition`, or null when there is no shared unit or no code. */
function overallFigures(
  context: TwoCoderContext,
  definition: 'nominal' | 'pooled',
): OverallReliability | null {
  if (context.patterns.n === 0 || context.codebook.codes.length === 0) return null;
  return definition === 'nominal' ? nominalOverall(context) : pooledOverall(context);
}

/**
 * The overall figures of the nominal table of every code, where a unit's value is the whole set of
 * codes a coder gave it; its κ gets a bootstrap interval.
 */
function nominalOverall(context: TwoCoderContext): OverallReliability {
  const { patterns, codebook, level, method, targets } = context;
  const variable = nominalVariable(
    patterns,
    codebook.codes.map((code) => code.index),
    codebook.codes.map((code) => code.id),
  );
  const overall: OverallReliability = {
    definition: 'nominal',
    description: nominalDescription(variable, codebook.codes.length),
    values: variable.values,
    table: variable.table,
    ...figuresOfTable(variable.table, level, method),
  };
  targets.push({
    figures: overall,
    statistic: (counts) => cohenKappa(nominalTableOf(variable, counts)).value,
  });
  return overall;
}

/**
 * The pooled κ (De Vries et al. 2008) over the codes' presence/absence tables, with its mean p_o
 * and p_e; every other figure is undefined for it: null with the reason. Its κ gets a bootstrap
 * interval.
 */
function pooledOverall(context: TwoCoderContext): OverallReliability {
  const { patterns, resampled, targets } = context;
  const codeCount = context.codebook.codes.length;
  const pooled = pooledFigures(patterns, codeCount);
  const reasons: Record<string, string> = {};
  const notPooled =
    'not defined for pooled kappa; see the per-code figures and, with --bootstrap, the bootstrap interval';
  // Every figure but κ, p_o and p_e is undefined for the pooled κ: null with the reason.
  const none = { value: null, se: null, low: null, high: null };
  const overall: OverallReliability = {
    definition: 'pooled',
    description: `pooled kappa (De Vries et al. 2008): (mean p_o - mean p_e) / (1 - mean p_e) over the ${codeCount} codes' presence/absence tables`,
    n: patterns.n,
    observed_agreement: pooled.observed,
    expected_agreement: pooled.expected,
    kappa: figureValue(pooled.kappa, 'kappa', reasons),
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
  return overall;
}

/**
 * Put the percentile bootstrap interval of each target's κ into its figures, and, for a figure with
 * a table, α's bootstrap (Hayes & Krippendorff 2007).
 */
function addBootstrapIntervals(
  context: TwoCoderContext,
  bootstrap: { resamples: number; seed: number },
): void {
  const { patterns, resampled, level, targets } = context;
  const intervals = bootstrapPercentiles({
    patternCounts: patterns.counts,
    statistics: targets.map((target) => target.statistic),
    prepare: (counts) => resampled.update(counts),
    resamples: bootstrap.resamples,
    seed: bootstrap.seed,
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
      addAlphaBootstrap(target.figures, coincidences, 2, bootstrap, level);
    }
  }
}

export { multiCoderReliability } from './reliability-multi.js';
