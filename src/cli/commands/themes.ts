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
import { cautionText } from '../../core/gates.js';
import { byFields, type GroupField, type Period, periods } from '../../core/themes.js';
import { InputError, UsageError } from '../../errors.js';
import {
  actorColumns,
  actorCsv,
  cautionMarker,
  cooccurrenceCsv,
  crossCsv,
  crossMatrix,
  exemplarCsv,
  frequencyCsv,
  markedCode,
  percent,
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
  format: 'table' | 'csv' | 'json';
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
      new Option('-f, --format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'),
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
  coding themes --rhetoric`,
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
    const mark = (code: string): string => markedCode(code, cautions);
    // Under every terminal table: which codes are flagged, in Krippendorff's words.
    const flaggedLine =
      cautions && cautions.size > 0
        ? `${chalk.dim(`${cautionMarker} ${cautionText([...cautions.keys()], cautions)} (below the reliability gate of coding.yaml; see coding reliability)`)}\n`
        : '';
    const json: Record<string, unknown> = {};
    const out = (name: string, csv: () => string, table: () => string, value: unknown): void => {
      if (flags.format === 'csv') writeData(csv());
      else if (flags.format === 'json') json[name] = value;
      else writeOut(table() + flaggedLine);
    };
    const basis =
      themes.data.coder === 'final' ? 'final codes' : `codes of ${visibleLine(themes.data.coder)}`;
    if (tables === 0) {
      const rows = frequencies(themes.input);
      out(
        'frequencies',
        () => frequencyCsv(rows, cautions),
        () =>
          `${chalk.bold(`Theme frequencies (${basis}, ${themes.input.codings.size} units)`)}\n` +
          renderTable(
            ['category', 'code', 'label', 'units', 'documents', 'of units', 'of documents'],
            rows.map((row) => [
              row.code === '' ? row.category : '',
              row.code,
              cautions?.has(row.code) ? `${row.label} ${cautionMarker}` : row.label,
              row.units,
              row.documents,
              percent(row.unit_share),
              percent(row.document_share),
            ]),
            { right: new Set([3, 4, 5, 6]), bold: (index) => rows[index]!.code === '' },
          ),
        withCautions(rows, cautions),
      );
    }
    if (flags.by !== undefined) {
      const table = groupTable(themes, flags.by, flags.period);
      const matrix = crossMatrix(table, cautions);
      out(
        `by_${flags.by}`,
        () => crossCsv(table, cautions),
        () =>
          `${chalk.bold(`Codes by ${flags.by}${flags.by === 'date' ? ` (${flags.period})` : ''}: units (share of the group's units)`)}\n${renderTable(matrix.header, matrix.rows, { right: new Set(matrix.header.map((_, index) => index).filter((index) => index > 0)), maxCellWidth: 24 })}`,
        cautions === undefined ? table : { ...table, rows: withCautions(table.rows, cautions) },
      );
    }
    if (flags.cooccurrence) {
      const rows = cooccurrence(themes.input);
      const codes = themes.input.codebook.codes.map((code) => code.id);
      out(
        'cooccurrence',
        () => cooccurrenceCsv(rows, cautions),
        () => {
          const matrix = codes.map((first) => [
            first,
            ...codes.map((second) =>
              String(rows.find((row) => row.code_a === first && row.code_b === second)!.units),
            ),
          ]);
          return `${chalk.bold('Co-occurrence: units carrying both codes (the diagonal: the code alone)')}\n${renderTable(
            ['', ...codes.map((_, index) => `${index + 1}`)],
            matrix.map((row, index) => [`${index + 1} ${mark(row[0]!)}`, ...row.slice(1)]),
            { right: new Set(codes.map((_, index) => index + 1)) },
          )}`;
        },
        withCautions(rows, cautions),
      );
    }
    if (flags.exemplars !== undefined) {
      const rows = await exemplarTable(themes, flags.exemplars);
      out(
        'exemplars',
        () => exemplarCsv(rows, cautions),
        () =>
          `${chalk.bold('Exemplars')}\n${renderTable(
            ['code', '#', 'unit', 'actor', 'date', 'basis', 'text'],
            rows.map((row) => [
              mark(row.code),
              row.rank,
              row.unit_id,
              row.actor,
              row.date,
              row.basis,
              row.text,
            ]),
            { maxCellWidth: 80 },
          )}`,
        withCautions(rows, cautions),
      );
    }
    if (flags.triangulation) {
      const rows = triangulation(themes.input);
      out(
        'triangulation',
        () => triangulationCsv(rows, cautions),
        () =>
          `${chalk.bold('Triangulation: primary against secondary sources')}\n${renderTable(
            ['code', 'primary units', 'primary docs', 'secondary units', 'secondary docs', 'status'],
            rows.map((row) => [
              mark(row.code),
              row.primary_units,
              row.primary_documents,
              row.secondary_units,
              row.secondary_documents,
              row.status,
            ]),
            { right: new Set([1, 2, 3, 4]) },
          )}`,
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
        () => actorCsv(rows, cautions),
        () =>
          `${chalk.bold(`Actors and ${visibleLine(category)} codes (the paper's table 4.3)`)}\n${renderTable(
            [...actorColumns].filter((column) => column !== 'exemplar_unit' && column !== 'label'),
            rows.map((row) => [row.actor, mark(row.code), row.units, row.audience, row.exemplar]),
            { right: new Set([2]), maxCellWidth: 60 },
          )}`,
        withCautions(rows, cautions),
      );
    }
    if (flags.format === 'json') writeData(`${JSON.stringify(json, null, 2)}\n`);
  });
}
