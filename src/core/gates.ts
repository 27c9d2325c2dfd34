/**
 * Reliability gates (coding.yaml `reliability.require`): each code, exclusive category and the
 * overall figure is judged reliable, tentative or unreliable against two thresholds, after
 * Krippendorff (2004, §11.4.4; 2019, §12.4): "rely only on variables with reliabilities above
 * α = .800. Consider variables with reliabilities between α = .667 and α = .800 only for drawing
 * tentative conclusions." A figure that is undefined cannot show reliability: its verdict is
 * `undefined`, with the reason.
 *
 * A code fails its gate when it is unreliable or undefined; it is flagged ("interpret with
 * caution") when it is anything but reliable, i.e. tentative codes pass `--check` but carry the flag.
 */
import type { Gate, GateStatistic } from '../schema/config.js';
import type { FigureSet, MultiFigures, ReliabilityReport } from './reliability.js';

export type Verdict = 'reliable' | 'tentative' | 'unreliable' | 'undefined';

/** The verdict of one figure: which key of the figures was read, its value, and why it is undefined. */
export interface GateResult {
  verdict: Verdict;
  /** The key read, e.g. `krippendorff_alpha` or `krippendorff_alpha_ci_low`. */
  figure: string;
  value: number | null;
  /** Why the figure is undefined (verdict `undefined` only). */
  reason?: string;
}

/** The gate as applied to a report: the settings and the codes and categories that failed it. */
export interface GateSummary extends Gate {
  /** Words for the gate, e.g. "α ≥ 0.800 (tentative ≥ 0.667) on the estimate". */
  description: string;
  /** Codes, then exclusive categories, whose verdict is unreliable or undefined. */
  failed: string[];
  /** Codes whose verdict is not reliable: to be read with caution. */
  flagged: string[];
}

const twoCoderKeys: Record<GateStatistic, { estimate: string; ci_low: string }> = {
  alpha: { estimate: 'krippendorff_alpha', ci_low: 'krippendorff_alpha_ci_low' },
  kappa: { estimate: 'kappa', ci_low: 'ci_low' },
  ac1: { estimate: 'gwet_ac1', ci_low: 'gwet_ac1_ci_low' },
  pi: { estimate: 'scott_pi', ci_low: 'scott_pi_ci_low' },
  bp: { estimate: 'brennan_prediger', ci_low: 'brennan_prediger_ci_low' },
};

export const statisticSymbols: Record<GateStatistic, string> = {
  alpha: 'α',
  kappa: 'κ',
  ac1: 'AC1',
  pi: 'π',
  bp: 'BP',
};

/** "α ≥ 0.800 (tentative ≥ 0.667) on the estimate": the gate in words. */
export function describeGate(gate: Gate): string {
  const basis = gate.on === 'estimate' ? 'the estimate' : 'the lower bound of its confidence interval';
  return `${statisticSymbols[gate.statistic]} ≥ ${gate.min.toFixed(3)} (tentative ≥ ${gate.tentative.toFixed(3)}) on ${basis}`;
}

/** Reliable, tentative or unreliable: the value against the two thresholds; null is undefined. */
export function verdictOf(value: number | null, gate: Pick<Gate, 'min' | 'tentative'>): Verdict {
  if (value === null || Number.isNaN(value)) return 'undefined';
  if (value >= gate.min) return 'reliable';
  if (value >= gate.tentative) return 'tentative';
  return 'unreliable';
}

function result(figure: string, value: number | null | undefined, reason: string | undefined, gate: Gate) {
  const known = value ?? null;
  const verdict = verdictOf(known, gate);
  const judged: GateResult = { verdict, figure, value: known };
  if (verdict === 'undefined') judged.reason = reason ?? 'the figure was not computed';
  return judged;
}

/** The verdict of a two-coder figure set (a code, an exclusive category or the overall figure). */
export function judgeFigures(figures: FigureSet, gate: Gate): GateResult {
  const key = twoCoderKeys[gate.statistic][gate.on];
  const value = (figures as unknown as Record<string, number | null | undefined>)[key];
  return result(key, value, figures.reasons[key], gate);
}

/**
 * The verdict of a figure of three or more coders: κ is Fleiss' κ generalised to missing ratings
 * (Gwet 2014) with its interval; α's interval is its bootstrap (Hayes & Krippendorff 2007); AC1
 * has no interval here; π and BP are two-coder coefficients.
 */
export function judgeMultiFigures(figures: MultiFigures, gate: Gate): GateResult {
  const onLow = gate.on === 'ci_low';
  switch (gate.statistic) {
    case 'kappa': {
      const key = onLow ? 'fleiss_kappa_gwet_ci_low' : 'fleiss_kappa_gwet';
      return result(key, figures[key], figures.reasons[key], gate);
    }
    case 'alpha': {
      if (!onLow)
        return result(
          'krippendorff_alpha',
          figures.krippendorff_alpha,
          figures.reasons['krippendorff_alpha'],
          gate,
        );
      const bootstrap = figures.krippendorff_alpha_bootstrap;
      const reason =
        bootstrap === undefined
          ? "for three or more coders α's interval is its bootstrap: set reliability.bootstrap (or --bootstrap)"
          : figures.reasons['krippendorff_alpha_bootstrap'];
      return result('krippendorff_alpha_boot_ci_low', bootstrap?.low, reason, gate);
    }
    case 'ac1':
      return onLow
        ? result(
            'gwet_ac1_ci_low',
            null,
            "Gwet's AC1 of three or more coders has no interval here: gate on its estimate, or on kappa",
            gate,
          )
        : result('gwet_ac1', figures.gwet_ac1, figures.reasons['gwet_ac1'], gate);
    default:
      return result(
        twoCoderKeys[gate.statistic][gate.on],
        null,
        `${gate.statistic === 'pi' ? "Scott's π" : 'Brennan-Prediger κ'} is a two-coder coefficient: for three or more coders gate on kappa (Fleiss' κ generalises π) or alpha`,
        gate,
      );
  }
}

/** A verdict that fails the gate (`--check`, `coding reproduce`): unreliable, or undefined. */
export function failsGate(judged: GateResult): boolean {
  return judged.verdict === 'unreliable' || judged.verdict === 'undefined';
}

/** A verdict whose code is flagged "interpret with caution" in theme tables and the report. */
export function isFlagged(judged: GateResult | undefined): boolean {
  return judged !== undefined && judged.verdict !== 'reliable';
}

/**
 * The report with a `gate` verdict on every code, exclusive category and overall figure, and the
 * gate's summary at the top. The figures themselves are unchanged.
 */
export function applyGate(report: ReliabilityReport, gate: Gate): ReliabilityReport {
  const codes = report.codes.map((code) => ({ ...code, gate: judgeFigures(code, gate) }));
  const categories = report.categories.map((category) => ({
    ...category,
    gate: judgeFigures(category, gate),
  }));
  const overall = report.overall ? { ...report.overall, gate: judgeFigures(report.overall, gate) } : null;
  const multi = report.multi
    ? {
        ...report.multi,
        gate: judgeMultiFigures(report.multi, gate),
        codes: report.multi.codes.map((code) => ({ ...code, gate: judgeMultiFigures(code, gate) })),
      }
    : undefined;
  const judgedCodes: Array<{ name: string; gate: GateResult }> = [
    ...codes.map((code) => ({ name: code.code, gate: code.gate })),
    ...(multi?.codes ?? []).map((code) => ({ name: code.code, gate: code.gate })),
  ];
  const failed = [
    ...judgedCodes.filter((code) => failsGate(code.gate)).map((code) => code.name),
    ...categories.filter((category) => failsGate(category.gate)).map((category) => category.category),
  ];
  const flagged = judgedCodes.filter((code) => isFlagged(code.gate)).map((code) => code.name);
  return {
    ...report,
    overall,
    codes,
    categories,
    ...(multi ? { multi } : {}),
    gate: { ...gate, description: describeGate(gate), failed, flagged },
  };
}

/** The codes to read with caution, by code id, from a gated report (empty without a gate). */
export function codeCautions(report: ReliabilityReport | undefined): Map<string, GateResult> {
  const cautions = new Map<string, GateResult>();
  if (!report?.gate) return cautions;
  for (const code of [...report.codes, ...(report.multi?.codes ?? [])])
    if (code.gate && isFlagged(code.gate)) cautions.set(code.code, code.gate);
  return cautions;
}

/**
 * The caution of a table row about `codes`: "" when none is flagged, else "interpret with
 * caution: <code> <verdict>" for each flagged code (Krippendorff's wording).
 */
export function cautionText(codes: readonly string[], cautions: ReadonlyMap<string, GateResult>): string {
  const flagged = codes
    .filter((code, index) => cautions.has(code) && codes.indexOf(code) === index)
    .map((code) => `${code} ${cautions.get(code)!.verdict}`);
  return flagged.length === 0 ? '' : `interpret with caution: ${flagged.join(', ')}`;
}
