import chalk from 'chalk';
import type { Command } from 'commander';
import {
  type DocumentSummary,
  iterateUnits,
  listDocuments,
  showDocument,
  type UnitRow,
} from '../../app/corpus.js';
import { csvLine } from '../../io/csv-write.js';
import { addFormatOption, addWorkspaceOption, asFormat } from '../common.js';
import { renderRecords, renderTable, visibleLine, writeData, writeOut } from '../output.js';

const documentColumns = [
  'id',
  'title',
  'actor',
  'source',
  'genre',
  'date',
  'language',
  'role',
  'unit',
  'units',
  'url',
  'accessed',
  'origin',
] as const;
const unitColumns = ['unit_id', 'doc_id', 'ordinal', 'start', 'end', 'hash', 'page', 'text'] as const;

/** Document summaries as flat rows: the standard columns, then one column per attribute. */
function documentRows(documents: DocumentSummary[]): {
  columns: string[];
  rows: Array<Record<string, unknown>>;
} {
  const attributeNames = [
    ...new Set(documents.flatMap((document) => Object.keys(document.attributes))),
  ].sort();
  const columns = [...documentColumns, ...attributeNames];
  const rows = documents.map((document) => {
    const { attributes, ...rest } = document;
    const row: Record<string, unknown> = { ...rest };
    for (const name of attributeNames) row[name] = attributes[name] ?? '';
    return row;
  });
  return { columns, rows };
}

export function registerCorpus(program: Command): void {
  const corpus = program.command('corpus').description('look at the corpus: documents, units, one document');

  const list = corpus.command('list').description('documents with their metadata and unit counts');
  addWorkspaceOption(list);
  addFormatOption(list);
  list.action(async (flags: { workspace?: string; format: string }) => {
    const documents = await listDocuments({ cwd: process.cwd(), workspace: flags.workspace });
    const format = asFormat(flags.format);
    if (format === 'json') {
      writeData(renderRecords(documents as unknown as Array<Record<string, unknown>>, [], 'json'));
      return;
    }
    const { columns, rows } = documentRows(documents);
    if (format === 'csv') {
      writeData(renderRecords(rows, columns, 'csv'));
      return;
    }
    const shown = ['id', 'actor', 'genre', 'date', 'role', 'units', 'title'];
    writeOut(renderRecords(rows, shown, 'table', { right: new Set([5]), maxCellWidth: 50 }));
    const units = documents.reduce((sum, document) => sum + document.units, 0);
    writeOut(chalk.dim(`${documents.length} documents, ${units} units\n`));
  });

  const units = corpus
    .command('units')
    .description('coding units with their text')
    .option('--doc <id>', 'only the units of this document');
  addWorkspaceOption(units);
  addFormatOption(units);
  units.action(async (flags: { workspace?: string; format: string; doc?: string }) => {
    const format = asFormat(flags.format);
    const rows = iterateUnits({ cwd: process.cwd(), workspace: flags.workspace, docId: flags.doc });
    if (format === 'csv') {
      writeData(csvLine(unitColumns));
      for await (const row of rows) writeData(csvLine(unitColumns.map((column) => row[column])));
      return;
    }
    if (format === 'json') {
      let first = true;
      writeData('[');
      for await (const row of rows) {
        writeData(`${first ? '\n' : ',\n'}  ${JSON.stringify(row)}`);
        first = false;
      }
      writeData(first ? ']\n' : '\n]\n');
      return;
    }
    const collected: UnitRow[] = [];
    for await (const row of rows) collected.push(row);
    // A page column only when a unit comes from a paged source (PDF).
    const paged = collected.some((row) => row.page !== undefined);
    writeOut(
      renderTable(
        paged ? ['unit_id', 'page', 'text'] : ['unit_id', 'text'],
        collected.map((row) =>
          paged
            ? [row.unit_id, row.page === undefined ? '' : String(row.page), row.text]
            : [row.unit_id, row.text],
        ),
        { maxCellWidth: Math.max(40, (process.stdout.columns ?? 120) - (paged ? 36 : 30)) },
      ),
    );
  });

  const show = corpus
    .command('show')
    .description('one document: its metadata and its units, numbered')
    .argument('<doc>', 'document id');
  addWorkspaceOption(show);
  addFormatOption(show);
  show.action(async (docId: string, flags: { workspace?: string; format: string }) => {
    const { document, units: rows } = await showDocument({
      cwd: process.cwd(),
      workspace: flags.workspace,
      docId,
    });
    const format = asFormat(flags.format);
    if (format === 'json') {
      writeData(`${JSON.stringify({ ...document, units: rows }, null, 2)}\n`);
      return;
    }
    if (format === 'csv') {
      writeData(renderRecords(rows as unknown as Array<Record<string, unknown>>, unitColumns, 'csv'));
      return;
    }
    writeOut(`${chalk.bold(visibleLine(document.title))}\n`);
    for (const key of [
      'id',
      'actor',
      'source',
      'genre',
      'date',
      'language',
      'role',
      'url',
      'accessed',
      'origin',
    ] as const) {
      if (document[key] !== '') writeOut(`${chalk.dim(`${key}:`.padEnd(10))}${visibleLine(document[key])}\n`);
    }
    for (const [key, value] of Object.entries(document.attributes))
      writeOut(`${chalk.dim(`${visibleLine(key)}:`.padEnd(10))}${visibleLine(value)}\n`);
    writeOut(`${chalk.dim('units:'.padEnd(10))}${document.units} (${document.unit})\n\n`);
    const width = String(rows.length).length;
    for (const row of rows) {
      writeOut(
        `${chalk.cyan(`[${String(row.ordinal).padStart(width)}]`)} ${visibleLine(row.text)}  ${chalk.dim(row.unit_id)}\n`,
      );
    }
  });
}
