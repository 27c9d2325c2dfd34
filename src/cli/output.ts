/**
 * Printing: data to stdout, diagnostics to stderr. Tables for people on a terminal, CSV and JSON
 * with stable names for programs.
 */
import chalk from 'chalk';
import { type CodingError, type Finding, formatFinding, formatLocation } from '../errors.js';
import { type CsvCell, toCsv } from '../io/csv-write.js';

export const outputFormats = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export function writeOut(text: string): void {
  process.stdout.write(text);
}

export function writeErr(text: string): void {
  process.stderr.write(text);
}

/** `1 unit`, `2 units`: a count with its noun. */
export function count(value: number, singular: string, plural = `${singular}s`): string {
  return `${value} ${value === 1 ? singular : plural}`;
}

/** The visible width of a string (code points; wide characters count once). */
function width(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function truncate(text: string, limit: number): string {
  if (width(text) <= limit) return text;
  return `${Array.from(text)
    .slice(0, Math.max(1, limit - 1))
    .join('')}…`;
}

export interface TableOptions {
  /** Columns aligned right (numbers). */
  right?: ReadonlySet<number>;
  /** Longest a cell may be before it is cut with "…". */
  maxCellWidth?: number;
}

/** A plain-text table with a bold header and a rule under it. */
export function renderTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly CsvCell[]>,
  options: TableOptions = {},
): string {
  const limit = options.maxCellWidth ?? 60;
  const cells = rows.map((row) =>
    row.map((cell) =>
      truncate(cell === null || cell === undefined ? '' : String(cell).replace(/\s+/g, ' '), limit),
    ),
  );
  const widths = header.map((name, index) =>
    Math.max(width(name), ...cells.map((row) => width(row[index] ?? ''))),
  );
  const pad = (text: string, index: number): string => {
    const fill = ' '.repeat(widths[index]! - width(text));
    return options.right?.has(index) ? fill + text : text + fill;
  };
  const lines = [
    chalk.bold(
      header
        .map((name, index) => pad(name, index))
        .join('  ')
        .trimEnd(),
    ),
    chalk.dim(widths.map((size) => '─'.repeat(size)).join('  ')),
    ...cells.map((row) =>
      header
        .map((_, index) => pad(row[index] ?? '', index))
        .join('  ')
        .trimEnd(),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Records in the chosen format: a table, CSV with these columns, or a JSON array of objects. */
export function renderRecords(
  records: ReadonlyArray<Record<string, unknown>>,
  columns: readonly string[],
  format: OutputFormat,
  options: TableOptions & { neutraliseFormulas?: boolean } = {},
): string {
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const rows = records.map((record) => columns.map((column) => toCell(record[column])));
  if (format === 'csv')
    return toCsv(columns, rows, { neutraliseFormulas: options.neutraliseFormulas ?? false });
  return renderTable(columns, rows, options);
}

function toCell(value: unknown): CsvCell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.join(' ');
  return JSON.stringify(value);
}

/** A finding as one line of stderr, coloured by severity. */
export function printFinding(finding: Finding): void {
  const line = formatFinding(finding);
  writeErr(`${finding.severity === 'warning' ? chalk.yellow(line) : line}\n`);
}

/** An error of the tool: what, where, and how to fix it. */
export function printError(error: CodingError): void {
  const where = error.location ? formatLocation(error.location) : '';
  writeErr(`${chalk.red('error:')} ${where === '' ? '' : `${where}: `}${error.message}\n`);
  const shown = error.findings.slice(0, 50);
  for (const finding of shown) printFinding(finding);
  if (error.findings.length > shown.length) writeErr(`… and ${error.findings.length - shown.length} more\n`);
  if (error.hint) writeErr(`${chalk.cyan('hint:')} ${error.hint}\n`);
}
