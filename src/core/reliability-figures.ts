/**
 * Every two-coder figure of one k×k agreement table (rows coder A, columns coder B): Cohen's κ,
 * Scott's π, Krippendorff's α, Gwet's AC1 and Brennan–Prediger, each with its SE and SE-based
 * interval, p_o and p_e, and for a binary table PABAK and the prevalence and bias indices. A figure
 * that is undefined is null, with the reason under its key.
 */
import type { FigureSet } from './reliability.js';
import {
  type AgreementTable,
  biasIndex,
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
  prevalenceIndex,
  scottPi,
  scottPiStandardError,
  waldInterval,
} from './stats/index.js';

/** A figure's number, or null with the reason put into `reasons` under `key`. */
export function figureValue(figure: Figure, key: string, reasons: Record<string, string>): number | null {
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
    value: figureValue(point, key, reasons),
    se: figureValue(se, `${prefix}se`, reasons),
    low: figureValue(interval.low, `${prefix}ci_low`, reasons),
    high: figureValue(interval.high, `${prefix}ci_high`, reasons),
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
    result.pabak = figureValue(pabak(table), 'pabak', reasons);
    result.prevalence_index = figureValue(prevalenceIndex(table), 'prevalence_index', reasons);
    result.bias_index = figureValue(biasIndex(table), 'bias_index', reasons);
  }
  return result;
}
