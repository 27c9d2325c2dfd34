/**
 * The reliability part of methods.md/.tex: per-code coefficients with their intervals and gate
 * verdicts, the overall figure with its definition and citation. Every figure is a field of the
 * `ReliabilityReport` (the object written as reliability.json) printed with `rounded(·, 3)`.
 */
import type { GateResult } from '../core/gates.js';
import type { FigureSet, MultiFigures, ReliabilityReport } from '../core/reliability.js';
import type { GateStatistic } from '../schema/config.js';
import type { ReportData } from './data.js';
import { counted, type Inline, joinWords, type MethodsDocument } from './methods-document.js';
import type { PaperTable } from './paper-table.js';
import { rounded } from './reliability.js';

/** Decimals of every reliability figure in methods.md/.tex. */
export const methodsDecimals = 3;

/** Keys of a two-coder figure set for a statistic: its estimate and SE-based interval. */
export const statisticKeys: Record<GateStatistic, { estimate: string; low: string; high: string }> = {
  kappa: { estimate: 'kappa', low: 'ci_low', high: 'ci_high' },
  alpha: {
    estimate: 'krippendorff_alpha',
    low: 'krippendorff_alpha_ci_low',
    high: 'krippendorff_alpha_ci_high',
  },
  ac1: { estimate: 'gwet_ac1', low: 'gwet_ac1_ci_low', high: 'gwet_ac1_ci_high' },
  pi: { estimate: 'scott_pi', low: 'scott_pi_ci_low', high: 'scott_pi_ci_high' },
  bp: { estimate: 'brennan_prediger', low: 'brennan_prediger_ci_low', high: 'brennan_prediger_ci_high' },
};

/** Each statistic's name, symbol, the work that defines it and the one that gives its SE. */
const statistics: Record<GateStatistic, { name: string; symbol: string; cite: string; se: string }> = {
  kappa: { name: "Cohen's κ", symbol: 'κ', cite: 'Cohen 1960', se: 'Fleiss et al. 1969' },
  alpha: { name: "Krippendorff's nominal α", symbol: 'α', cite: 'Krippendorff 2011', se: 'Gwet 2014' },
  ac1: { name: "Gwet's AC1", symbol: 'AC1', cite: 'Gwet 2008', se: 'Gwet 2014' },
  pi: { name: "Scott's π", symbol: 'π', cite: 'Scott 1955', se: 'Gwet 2014' },
  bp: { name: 'Brennan–Prediger κ', symbol: 'BP', cite: 'Brennan & Prediger 1981', se: 'Gwet 2014' },
};

type Figure = number | null | undefined;

/** A figure as methods.md prints it: 3 decimals, or "undefined". */
export const figure = (value: Figure): string =>
  value === null || value === undefined ? 'undefined' : rounded(value, methodsDecimals);

/** An interval as "[low, high]", or "undefined". */
export const interval = (low: Figure, high: Figure): string =>
  low === null || low === undefined || high === null || high === undefined
    ? 'undefined'
    : `[${figure(low)}, ${figure(high)}]`;

const read = (figures: object, key: string): Figure => (figures as Record<string, Figure>)[key];

/** "95": the confidence level in percent, as recorded. */
const percentOf = (level: number): string => String(Number((level * 100).toFixed(4)));

const verdictOf = (gate: GateResult | undefined): string =>
  gate === undefined ? '' : gate.verdict === 'undefined' ? 'undefined' : gate.verdict;

/** The statistics the table shows: κ, and the gate's statistic (α without a gate). */
function shownStatistics(report: ReliabilityReport): GateStatistic[] {
  const second = report.gate?.statistic ?? 'alpha';
  return second === 'kappa' ? ['kappa'] : ['kappa', second];
}

function undefinedNotes(items: Array<{ name: string; figures: FigureSet | MultiFigures }>, keys: string[]) {
  const notes: string[] = [];
  for (const { name, figures } of items)
    for (const key of keys) {
      const reason = figures.reasons[key];
      if (reason !== undefined) notes.push(`${name}: ${key} undefined (${reason}).`);
    }
  return notes;
}

function codeTable(report: ReliabilityReport, cited: Set<string>): PaperTable {
  const level = percentOf(report.interval?.level ?? 0.95);
  const shown = shownStatistics(report);
  const boot = report.bootstrap !== undefined;
  for (const statistic of shown) cited.add(statistics[statistic].cite).add(statistics[statistic].se);
  const header = ['Code', 'n'];
  for (const statistic of shown) header.push(statistics[statistic].symbol, `${level} % CI`);
  if (boot) header.push(`α bootstrap ${percentOf(report.bootstrap!.level)} % CI`);
  if (report.gate) header.push('Verdict');
  const rows = report.codes.map((code) => {
    const row = [code.code, String(code.n)];
    for (const statistic of shown) {
      const keys = statisticKeys[statistic];
      row.push(figure(read(code, keys.estimate)), interval(read(code, keys.low), read(code, keys.high)));
    }
    if (boot)
      row.push(
        code.krippendorff_alpha_bootstrap
          ? interval(code.krippendorff_alpha_bootstrap.low, code.krippendorff_alpha_bootstrap.high)
          : 'undefined',
      );
    if (report.gate) row.push(verdictOf(code.gate));
    return row;
  });
  const notes = undefinedNotes(
    report.codes.map((code) => ({ name: code.code, figures: code })),
    shown.map((statistic) => statisticKeys[statistic].estimate),
  );
  if (boot)
    notes.unshift(
      `α bootstrap: Hayes & Krippendorff (2007), ${report.bootstrap!.resamples} resamples, seed ${report.bootstrap!.seed}.`,
    );
  if (boot) cited.add('Hayes & Krippendorff 2007');
  return {
    number: '1',
    caption: `Inter-coder reliability per code (${report.coders.join(' and ')}, ${counted(report.n_units, 'unit')} coded by both).`,
    label: 'tab:methods-reliability',
    header,
    rows,
    align: header.map((_, index) => (index === 0 ? 'left' : 'right')),
    notes,
  };
}

function gateParagraph(
  doc: MethodsDocument,
  report: ReliabilityReport,
  codes: Array<{ code: string; gate?: GateResult }>,
): void {
  const gate = report.gate;
  if (!gate) {
    doc.paragraph([
      'No reliability gate is set in coding.yaml (reliability.require): the codes carry no verdict, and none is flagged in the theme tables.',
    ]);
    return;
  }
  const count = (verdict: string) => codes.filter((code) => code.gate?.verdict === verdict).length;
  const flagged = codes.filter((code) => code.gate !== undefined && code.gate.verdict !== 'reliable');
  const flaggedParts: Inline[] = [];
  flagged.forEach((code, index) => {
    if (index > 0) flaggedParts.push(index === flagged.length - 1 ? ' and ' : ', ');
    flaggedParts.push({ code: code.code }, ` (${code.gate!.verdict})`);
  });
  doc.paragraph(
    [
      `Each code was judged against a gate after Krippendorff (2004, §11.4.4), ${gate.description}: reliable at or above the minimum, tentative (for tentative conclusions only) at or above the lower threshold, unreliable below it, and undefined when the figure is undefined.`,
    ],
    [
      `Of the ${counted(codes.length, 'code')}, ${count('reliable')} ${count('reliable') === 1 ? 'is' : 'are'} reliable, ${count('tentative')} tentative, ${count('unreliable')} unreliable and ${count('undefined')} undefined.`,
    ],
    flagged.length === 0
      ? []
      : [
          'Findings on ',
          ...flaggedParts,
          ' are flagged “interpret with caution” in every theme table of the report.',
        ],
    gate.failed.length === 0
      ? ['No code or exclusive category fails the gate.']
      : [
          `Failing the gate: ${joinWords(gate.failed)}; conclusions should not rest on ${gate.failed.length === 1 ? 'it' : 'them'}.`,
        ],
  );
}

function overallParagraph(doc: MethodsDocument, report: ReliabilityReport, cited: Set<string>): void {
  const overall = report.overall;
  if (!overall) return;
  const level = percentOf(report.interval?.level ?? 0.95);
  const name =
    overall.definition === 'pooled'
      ? 'pooled κ (De Vries et al. 2008)'
      : "Cohen's κ of one nominal variable over all codes (Cohen 1960)";
  cited.add(overall.definition === 'pooled' ? 'De Vries et al. 2008' : 'Cohen 1960');
  const parts = [`Over all codes, the ${name} is ${figure(overall.kappa)}`];
  if (overall.ci_low !== null && overall.ci_low !== undefined)
    parts.push(`, ${level} % CI ${interval(overall.ci_low, overall.ci_high)}`);
  if (overall.bootstrap_ci_low !== undefined && report.bootstrap) {
    cited.add('Efron & Tibshirani 1993');
    parts.push(
      `, percentile bootstrap ${percentOf(report.bootstrap.level)} % CI ${interval(overall.bootstrap_ci_low, overall.bootstrap_ci_high)} (${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed}; Efron & Tibshirani 1993)`,
    );
  }
  parts.push('.');
  doc.paragraph(
    [parts.join('')],
    [
      `Its definition, as computed: ${overall.description}; observed agreement ${figure(overall.observed_agreement)}, expected agreement ${figure(overall.expected_agreement)}.`,
    ],
    overall.kappa === null ? [`It is undefined: ${overall.reasons['kappa'] ?? 'no reason recorded'}.`] : [],
    overall.gate
      ? [
          `Its verdict under the gate, for information: ${overall.gate.verdict}${overall.gate.reason === undefined ? '' : ` (${overall.gate.reason})`}.`,
        ]
      : [],
  );
}

function categoriesParagraph(doc: MethodsDocument, report: ReliabilityReport): void {
  for (const category of report.categories)
    doc.paragraph([
      'The exclusive category ',
      { code: category.category },
      ` (values ${joinWords(category.values)}) is one nominal variable: κ ${figure(category.kappa)} ${interval(category.ci_low, category.ci_high)}, α ${figure(category.krippendorff_alpha)} ${interval(category.krippendorff_alpha_ci_low, category.krippendorff_alpha_ci_high)}` +
        (category.gate ? `; verdict ${category.gate.verdict}.` : '.'),
    ]);
}

function multiSection(doc: MethodsDocument, report: ReliabilityReport, cited: Set<string>): void {
  const multi = report.multi!;
  const level = percentOf(report.interval?.level ?? 0.95);
  cited.add('Gwet 2014').add('Krippendorff 2011');
  doc.paragraph(
    [
      `Agreement among the ${counted(report.coders.length, 'coder')} (${joinWords(report.coders)}) was measured per code, each code a presence/absence variable, on the ${counted(multi.n, 'unit')} that two or more coders reviewed, with Fleiss' κ generalised to missing ratings (Gwet 2014) and Krippendorff's α (nominal; Krippendorff 2011), which both use every unit with two or more ratings.`,
    ],
    [
      `Over all codes (${multi.definition}), Fleiss' κ is ${figure(multi.fleiss_kappa_gwet)}, ${level} % CI ${interval(multi.fleiss_kappa_gwet_ci_low, multi.fleiss_kappa_gwet_ci_high)}, and α is ${figure(multi.krippendorff_alpha)}.`,
    ],
  );
  const header = [
    'Code',
    'Label',
    'n',
    "Fleiss' κ",
    `${level} % CI`,
    'α',
    ...(report.gate ? ['Verdict'] : []),
  ];
  doc.table({
    number: '1',
    caption: `Inter-coder reliability per code (${report.coders.length} coders).`,
    label: 'tab:methods-reliability',
    header,
    rows: multi.codes.map((code) => [
      code.code,
      code.label,
      String(code.n),
      figure(code.fleiss_kappa_gwet),
      interval(code.fleiss_kappa_gwet_ci_low, code.fleiss_kappa_gwet_ci_high),
      figure(code.krippendorff_alpha),
      ...(report.gate ? [verdictOf(code.gate)] : []),
    ]),
    align: header.map((_, index) => (index === 1 ? 'text' : index < 1 ? 'left' : 'right')),
    notes: undefinedNotes(
      multi.codes.map((code) => ({ name: code.code, figures: code })),
      ['fleiss_kappa_gwet', 'krippendorff_alpha'],
    ),
  });
  gateParagraph(doc, report, multi.codes);
}

/** The reliability section; `cited` collects the works it cites, for the references. */
export function reliabilitySection(doc: MethodsDocument, data: ReportData, cited: Set<string>): void {
  doc.heading('Reliability');
  const report = data.reliability;
  if (report === undefined) {
    doc.paragraph([`No reliability figures: ${data.reliability_note ?? 'they were not computed'}.`]);
    return;
  }
  if (report.multi) {
    multiSection(doc, report, cited);
    return;
  }
  const shown = shownStatistics(report);
  const method =
    report.interval?.method === 't'
      ? 'estimate ± t(n − 1) × SE, the upper bound capped at 1, as irrCAC gives them'
      : 'estimate ± z × SE, normal approximation';
  doc.paragraph([
    `Agreement was measured for each code, as a presence/absence variable, on the ${counted(report.n_units, 'unit')} both coders reviewed. `,
    { table: '1', label: 'tab:methods-reliability' },
    ` gives for each code ${joinWords(shown.map((statistic) => `${statistics[statistic].name} (${statistics[statistic].cite}; SE of ${statistics[statistic].se})`))}, each with its ${percentOf(report.interval?.level ?? 0.95)} % confidence interval (${method}).`,
  ]);
  doc.table(codeTable(report, cited));
  gateParagraph(doc, report, report.codes);
  categoriesParagraph(doc, report);
  overallParagraph(doc, report, cited);
}
