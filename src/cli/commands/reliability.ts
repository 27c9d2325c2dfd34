import chalk from 'chalk';
import { type Command, Option } from 'commander';
import { computeReliability, headlineKappa } from '../../app/reliability.js';
import type { FigureSet, ReliabilityReport } from '../../core/reliability.js';
import { overallDefinitions } from '../../core/reliability.js';
import { landisKoch } from '../../core/stats/index.js';
import { CheckFailed } from '../../errors.js';
import { reliabilityCsv, rounded } from '../../report/reliability.js';
import { maxBootstrapResamples } from '../../schema/config.js';
import { addWorkspaceOption, collect, parseInteger, parseList, parseNumber } from '../common.js';
import { printFinding, renderTable, writeOut } from '../output.js';

const show = (value: number | null | undefined, decimals = 3): string =>
  value === null || value === undefined ? '—' : rounded(value, decimals);
const interval = (low: number | null | undefined, high: number | null | undefined): string =>
  low === null || low === undefined || high === null || high === undefined
    ? '—'
    : `${rounded(low, 2)} – ${rounded(high, 2)}`;

function footnotes(items: Array<{ name: string; figures: FigureSet }>): string[] {
  const lines: string[] = [];
  for (const { name, figures } of items) {
    const reason = figures.reasons['kappa'];
    if (reason) lines.push(`${name}: κ undefined — ${reason}`);
  }
  return lines;
}

function renderTerminal(report: ReliabilityReport): string {
  const out: string[] = [];
  if (report.multi) {
    const multi = report.multi;
    out.push(
      chalk.bold(
        `${report.coders.length} coders (${report.coders.join(', ')}): ${report.n_units} units coded by two or more, ${report.units_not_shared} not by all`,
      ),
    );
    out.push(
      `overall (${multi.definition}): Fleiss' κ ${show(multi.fleiss_kappa)} (${multi.fleiss_n} units coded by all), Krippendorff's α ${show(multi.krippendorff_alpha)}, Gwet's AC1 ${show(multi.gwet_ac1)}`,
      '',
    );
    out.push(
      renderTable(
        ['code', 'n', 'Fleiss κ', 'Krippendorff α', 'Gwet AC1'],
        multi.codes.map((code) => [
          code.code,
          code.n,
          show(code.fleiss_kappa),
          show(code.krippendorff_alpha),
          show(code.gwet_ac1),
        ]),
        { right: new Set([1, 2, 3, 4]) },
      ),
    );
    return `${out.join('\n')}\n`;
  }
  const [coderA, coderB] = report.coders;
  out.push(
    chalk.bold(`${coderA} and ${coderB}: ${report.n_units} units coded by both`) +
      (report.units_not_shared > 0
        ? chalk.dim(` (${report.units_not_shared} coded by one only, left out)`)
        : ''),
  );
  const overall = report.overall;
  if (overall) {
    const kappa =
      overall.kappa === null
        ? `undefined (${overall.reasons['kappa']})`
        : `${show(overall.kappa)} ${chalk.dim(`[${landisKoch(overall.kappa)}]`)}`;
    const ci = overall.ci_low !== null ? `, 95 % CI ${interval(overall.ci_low, overall.ci_high)}` : '';
    const boot =
      overall.bootstrap_ci_low !== undefined
        ? `, bootstrap 95 % CI ${interval(overall.bootstrap_ci_low, overall.bootstrap_ci_high)}`
        : '';
    out.push(`${chalk.bold('overall κ')} = ${kappa}${ci}${boot}`);
    out.push(
      chalk.dim(
        `  ${overall.description}; observed agreement ${show(overall.observed_agreement)}, expected ${show(overall.expected_agreement)}`,
      ),
    );
  }
  out.push('');
  const hasBootstrap = report.bootstrap !== undefined;
  const header = [
    'code',
    'n',
    'yes/yes',
    'A only',
    'B only',
    'p_o',
    'κ',
    '95 % CI',
    ...(hasBootstrap ? ['bootstrap CI'] : []),
    'π',
    'α',
    'AC1',
    'PABAK',
    'PI',
    'BI',
  ];
  out.push(
    renderTable(
      header,
      report.codes.map((code) => [
        code.code,
        code.n,
        code.table[0]![0]!,
        code.table[0]![1]!,
        code.table[1]![0]!,
        show(code.observed_agreement),
        show(code.kappa),
        interval(code.ci_low, code.ci_high),
        ...(hasBootstrap ? [interval(code.bootstrap_ci_low, code.bootstrap_ci_high)] : []),
        show(code.scott_pi),
        show(code.krippendorff_alpha),
        show(code.gwet_ac1),
        show(code.pabak),
        show(code.prevalence_index, 2),
        show(code.bias_index, 2),
      ]),
      { right: new Set(header.map((_, index) => index).filter((index) => index > 0)) },
    ),
  );
  for (const category of report.categories) {
    out.push('');
    out.push(
      `${chalk.bold(`category ${category.category}`)} (exclusive: ${category.values.join(', ')}): κ ${show(category.kappa)}, 95 % CI ${interval(category.ci_low, category.ci_high)}, π ${show(category.scott_pi)}, α ${show(category.krippendorff_alpha)}, AC1 ${show(category.gwet_ac1)}`,
    );
    out.push(
      renderTable(
        [`${coderA} \\ ${coderB}`, ...category.values],
        category.table.map((row, index) => [category.values[index]!, ...row]),
        { right: new Set(category.values.map((_, index) => index + 1)) },
      ),
    );
  }
  const notes = footnotes([
    ...(overall ? [{ name: 'overall', figures: overall }] : []),
    ...report.codes.map((code) => ({ name: code.code, figures: code })),
    ...report.categories.map((category) => ({ name: category.category, figures: category })),
  ]);
  out.push('');
  for (const note of notes) out.push(chalk.dim(note));
  out.push(
    chalk.dim(
      'p_o observed agreement; π Scott; α Krippendorff (nominal); AC1 Gwet; PABAK prevalence- and bias-adjusted κ; PI prevalence index, BI bias index (Byrt et al. 1993).',
    ),
  );
  out.push(
    chalk.dim(
      'Labels in brackets follow Landis & Koch (1977): a convention, not a finding. JSON (--format json) has every figure at full precision.',
    ),
  );
  return `${out.join('\n')}\n`;
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
    .option(
      '--min-kappa <x>',
      'exit with code 1 when the overall κ is below x',
      parseNumber('--min-kappa', { min: -1, max: 1 }),
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'),
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
  coding reliability --annotations codings.csv --codes ntb,tariffs,drugs --min-kappa 0.8`,
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
      minKappa?: number;
      format: 'table' | 'csv' | 'json';
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
      });
      for (const warning of set.warnings) printFinding(warning);
      if (flags.format === 'json') writeOut(`${JSON.stringify(report, null, 2)}\n`);
      else if (flags.format === 'csv') writeOut(reliabilityCsv(report));
      else writeOut(renderTerminal(report));
      if (flags.minKappa !== undefined) {
        const kappa = headlineKappa(report);
        if (kappa === null || kappa < flags.minKappa) {
          throw new CheckFailed(
            `the overall κ ${kappa === null ? 'is undefined' : `${rounded(kappa, 4)} is below`} --min-kappa ${flags.minKappa}`,
          );
        }
      }
    },
  );
}
