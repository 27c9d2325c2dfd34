/**
 * `coding reliability --format markdown|latex` and the report's reliability.tex: the per-code
 * table the terminal prints (and, for exclusive categories, their confusion matrices), as tables
 * for papers. Figures to 3 decimals, from the report object itself.
 */
import type { GateResult } from '../core/gates.js';
import type { ReliabilityReport } from '../core/reliability.js';
import type { ColumnAlign, PaperTable } from './paper-table.js';
import { rounded } from './reliability.js';
import { perCodeCells, perCodeHeader } from './reliability-columns.js';

type Figure = number | null | undefined;

const show = (value: Figure): string => (value === null || value === undefined ? '—' : rounded(value, 3));
const span = (low: Figure, high: Figure): string =>
  low === null || low === undefined || high === null || high === undefined
    ? '—'
    : `[${rounded(low, 3)}, ${rounded(high, 3)}]`;
const percentOf = (level: number): string => String(Number((level * 100).toFixed(4)));
const verdict = (gate: GateResult | undefined): string => gate?.verdict ?? '';
const rightAfterFirst = (count: number): ColumnAlign[] =>
  Array.from({ length: count }, (_, index) => (index === 0 ? 'left' : 'right'));

/** Notes under the table: the overall figure, the gate, undefined figures, the legend. */
function twoCoderNotes(report: ReliabilityReport): string[] {
  const notes: string[] = [];
  const overall = report.overall;
  const level = percentOf(report.interval?.level ?? 0.95);
  if (overall) {
    const ci =
      overall.ci_low !== null && overall.ci_low !== undefined
        ? `, ${level} % CI ${span(overall.ci_low, overall.ci_high)}`
        : '';
    const boot =
      overall.bootstrap_ci_low !== undefined && report.bootstrap
        ? `, percentile bootstrap ${percentOf(report.bootstrap.level)} % CI ${span(overall.bootstrap_ci_low, overall.bootstrap_ci_high)} (${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed})`
        : '';
    notes.push(
      `Overall κ = ${show(overall.kappa)}${ci}${boot}: ${overall.description}; observed agreement ${show(overall.observed_agreement)}, expected ${show(overall.expected_agreement)}.`,
    );
  }
  if (report.gate) {
    const count = (word: string) => report.codes.filter((code) => code.gate?.verdict === word).length;
    notes.push(
      `Gate ${report.gate.description}: ${count('reliable')} reliable, ${count('tentative')} tentative, ${count('unreliable')} unreliable, ${count('undefined')} undefined` +
        (report.gate.failed.length > 0 ? `; failing: ${report.gate.failed.join(', ')}.` : '; none fails.'),
    );
  }
  for (const code of report.codes) {
    const reason = code.reasons['kappa'];
    if (reason !== undefined) notes.push(`${code.code}: κ undefined (${reason}).`);
  }
  notes.push(
    `CI: ${report.interval?.method === 't' ? 'estimate ± t(n − 1) × SE, upper bound capped at 1' : 'estimate ± z × SE'}. p_o observed agreement; π Scott; α Krippendorff (nominal); AC1 Gwet; PABAK prevalence- and bias-adjusted κ; PI prevalence index, BI bias index (Byrt et al. 1993).`,
  );
  return notes;
}

function twoCoderTable(report: ReliabilityReport): PaperTable {
  const [coderA, coderB] = report.coders;
  const header = perCodeHeader(report, `${percentOf(report.interval?.level ?? 0.95)} % CI`);
  const format = { figure: show, index: show, interval: span, verdict };
  return {
    caption: `Inter-coder reliability per code: ${coderA} (A) and ${coderB} (B), ${report.n_units} units coded by both`,
    label: 'tab:reliability',
    header,
    rows: report.codes.map((code) => perCodeCells(report, code, format)),
    align: rightAfterFirst(header.length),
    notes: twoCoderNotes(report),
  };
}

function categoryTables(report: ReliabilityReport): PaperTable[] {
  const [coderA, coderB] = report.coders;
  const level = percentOf(report.interval?.level ?? 0.95);
  return report.categories.map((category) => ({
    caption: `Exclusive category ${category.category}: ${coderA} (rows) against ${coderB} (columns)`,
    label: `tab:reliability-${category.category}`,
    header: [`${coderA} \\ ${coderB}`, ...category.values],
    rows: category.table.map((row, index) => [category.values[index]!, ...row.map(String)]),
    align: rightAfterFirst(category.values.length + 1),
    notes: [
      `κ ${show(category.kappa)} ${span(category.ci_low, category.ci_high)}, π ${show(category.scott_pi)}, α ${show(category.krippendorff_alpha)} ${span(category.krippendorff_alpha_ci_low, category.krippendorff_alpha_ci_high)}, AC1 ${show(category.gwet_ac1)}, BP ${show(category.brennan_prediger)}; ${level} % CI` +
        (category.gate ? `; verdict ${category.gate.verdict}.` : '.'),
    ],
  }));
}

function multiTable(report: ReliabilityReport): PaperTable {
  const multi = report.multi!;
  const level = percentOf(report.interval?.level ?? 0.95);
  const header = [
    'code',
    'n',
    "Fleiss' κ",
    'SE',
    `${level} % CI`,
    "Fleiss' κ (all coders)",
    'α',
    'AC1',
    ...(report.gate ? ['verdict'] : []),
  ];
  return {
    caption: `Inter-coder reliability per code: ${report.coders.length} coders (${report.coders.join(', ')}), ${multi.n} units coded by two or more`,
    label: 'tab:reliability',
    header,
    rows: multi.codes.map((code) => [
      code.code,
      String(code.n),
      show(code.fleiss_kappa_gwet),
      show(code.fleiss_kappa_gwet_se),
      span(code.fleiss_kappa_gwet_ci_low, code.fleiss_kappa_gwet_ci_high),
      show(code.fleiss_kappa),
      show(code.krippendorff_alpha),
      show(code.gwet_ac1),
      ...(report.gate ? [verdict(code.gate)] : []),
    ]),
    align: rightAfterFirst(header.length),
    notes: [
      `Overall (${multi.definition}): Fleiss' κ with missing ratings (Gwet 2014) ${show(multi.fleiss_kappa_gwet)}, ${level} % CI ${span(multi.fleiss_kappa_gwet_ci_low, multi.fleiss_kappa_gwet_ci_high)}; Fleiss' κ on the ${multi.fleiss_n} units coded by all ${show(multi.fleiss_kappa)}; α ${show(multi.krippendorff_alpha)}; AC1 ${show(multi.gwet_ac1)}.`,
      ...(report.gate ? [`Gate ${report.gate.description}.`] : []),
    ],
  };
}

/** The reliability tables for a paper: per code, then one per exclusive category (two coders). */
export function reliabilityPaperTables(report: ReliabilityReport): PaperTable[] {
  if (report.multi) return [multiTable(report)];
  return [twoCoderTable(report), ...categoryTables(report)];
}
