/**
 * Printing: data to stdout, diagnostics to stderr. Tables for people on a terminal, CSV and JSON
 * with stable names for programs.
 *
 * Terminal-safe output: text that comes from the study (corpus text, metadata, memos, codebook
 * text, names, cells quoted in messages) is passed through `visibleText` wherever it is printed
 * for people — every table cell and header, every finding and error message — so an escape
 * sequence or a bidirectional override in the data is shown, never run. CSV and JSON output is
 * data for programs and stays byte-exact (CSV with formulas neutralised).
 */
import chalk from 'chalk';
import { visibleText } from '../core/visible-text.js';
import { type CodingError, type Finding, formatFinding, formatLocation } from '../errors.js';
import { type CsvCell, toCsv } from '../io/csv-write.js';

export const outputFormats = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export function writeOut(text: string): void {
  process.stdout.write(text);
}

/**
 * Machine output (CSV, JSON, Markdown, a sheet) on stdout: byte-exact into a pipe or a file; on a
 * terminal, control characters in it are shown visibly (line feeds and tabs kept), since a person
 * is reading it and an escape sequence in the data would otherwise act on the terminal.
 */
export function writeData(text: string): void {
  process.stdout.write(
    process.stdout.isTTY === true ? visibleText(text, { keepLineFeeds: true, keepTabs: true }) : text,
  );
}

export function writeErr(text: string): void {
  process.stderr.write(text);
}

/**
 * Text from the study as it may be printed on one line of a terminal: control characters, line
 * ends, tabs and bidirectional controls shown visibly (`␛`, `␊`, `⟨U+202E⟩`).
 */
export function visibleLine(text: string | number | undefined | null): string {
  return text === undefined || text === null ? '' : visibleText(String(text));
}

/** Text from the study printed over several lines: like `visibleLine`, but line feeds and tabs are kept. */
export function visibleBlock(text: string): string {
  return visibleText(text, { keepLineFeeds: true, keepTabs: true });
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
  /** Rows printed in bold (headings inside a table); cells themselves are always plain text. */
  bold?: (rowIndex: number) => boolean;
}

/** A plain-text table with a bold header and a rule under it. */
export function renderTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly CsvCell[]>,
  options: TableOptions = {},
): string {
  const limit = options.maxCellWidth ?? 60;
  // White space (line ends, tabs) becomes one space; other controls are shown visibly.
  const cells = rows.map((row) =>
    row.map((cell) =>
      truncate(
        cell === null || cell === undefined ? '' : visibleText(String(cell).replace(/\s+/g, ' ')),
        limit,
      ),
    ),
  );
  const names = header.map((name) => visibleText(name.replace(/\s+/g, ' ')));
  const widths = names.map((name, index) =>
    Math.max(width(name), ...cells.map((row) => width(row[index] ?? ''))),
  );
  const pad = (text: string, index: number): string => {
    const fill = ' '.repeat(widths[index]! - width(text));
    return options.right?.has(index) ? fill + text : text + fill;
  };
  const lines = [
    chalk.bold(
      names
        .map((name, index) => pad(name, index))
        .join('  ')
        .trimEnd(),
    ),
    chalk.dim(widths.map((size) => '─'.repeat(size)).join('  ')),
    ...cells.map((row, rowIndex) => {
      const line = names
        .map((_, index) => pad(row[index] ?? '', index))
        .join('  ')
        .trimEnd();
      return options.bold?.(rowIndex) ? chalk.bold(line) : line;
    }),
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
    return toCsv(columns, rows, { neutraliseFormulas: options.neutraliseFormulas ?? true });
  return renderTable(columns, rows, options);
}

function toCell(value: unknown): CsvCell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.join(' ');
  return JSON.stringify(value);
}

/** A finding as one line of stderr, coloured by severity; text quoted from the input is shown visibly. */
export function printFinding(finding: Finding): void {
  const line = visibleText(formatFinding(finding), { keepTabs: true });
  writeErr(`${finding.severity === 'warning' ? chalk.yellow(line) : line}\n`);
}

/** An error of the tool: what, where, and how to fix it. */
export function printError(error: CodingError): void {
  const where = error.location ? visibleLine(formatLocation(error.location)) : '';
  writeErr(`${chalk.red('error:')} ${where === '' ? '' : `${where}: `}${visibleBlock(error.message)}\n`);
  const shown = error.findings.slice(0, 50);
  for (const finding of shown) printFinding(finding);
  if (error.findings.length > shown.length) writeErr(`… and ${error.findings.length - shown.length} more\n`);
  if (error.hint) writeErr(`${chalk.cyan('hint:')} ${visibleBlock(error.hint)}\n`);
}
