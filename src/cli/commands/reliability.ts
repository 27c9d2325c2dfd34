import chalk from 'chalk';
import { type Command, Option } from 'commander';
import { checkGate, computeReliability, headlineKappa } from '../../app/reliability.js';
import type { GateResult } from '../../core/gates.js';
import type {
  CategoryReliability,
  FigureSet,
  MultiReliability,
  OverallReliability,
  ReliabilityReport,
} from '../../core/reliability.js';
import { overallDefinitions } from '../../core/reliability.js';
import {
  type AlphaBootstrap,
  type IntervalMethod,
  intervalMethods,
  landisKoch,
} from '../../core/stats/index.js';
import { CheckFailed, UsageError } from '../../errors.js';
import { latexTables, markdownTables } from '../../report/paper-table.js';
import { reliabilityCsv, rounded } from '../../report/reliability.js';
import { perCodeCells, perCodeHeader } from '../../report/reliability-columns.js';
import { reliabilityPaperTables } from '../../report/reliability-paper.js';
import {
  type Gate,
  gateBases,
  gateSchema,
  gateStatistics,
  maxBootstrapResamples,
} from '../../schema/config.js';
import { addWorkspaceOption, collect, parseInteger, parseList, parseNumber } from '../common.js';
import { printFinding, renderTable, writeData, writeOut } from '../output.js';

const show = (value: number | null | undefined, decimals = 3): string =>
  value === null || value === undefined ? '—' : rounded(value, decimals);
const interval = (low: number | null | undefined, high: number | null | undefined): string =>
  low === null || low === undefined || high === null || high === undefined
    ? '—'
    : `${rounded(low, 2)} – ${rounded(high, 2)}`;

/** How the SE-based intervals were made, in words for the terminal; `units` gives t's degrees of freedom. */
/** A confidence level as a percentage: 0.95 → "95 %", 0.975 → "97.50 %". */
function levelPercent(level: number): string {
  return `${rounded(level * 100, level * 100 === Math.round(level * 100) ? 0 : 2)} %`;
}

function intervalLabel(report: ReliabilityReport, units?: number): string {
  const { method, level } = report.interval ?? { method: 'z', level: 0.95 };
  const percent = levelPercent(level);
  if (method === 'z') return `${percent} CI (z)`;
  const degrees = units === undefined ? 'n − 1' : String(units - 1);
  return `${percent} CI (t, ${degrees} df, upper bound capped at 1)`;
}

/** "0.835 (0.74 – 0.93)": an estimate with its SE-based interval. */
function withInterval(
  estimate: number | null | undefined,
  low: number | null | undefined,
  high: number | null | undefined,
): string {
  return `${show(estimate)} (${interval(low, high)})`;
}

/** One line on α's bootstrap (Hayes & Krippendorff 2007), or nothing without --bootstrap. */
function alphaBootstrapLine(
  bootstrap: AlphaBootstrap | null | undefined,
  reason: string | undefined,
): string[] {
  if (bootstrap === undefined) return [];
  if (bootstrap === null) return [`  α bootstrap: undefined — ${reason ?? 'no reason given'}`];
  const below = bootstrap.below
    .map((entry) => `q(α < ${rounded(entry.minimum, 3)}) = ${rounded(entry.probability, 3)}`)
    .join(', ');
  return [
    `  α bootstrap (Hayes & Krippendorff 2007; ${bootstrap.resamples} resamples of ${bootstrap.pairs} pairs): ${rounded(bootstrap.level * 100, 0)} % ${interval(bootstrap.low, bootstrap.high)}; ${below}`,
  ];
}

/** A verdict for the terminal: the word, with the figure it was read from when it is not the estimate. */
const verdictText = (gate: GateResult | undefined): string => (gate ? gate.verdict : '');

/** The gate in one line, and a footnote for each undefined verdict. */
function gateLines(report: ReliabilityReport, items: Array<{ name: string; gate?: GateResult }>): string[] {
  const gate = report.gate;
  if (!gate) return [];
  const count = (verdict: string) => items.filter((item) => item.gate?.verdict === verdict).length;
  const lines = [
    `${chalk.bold('gate')} ${gate.description}: ${count('reliable')} reliable, ${count('tentative')} tentative, ${count('unreliable')} unreliable, ${count('undefined')} undefined` +
      (gate.failed.length > 0 ? `; failing: ${gate.failed.join(', ')}` : '; none fails'),
  ];
  for (const item of items)
    if (item.gate?.verdict === 'undefined')
      lines.push(chalk.dim(`  ${item.name}: verdict undefined — ${item.gate.reason ?? ''}`));
  if (gate.flagged.length > 0)
    lines.push(
      chalk.dim(
        '  Codes not reliable are flagged "interpret with caution" in coding themes and the report (Krippendorff 2004: tentative conclusions only).',
      ),
    );
  return lines;
}

/**
 * `--require STATISTIC[:MIN[:TENTATIVE[:ON]]]`, e.g. `alpha:0.8:0.667:ci_low`; omitted parts take
 * the defaults of coding.yaml `reliability.require`.
 */
export function parseRequire(text: string): Gate {
  const [statistic, min, tentative, on, ...rest] = text.split(':');
  const usage = `--require is STATISTIC[:MIN[:TENTATIVE[:ON]]] with STATISTIC one of ${gateStatistics.join(', ')} and ON one of ${gateBases.join(', ')}, e.g. --require alpha:0.8:0.667:estimate`;
  const number = (part: string | undefined) => (part === undefined || part === '' ? undefined : Number(part));
  const parsed = gateSchema.safeParse({
    statistic,
    ...(number(min) !== undefined ? { min: number(min) } : {}),
    ...(number(tentative) !== undefined ? { tentative: number(tentative) } : {}),
    ...(on !== undefined && on !== '' ? { on } : {}),
  });
  if (rest.length > 0 || !parsed.success) {
    const issue = parsed.success
      ? 'too many parts'
      : parsed.error.issues.map((item) => `${item.path.join('.')}: ${item.message}`).join('; ');
    throw new UsageError(`--require "${text}" is not a gate (${issue})`, { hint: usage });
  }
  return parsed.data;
}

function footnotes(items: Array<{ name: string; figures: FigureSet }>): string[] {
  const lines: string[] = [];
  for (const { name, figures } of items) {
    const reason = figures.reasons['kappa'];
    if (reason) lines.push(`${name}: κ undefined — ${reason}`);
  }
  return lines;
}

/** The reliability report as text for a terminal: three or more coders, or a pair. */
function renderTerminal(report: ReliabilityReport): string {
  const lines = report.multi ? multiCoderLines(report, report.multi) : twoCoderLines(report);
  return `${lines.join('\n')}\n`;
}

/** Three or more coders: Fleiss' κ overall and per code, with α and AC1, then the gate. */
function multiCoderLines(report: ReliabilityReport, multi: MultiReliability): string[] {
  const out = [...multiCoderHeadline(report, multi), multiCoderTable(report, multi)];
  const gated = gateLines(report, [
    { name: 'overall', ...(multi.gate ? { gate: multi.gate } : {}) },
    ...multi.codes.map((code) => ({ name: code.code, ...(code.gate ? { gate: code.gate } : {}) })),
  ]);
  if (gated.length > 0) out.push('', ...gated);
  return out;
}

/** Who coded what, and the overall Fleiss' κ with its interval, α, AC1 and α's bootstrap. */
function multiCoderHeadline(report: ReliabilityReport, multi: MultiReliability): string[] {
  const headline =
    multi.fleiss_kappa_gwet === null || multi.fleiss_kappa_gwet === undefined
      ? `undefined (${multi.reasons['fleiss_kappa_gwet']})`
      : `${show(multi.fleiss_kappa_gwet)} ${chalk.dim(`[${landisKoch(multi.fleiss_kappa_gwet)}]`)}, ${intervalLabel(report, multi.items ?? multi.n)} ${interval(multi.fleiss_kappa_gwet_ci_low, multi.fleiss_kappa_gwet_ci_high)}`;
  return [
    chalk.bold(
      `${report.coders.length} coders (${report.coders.join(', ')}): ${report.n_units} units coded by two or more, ${report.units_not_shared} not by all`,
    ),
    `${chalk.bold(`overall Fleiss' κ (${multi.definition})`)} = ${headline}`,
    chalk.dim(
      `  Fleiss' κ generalised to missing ratings (Gwet 2014) over the ${multi.n} units coded by two or more${multi.items === undefined ? '' : ` (${multi.items} unit × code items, each counted as independent)`}; Fleiss' κ on the ${multi.fleiss_n} units coded by all ${show(multi.fleiss_kappa)}`,
    ),
    `  Krippendorff's α ${show(multi.krippendorff_alpha)}, Gwet's AC1 ${show(multi.gwet_ac1)}`,
    ...alphaBootstrapLine(multi.krippendorff_alpha_bootstrap, multi.reasons['krippendorff_alpha_bootstrap']),
    '',
  ];
}

/** The per-code table for three or more coders, with a verdict column under a gate. */
function multiCoderTable(report: ReliabilityReport, multi: MultiReliability): string {
  return renderTable(
    [
      'code',
      'n',
      'Fleiss κ',
      'SE',
      'Fleiss κ (all coders)',
      'Krippendorff α',
      'Gwet AC1',
      ...(report.gate ? ['verdict'] : []),
    ],
    multi.codes.map((code) => [
      code.code,
      code.n,
      show(code.fleiss_kappa_gwet),
      show(code.fleiss_kappa_gwet_se),
      show(code.fleiss_kappa),
      show(code.krippendorff_alpha),
      show(code.gwet_ac1),
      ...(report.gate ? [verdictText(code.gate)] : []),
    ]),
    { right: new Set([1, 2, 3, 4, 5, 6]) },
  );
}

/**
 * Two coders: the overall κ, the per-code table, each exclusive category with its agreement table,
 * the gate, the footnotes on undefined κ and the legend.
 */
function twoCoderLines(report: ReliabilityReport): string[] {
  const [coderA, coderB] = report.coders;
  const out: string[] = [
    chalk.bold(`${coderA} and ${coderB}: ${report.n_units} units coded by both`) +
      (report.units_not_shared > 0
        ? chalk.dim(` (${report.units_not_shared} coded by one only, left out)`)
        : ''),
  ];
  const overall = report.overall;
  if (overall) out.push(...overallLines(report, overall));
  out.push('', codeTable(report));
  for (const category of report.categories) out.push('', ...categoryLines(report, category));
  const notes = footnotes([
    ...(overall ? [{ name: 'overall', figures: overall }] : []),
    ...report.codes.map((code) => ({ name: code.code, figures: code })),
    ...report.categories.map((category) => ({ name: category.category, figures: category })),
  ]);
  out.push('');
  const gated = gateLines(report, [
    ...(overall ? [{ name: 'overall', ...(overall.gate ? { gate: overall.gate } : {}) }] : []),
    ...report.codes.map((code) => ({ name: code.code, ...(code.gate ? { gate: code.gate } : {}) })),
    ...report.categories.map((category) => ({
      name: `category ${category.category}`,
      ...(category.gate ? { gate: category.gate } : {}),
    })),
  ]);
  if (gated.length > 0) out.push(...gated, '');
  for (const note of notes) out.push(chalk.dim(note));
  out.push(
    chalk.dim(
      'p_o observed agreement; π Scott; α Krippendorff (nominal); AC1 Gwet; PABAK prevalence- and bias-adjusted κ; PI prevalence index, BI bias index (Byrt et al. 1993).',
    ),
    chalk.dim(
      'Labels in brackets follow Landis & Koch (1977): a convention, not a finding. JSON (--format json) has every figure at full precision.',
    ),
  );
  return out;
}

/** The overall κ of two coders with its intervals and verdict, how it was computed, and π, α, AC1, BP. */
function overallLines(report: ReliabilityReport, overall: OverallReliability): string[] {
  const kappa =
    overall.kappa === null
      ? `undefined (${overall.reasons['kappa']})`
      : `${show(overall.kappa)} ${chalk.dim(`[${landisKoch(overall.kappa)}]`)}`;
  const ci =
    overall.ci_low !== null
      ? `, ${intervalLabel(report, overall.n)} ${interval(overall.ci_low, overall.ci_high)}`
      : '';
  const boot =
    overall.bootstrap_ci_low !== undefined
      ? `, bootstrap ${levelPercent(report.bootstrap?.level ?? 0.95)} CI ${interval(overall.bootstrap_ci_low, overall.bootstrap_ci_high)}`
      : '';
  // An undefined verdict (pooled κ has no interval) is explained under the table, in the gate's lines.
  const overallVerdict = overall.gate
    ? ` — gate: ${overall.gate.verdict === 'undefined' ? 'verdict undefined (see the gate below)' : overall.gate.verdict}`
    : '';
  const out = [
    `${chalk.bold('overall κ')} = ${kappa}${ci}${boot}${overallVerdict}`,
    chalk.dim(
      `  ${overall.description}; observed agreement ${show(overall.observed_agreement)}, expected ${show(overall.expected_agreement)}`,
    ),
  ];
  if (overall.scott_pi !== null)
    out.push(
      `  π ${withInterval(overall.scott_pi, overall.scott_pi_ci_low, overall.scott_pi_ci_high)}, α ${withInterval(overall.krippendorff_alpha, overall.krippendorff_alpha_ci_low, overall.krippendorff_alpha_ci_high)}, AC1 ${withInterval(overall.gwet_ac1, overall.gwet_ac1_ci_low, overall.gwet_ac1_ci_high)}, BP ${withInterval(overall.brennan_prediger, overall.brennan_prediger_ci_low, overall.brennan_prediger_ci_high)}`,
    );
  out.push(
    ...alphaBootstrapLine(
      overall.krippendorff_alpha_bootstrap,
      overall.reasons['krippendorff_alpha_bootstrap'],
    ),
  );
  return out;
}

/** The per-code table of two coders: the 2×2 counts and every statistic, bootstrap and verdict when there are any. */
function codeTable(report: ReliabilityReport): string {
  const header = perCodeHeader(
    report,
    `${rounded((report.interval?.level ?? 0.95) * 100, 0)} % CI (${report.interval?.method ?? 'z'})`,
  );
  const format = {
    figure: show,
    index: (value: number | null | undefined) => show(value, 2),
    interval,
    verdict: verdictText,
  };
  return renderTable(
    header,
    report.codes.map((code) => perCodeCells(report, code, format)),
    { right: new Set(header.map((_, index) => index).filter((index) => index > 0)) },
  );
}

/** An exclusive category of two coders: its figures in one line, then the coders' agreement table. */
function categoryLines(report: ReliabilityReport, category: CategoryReliability): string[] {
  const [coderA, coderB] = report.coders;
  return [
    `${chalk.bold(`category ${category.category}`)} (exclusive: ${category.values.join(', ')}): κ ${withInterval(category.kappa, category.ci_low, category.ci_high)}, π ${withInterval(category.scott_pi, category.scott_pi_ci_low, category.scott_pi_ci_high)}, α ${withInterval(category.krippendorff_alpha, category.krippendorff_alpha_ci_low, category.krippendorff_alpha_ci_high)}, AC1 ${withInterval(category.gwet_ac1, category.gwet_ac1_ci_low, category.gwet_ac1_ci_high)}, BP ${withInterval(category.brennan_prediger, category.brennan_prediger_ci_low, category.brennan_prediger_ci_high)}; intervals: ${intervalLabel(report, category.n)}${category.gate ? ` — gate: ${category.gate.verdict}` : ''}`,
    renderTable(
      [`${coderA} \\ ${coderB}`, ...category.values],
      category.table.map((row, index) => [category.values[index]!, ...row]),
      { right: new Set(category.values.map((_, index) => index + 1)) },
    ),
  ];
}

export function registerReliability(program: Command): void {
  const command = program
    .command('reliability')
    .description(
      "inter-coder reliability: Cohen's κ with SE and CI, Scott's π, Krippendorff's α, Gwet's AC1, PABAK… per code, category and overall",
    )
    .option('--coders <a,b>', 'the coders (default: coding.yaml, or every coder in the files)', parseList)
    .option(
      '--annotations <file>',
      'a long CSV unit_id,coder,code instead of the workspace (repeatable; - for stdin)',
      collect,
    )
    .option('--codebook <file>', 'codebook for --annotations files')
    .option(
      '--codes <a,b,c>',
      'the code universe for --annotations files without a codebook (unused codes count too)',
      parseList,
    )
    .addOption(
      new Option(
        '--overall <definition>',
        'overall κ: nominal (one code per unit), pooled (De Vries et al. 2008), or auto',
      ).choices(overallDefinitions),
    )
    .option(
      '--bootstrap <n>',
      'percentile bootstrap confidence intervals with n resamples (default: coding.yaml, else none)',
      parseInteger('--bootstrap', { min: 0, max: maxBootstrapResamples }),
    )
    .option(
      '--seed <n>',
      'seed of the bootstrap (default: coding.yaml, else 1)',
      parseInteger('--seed', { min: 0, max: 4294967295 }),
    )
    .option(
      '--level <p>',
      'confidence level of the intervals',
      parseNumber('--level', { min: 0, minExclusive: true, max: 0.999999 }),
      0.95,
    )
    .addOption(
      new Option(
        '--ci <method>',
        'SE-based intervals: z (estimate ± z·SE, as vcd, psych, SAS) or t (± t(n − 1)·SE, upper bound capped at 1, as irrCAC)',
      )
        .choices(intervalMethods)
        .default('z'),
    )
    .option(
      '--min-kappa <x>',
      'exit with code 1 when the overall κ is below x',
      parseNumber('--min-kappa', { min: -1, max: 1 }),
    )
    .option(
      '--require <gate>',
      'gate per code, STATISTIC[:MIN[:TENTATIVE[:ON]]] (alpha|kappa|ac1|pi|bp, estimate|ci_low), instead of coding.yaml reliability.require',
      parseRequire,
    )
    .option('--check', 'exit with code 1 when a code or exclusive category fails the gate, naming them')
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (markdown and latex: the per-code table for papers, LaTeX with booktabs)',
      )
        .choices(['table', 'csv', 'json', 'markdown', 'latex'])
        .default('table'),
    );
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
An empty code means the coder reviewed the unit and gave no code; a unit without a row for a coder
was not reviewed by that coder and is left out of that coder's comparisons.

Examples:
  coding reliability
  coding reliability --bootstrap 1000 --seed 7 --format json
  coding reliability --annotations codings.csv --codes ntb,tariffs,drugs --min-kappa 0.8
  coding reliability --check
  coding reliability --require alpha:0.8:0.667:ci_low --check
  coding reliability --format latex > reliability.tex     # booktabs; \\usepackage{booktabs}`,
  );
  command.action(
    async (flags: {
      workspace?: string;
      coders?: string[];
      annotations?: string[];
      codebook?: string;
      codes?: string[];
      overall?: 'auto' | 'nominal' | 'pooled';
      bootstrap?: number;
      seed?: number;
      level: number;
      ci: IntervalMethod;
      minKappa?: number;
      require?: Gate;
      check?: boolean;
      format: 'table' | 'csv' | 'json' | 'markdown' | 'latex';
    }) => {
      const { set, report } = await computeReliability({
        cwd: process.cwd(),
        workspace: flags.workspace,
        coders: flags.coders,
        annotations: flags.annotations,
        codebook: flags.codebook,
        codes: flags.codes,
        overall: flags.overall,
        bootstrap: flags.bootstrap,
        seed: flags.seed,
        level: flags.level,
        interval: flags.ci,
        require: flags.require,
      });
      for (const warning of set.warnings) printFinding(warning);
      // No gate to check: say so before any output.
      if (flags.check && !report.gate) checkGate(report);
      if (flags.format === 'json') writeOut(`${JSON.stringify(report, null, 2)}\n`);
      else if (flags.format === 'csv') writeOut(reliabilityCsv(report));
      else if (flags.format === 'markdown') writeData(markdownTables(reliabilityPaperTables(report)));
      else if (flags.format === 'latex') writeData(latexTables(reliabilityPaperTables(report)));
      else writeOut(renderTerminal(report));
      if (flags.minKappa !== undefined) {
        const kappa = headlineKappa(report);
        if (kappa === null || kappa < flags.minKappa) {
          throw new CheckFailed(
            `the overall κ ${kappa === null ? 'is undefined' : `${rounded(kappa, 4)} is below`} --min-kappa ${flags.minKappa}`,
          );
        }
      }
      if (flags.check) checkGate(report);
    },
  );
}
