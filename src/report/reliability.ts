/** Reliability results as CSV rows and rounded numbers: shared by `coding reliability` and `coding report`. */
import type { GateResult } from '../core/gates.js';
import type { FigureSet, ReliabilityReport } from '../core/reliability.js';
import type { AlphaBootstrap } from '../core/stats/index.js';
import { type CsvCell, toCsv } from '../io/csv-write.js';

/** CSV columns of `coding reliability --format csv`: one row per overall figure, code, category, and (3+ coders) multi figure. */
export const reliabilityCsvColumns = [
  'level',
  'code',
  'category',
  'definition',
  'n',
  'observed_agreement',
  'expected_agreement',
  'kappa',
  'se',
  'ci_low',
  'ci_high',
  'bootstrap_ci_low',
  'bootstrap_ci_high',
  'scott_pi',
  'krippendorff_alpha',
  'gwet_ac1',
  'brennan_prediger',
  'pabak',
  'prevalence_index',
  'bias_index',
  'fleiss_kappa',
  'scott_pi_se',
  'scott_pi_ci_low',
  'scott_pi_ci_high',
  'krippendorff_alpha_se',
  'krippendorff_alpha_ci_low',
  'krippendorff_alpha_ci_high',
  'gwet_ac1_se',
  'gwet_ac1_ci_low',
  'gwet_ac1_ci_high',
  'brennan_prediger_se',
  'brennan_prediger_ci_low',
  'brennan_prediger_ci_high',
  'fleiss_kappa_gwet',
  'fleiss_kappa_gwet_se',
  'fleiss_kappa_gwet_ci_low',
  'fleiss_kappa_gwet_ci_high',
  'alpha_boot_ci_low',
  'alpha_boot_ci_high',
  'q_alpha_below_0667',
  'q_alpha_below_0800',
  'ci_method',
  'table',
  'note',
  'gate_figure',
  'gate_value',
  'verdict',
  'verdict_reason',
] as const;

/** Decimals of the numbers in CSV files and tables for reading (JSON keeps full precision). */
export const csvDecimals = 4;

export function rounded(value: number | null | undefined, decimals = csvDecimals): string {
  if (value === null || value === undefined) return '';
  const text = value.toFixed(decimals);
  return text === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : text;
}

function notes(reasons: Record<string, string>): string {
  const byReason = new Map<string, string[]>();
  for (const [key, reason] of Object.entries(reasons))
    byReason.set(reason, [...(byReason.get(reason) ?? []), key]);
  return [...byReason].map(([reason, keys]) => `${keys.join(', ')}: ${reason}`).join('; ');
}

/** α's bootstrap (Hayes & Krippendorff 2007) as CSV cells: its interval and q(α < 0.667), q(α < 0.800). */
function alphaBootstrapCells(
  bootstrap: AlphaBootstrap | null | undefined,
): Partial<Record<(typeof reliabilityCsvColumns)[number], CsvCell>> {
  if (!bootstrap) return {};
  const below = (minimum: number) =>
    rounded(bootstrap.below.find((entry) => entry.minimum === minimum)?.probability);
  return {
    alpha_boot_ci_low: rounded(bootstrap.low),
    alpha_boot_ci_high: rounded(bootstrap.high),
    q_alpha_below_0667: below(0.667),
    q_alpha_below_0800: below(0.8),
  };
}

/** A gate's verdict as CSV cells (empty without a gate). */
function gateCells(
  gate: GateResult | undefined,
): Partial<Record<(typeof reliabilityCsvColumns)[number], CsvCell>> {
  if (!gate) return {};
  return {
    gate_figure: gate.figure,
    gate_value: rounded(gate.value),
    verdict: gate.verdict,
    verdict_reason: gate.reason ?? '',
  };
}

function figureCells(figures: FigureSet): Partial<Record<(typeof reliabilityCsvColumns)[number], CsvCell>> {
  return {
    n: figures.n,
    observed_agreement: rounded(figures.observed_agreement),
    expected_agreement: rounded(figures.expected_agreement),
    kappa: rounded(figures.kappa),
    se: rounded(figures.se),
    ci_low: rounded(figures.ci_low),
    ci_high: rounded(figures.ci_high),
    bootstrap_ci_low: rounded(figures.bootstrap_ci_low),
    bootstrap_ci_high: rounded(figures.bootstrap_ci_high),
    scott_pi: rounded(figures.scott_pi),
    krippendorff_alpha: rounded(figures.krippendorff_alpha),
    gwet_ac1: rounded(figures.gwet_ac1),
    brennan_prediger: rounded(figures.brennan_prediger),
    pabak: rounded(figures.pabak),
    prevalence_index: rounded(figures.prevalence_index),
    bias_index: rounded(figures.bias_index),
    scott_pi_se: rounded(figures.scott_pi_se),
    scott_pi_ci_low: rounded(figures.scott_pi_ci_low),
    scott_pi_ci_high: rounded(figures.scott_pi_ci_high),
    krippendorff_alpha_se: rounded(figures.krippendorff_alpha_se),
    krippendorff_alpha_ci_low: rounded(figures.krippendorff_alpha_ci_low),
    krippendorff_alpha_ci_high: rounded(figures.krippendorff_alpha_ci_high),
    gwet_ac1_se: rounded(figures.gwet_ac1_se),
    gwet_ac1_ci_low: rounded(figures.gwet_ac1_ci_low),
    gwet_ac1_ci_high: rounded(figures.gwet_ac1_ci_high),
    brennan_prediger_se: rounded(figures.brennan_prediger_se),
    brennan_prediger_ci_low: rounded(figures.brennan_prediger_ci_low),
    brennan_prediger_ci_high: rounded(figures.brennan_prediger_ci_high),
    ...alphaBootstrapCells(figures.krippendorff_alpha_bootstrap),
    note: notes(figures.reasons),
    ...gateCells(figures.gate),
  };
}

export function reliabilityRows(report: ReliabilityReport): CsvCell[][] {
  const rows: Array<Partial<Record<(typeof reliabilityCsvColumns)[number], CsvCell>>> = [];
  const method = report.interval?.method ?? 'z';
  if (report.overall) {
    rows.push({
      level: 'overall',
      definition: report.overall.definition,
      ...figureCells(report.overall),
      table: report.overall.table ? JSON.stringify(report.overall.table) : '',
    });
  }
  for (const code of report.codes)
    rows.push({
      level: 'code',
      code: code.code,
      category: code.category,
      ...figureCells(code),
      table: JSON.stringify(code.table),
    });
  for (const category of report.categories)
    rows.push({
      level: 'category',
      category: category.category,
      ...figureCells(category),
      table: JSON.stringify(category.table),
    });
  if (report.multi) {
    const multi = report.multi;
    const multiRow = (
      figures: (typeof multi.codes)[number] | typeof multi,
      extra: Partial<Record<(typeof reliabilityCsvColumns)[number], CsvCell>>,
    ) => ({
      n: figures.n,
      fleiss_kappa_gwet: rounded(figures.fleiss_kappa_gwet),
      fleiss_kappa_gwet_se: rounded(figures.fleiss_kappa_gwet_se),
      fleiss_kappa_gwet_ci_low: rounded(figures.fleiss_kappa_gwet_ci_low),
      fleiss_kappa_gwet_ci_high: rounded(figures.fleiss_kappa_gwet_ci_high),
      fleiss_kappa: rounded(figures.fleiss_kappa),
      krippendorff_alpha: rounded(figures.krippendorff_alpha),
      gwet_ac1: rounded(figures.gwet_ac1),
      ...alphaBootstrapCells(figures.krippendorff_alpha_bootstrap),
      note: [notes(figures.reasons), `Fleiss' kappa over the ${figures.fleiss_n} units coded by every coder`]
        .filter((text) => text !== '')
        .join('; '),
      ...gateCells(figures.gate),
      ...extra,
    });
    rows.push(multiRow(multi, { level: 'multi_overall', definition: multi.definition }));
    for (const code of multi.codes)
      rows.push(multiRow(code, { level: 'multi_code', code: code.code, category: code.category }));
  }
  return rows.map((row) =>
    reliabilityCsvColumns.map((column) =>
      column === 'ci_method'
        ? 'se' in row || 'fleiss_kappa_gwet_se' in row
          ? method
          : ''
        : (row[column] ?? ''),
    ),
  );
}

export function reliabilityCsv(report: ReliabilityReport): string {
  return toCsv(reliabilityCsvColumns, reliabilityRows(report));
}
