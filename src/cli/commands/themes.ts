import chalk from 'chalk';
import { type Command, Option } from 'commander';
import {
  actorTableWithTexts,
  cooccurrence,
  exemplarTable,
  frequencies,
  groupTable,
  loadThemeData,
  rhetoricCategory,
  themeCautions,
  triangulation,
} from '../../app/themes.js';
import { isValidated, machineCodedLabel } from '../../core/machine-primary.js';
import { byFields, type GroupField, type Period, periods } from '../../core/themes.js';
import { InputError, UsageError } from '../../errors.js';
import { latexTables, markdownTables } from '../../report/paper-table.js';
import {
  cooccurrenceTable,
  exemplarsTable,
  frequencyTable,
  groupMatrixTable,
  rhetoricTable,
  type ThemeTable,
  triangulationTable,
  withCodedBy,
} from '../../report/theme-tables.js';
import {
  actorCsv,
  cooccurrenceCsv,
  crossCsv,
  exemplarCsv,
  frequencyCsv,
  triangulationCsv,
  withCautions,
} from '../../report/themes.js';
import { addWorkspaceOption, parseInteger } from '../common.js';
import { printFinding, renderTable, visibleLine, writeData, writeOut } from '../output.js';

interface ThemeFlags {
  workspace?: string;
  coder?: string;
  annotations?: string;
  by?: GroupField;
  period: Period;
  cooccurrence?: boolean;
  exemplars?: number;
  triangulation?: boolean;
  rhetoric?: string | boolean;
  format: ThemeFormat;
}

const themeFormats = ['table', 'csv', 'json', 'markdown', 'latex'] as const;
type ThemeFormat = (typeof themeFormats)[number];

/** A theme table for the terminal: its caption in bold, the table, its notes dimmed. */
function terminalTable(table: ThemeTable): string {
  const right = new Set(table.align.flatMap((align, index) => (align === 'right' ? [index] : [])));
  return (
    `${chalk.bold(visibleLine(table.caption))}\n` +
    renderTable(table.header, table.rows, {
      right,
      ...(table.bold ? { bold: table.bold } : {}),
      ...(table.maxCellWidth !== undefined ? { maxCellWidth: table.maxCellWidth } : {}),
    }) +
    table.notes.map((note) => `${chalk.dim(note)}\n`).join('')
  );
}

export function registerThemes(program: Command): void {
  const command = program
    .command('themes')
    .description(
      'theme tables: code frequencies, by actor/source/genre/document/role/date, co-occurrence, exemplars, triangulation, the rhetoric table',
    )
    .option('--coder <name>', "one coder's codes instead of the final ones")
    .option(
      '--annotations <file>',
      "codes from a file instead (long unit_id,code, wide, or a sheet; - for stdin), on the workspace's corpus",
    )
    .addOption(new Option('--by <field>', 'a code × group table by this document field').choices(byFields))
    .addOption(
      new Option('--period <period>', 'with --by date: group dates by').choices(periods).default('month'),
    )
    .option('--cooccurrence', 'code × code: units carrying both, and the Jaccard index')
    .option(
      '--exemplars <n>',
      'n quotations per code (agreed units first, one per document first)',
      parseInteger('--exemplars', { min: 1, max: 1000 }),
    )
    .option('--triangulation', 'per code: primary against secondary sources, and whether they converge')
    .option(
      '--rhetoric [category]',
      "per actor and code of a category (default: rhetoric): units, audience, an exemplar — the paper's table 4.3",
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (markdown and latex: tables for papers, LaTeX with booktabs)',
      )
        .choices(themeFormats)
        .default('table'),
    );
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
Without a table flag, the frequencies per code and category. Shares are of the reviewed units
(and of the documents with a reviewed unit); CSV rounds them to 4 decimals, JSON does not.
With a reliability gate (coding.yaml reliability.require), codes that are not reliable are marked †
and every table gets a last column "caution": "interpret with caution: CODE VERDICT".

Examples:
  coding themes
  coding themes --by actor --format csv > by-actor.csv
  coding themes --by date --period week
  coding themes --exemplars 3
  coding themes --rhetoric
  coding themes --triangulation --format latex > triangulation.tex   # booktabs; \\usepackage{booktabs}
  coding themes --by actor --cooccurrence --format markdown           # every table asked for`,
  );
  command.action(async (flags: ThemeFlags) => {
    const tables = [
      flags.by !== undefined,
      flags.cooccurrence === true,
      flags.exemplars !== undefined,
      flags.triangulation === true,
      flags.rhetoric !== undefined,
    ].filter(Boolean).length;
    if (tables > 1 && flags.format === 'csv')
      throw new UsageError(
        '--format csv writes one table: ask for one of --by, --cooccurrence, --exemplars, --triangulation, --rhetoric at a time',
      );
    const themes = await loadThemeData({
      cwd: process.cwd(),
      workspace: flags.workspace,
      coder: flags.coder,
      annotations: flags.annotations,
    });
    for (const warning of themes.data.set.warnings) printFinding(warning);
    const { cautions, note } = await themeCautions(themes);
    if (note !== undefined) printFinding({ code: 'GATE_NOT_APPLIED', severity: 'warning', message: note });
    const json: Record<string, unknown> = {};
    // A machine coder as primary: every table says so (a note; CSV a column coded_by; JSON a key).
    const machine = themes.data.machinePrimary;
    const codedBy = machine === undefined ? undefined : machineCodedLabel(machine);
    if (machine !== undefined) {
      json['coded_by'] = { ...machine, label: codedBy };
      if (!isValidated(machine))
        printFinding({
          code: 'MACHINE_NOT_VALIDATED',
          severity: 'warning',
          message: `final codes ${codedBy}`,
        });
    }
    const paper: ThemeTable[] = [];
    const out = (
      name: string,
      csv: (codedBy: string | undefined) => string,
      table: () => ThemeTable,
      value: unknown,
    ): void => {
      if (flags.format === 'csv') writeData(csv(codedBy));
      else if (flags.format === 'json') json[name] = value;
      else if (flags.format === 'markdown' || flags.format === 'latex')
        paper.push(withCodedBy(table(), codedBy));
      else writeOut(terminalTable(withCodedBy(table(), codedBy)));
    };
    const basis = themes.data.coder === 'final' ? 'final codes' : `codes of ${themes.data.coder}`;
    if (tables === 0) {
      const rows = frequencies(themes.input);
      out(
        'frequencies',
        (label) => frequencyCsv(rows, cautions, label),
        () =>
          frequencyTable(rows, cautions, `Theme frequencies (${basis}, ${themes.input.codings.size} units)`),
        withCautions(rows, cautions),
      );
    }
    if (flags.by !== undefined) {
      const table = groupTable(themes, flags.by, flags.period);
      out(
        `by_${flags.by}`,
        (label) => crossCsv(table, cautions, label),
        () =>
          groupMatrixTable(
            table,
            cautions,
            `Codes by ${flags.by}${flags.by === 'date' ? ` (${flags.period})` : ''}: units (share of the group's units)`,
            { label: `tab:by-${flags.by}` },
          ),
        cautions === undefined ? table : { ...table, rows: withCautions(table.rows, cautions) },
      );
    }
    if (flags.cooccurrence) {
      const rows = cooccurrence(themes.input);
      const codes = themes.input.codebook.codes.map((code) => code.id);
      out(
        'cooccurrence',
        (label) => cooccurrenceCsv(rows, cautions, label),
        () => cooccurrenceTable(rows, codes, cautions),
        withCautions(rows, cautions),
      );
    }
    if (flags.exemplars !== undefined) {
      const rows = await exemplarTable(themes, flags.exemplars);
      out(
        'exemplars',
        (label) => exemplarCsv(rows, cautions, label),
        () => exemplarsTable(rows, cautions),
        withCautions(rows, cautions),
      );
    }
    if (flags.triangulation) {
      const rows = triangulation(themes.input);
      out(
        'triangulation',
        (label) => triangulationCsv(rows, cautions, label),
        () => triangulationTable(rows, cautions),
        withCautions(rows, cautions),
      );
    }
    if (flags.rhetoric !== undefined) {
      const category = rhetoricCategory(
        themes,
        typeof flags.rhetoric === 'string' ? flags.rhetoric : undefined,
      );
      if (category === undefined)
        throw new InputError('the codebook has no category "rhetoric"', {
          hint: 'name the category: --rhetoric CATEGORY',
        });
      const rows = await actorTableWithTexts(themes, category);
      out(
        'rhetoric',
        (label) => actorCsv(rows, cautions, label),
        () => rhetoricTable(rows, category, cautions),
        withCautions(rows, cautions),
      );
    }
    if (flags.format === 'markdown') writeData(markdownTables(paper));
    if (flags.format === 'latex') writeData(latexTables(paper));
    if (flags.format === 'json') writeData(`${JSON.stringify(json, null, 2)}\n`);
  });
}
