/**
 * Writing CSV: csv-stringify with a fixed layout (comma, LF, quotes only where needed), optional
 * UTF-8 BOM for Excel, and neutralisation of cells a spreadsheet would execute as a formula.
 *
 * Every CSV the tool writes may be opened in a spreadsheet, so text cells are neutralised unless a
 * caller says otherwise. The guard is reversible: `restoreFormula` undoes it exactly, and the
 * readers of files the tool reads back (annotations, adjudication) apply it to their text columns.
 */
import { stringify } from 'csv-stringify/sync';

export interface CsvWriteOptions {
  /**
   * Prefix text cells starting with =, +, -, @, tab or CR with a single quote (OWASP's advice);
   * on by default.
   */
  neutraliseFormulas?: boolean;
  /** Start with a UTF-8 byte order mark, so Excel reads the file as UTF-8. */
  bom?: boolean;
  delimiter?: string;
}

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A text that starts with quotes followed by a formula character: `'=x`, `''+y`. */
const quotedFormulaPattern = /^'+[=+\-@\t\r]/;

/**
 * A cell a spreadsheet would run as a formula, made inert: `=1+1` → `'=1+1`. Numbers such as
 * `-0.25` are left alone; they are data, not formulas. A text that already starts with quotes
 * before a formula character (`'=x`) gets one more quote (`''=x`), so that `restoreFormula`, which
 * takes one quote away, gives back every text exactly.
 */
export function neutraliseFormula(value: string): string {
  if (value === '') return value;
  const first = value[0]!;
  if (first === '=' || first === '@' || first === '\t' || first === '\r') return `'${value}`;
  if ((first === '+' || first === '-') && !numberPattern.test(value)) return `'${value}`;
  if (first === "'" && quotedFormulaPattern.test(value)) return `'${value}`;
  return value;
}

/**
 * Undo `neutraliseFormula` on a cell read back from a file the tool wrote: one quote before
 * quotes and a formula character is taken away (`'=1+1` → `=1+1`, `''=x` → `'=x`); every other
 * text is left as it is. `restoreFormula(neutraliseFormula(text)) === text` for every text.
 */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && quotedFormulaPattern.test(cell) ? cell.slice(1) : cell;
}

export type CsvCell = string | number | boolean | null | undefined;

const quotingPatterns = new Map<string, RegExp>();

/** Whether a cell must be quoted: it holds the delimiter, a quote or a line end, or starts or ends with white space. */
function quotingPattern(delimiter: string): RegExp {
  let pattern = quotingPatterns.get(delimiter);
  if (!pattern) {
    pattern = new RegExp(`[${delimiter.replace(/[\\\]^-]/g, '\\$&')}"\\n\\r]|^\\s|\\s$`);
    quotingPatterns.set(delimiter, pattern);
  }
  return pattern;
}

/**
 * One CSV line, for output written line by line (a million rows would be slow through
 * csv-stringify one call at a time). Same layout as `toCsv`, which a test checks on random cells.
 */
export function csvLine(cells: readonly CsvCell[], options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const pattern = quotingPattern(delimiter);
  const neutralise = options.neutraliseFormulas ?? true;
  let line = '';
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index];
    let text = cell === null || cell === undefined ? '' : typeof cell === 'string' ? cell : String(cell);
    if (neutralise && typeof cell === 'string') text = neutraliseFormula(text);
    if (pattern.test(text)) text = `"${text.replace(/"/g, '""')}"`;
    line += index === 0 ? text : delimiter + text;
  }
  return `${line}\n`;
}

/** Rows (arrays of cells) as CSV text, header first. */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<readonly CsvCell[]>,
  options: CsvWriteOptions = {},
): string {
  const neutralise = options.neutraliseFormulas ?? true;
  const convert = (cell: CsvCell): string => {
    if (cell === null || cell === undefined) return '';
    const text = typeof cell === 'string' ? cell : String(cell);
    return neutralise && typeof cell === 'string' ? neutraliseFormula(text) : text;
  };
  const text = stringify([header.map((name) => convert(name)), ...rows.map((row) => row.map(convert))], {
    delimiter: options.delimiter ?? ',',
    record_delimiter: '\n',
    // Also quote a lone CR, which csv-stringify leaves bare when records end in LF.
    quoted_match: /^\s|\s$|\r/,
  });
  return options.bom ? `\uFEFF${text}` : text;
}
