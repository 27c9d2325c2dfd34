/**
 * Reading CSV files for every command: streamed (memory does not grow with the file), checked
 * as UTF-8, BOM and CRLF accepted, the delimiter detected from the header line (`,` `;` or tab)
 * unless given, and every parse error reported as `file:line` with a fix.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { InputError } from '../errors.js';
import { Utf8DecodingStream } from './text.js';

export interface CsvRow {
  /** The fields of the row. */
  fields: string[];
  /** 1-based line on which the row starts. */
  line: number;
}

export interface CsvOptions {
  delimiter?: string | undefined;
  /** Name shown in messages; the path by default, `<stdin>` for `-`. */
  shownAs?: string;
}

export interface CsvReader {
  header: string[];
  delimiter: string;
  rows: AsyncIterable<CsvRow>;
}

const candidateDelimiters = [',', ';', '\t'];

/** The delimiter of a header line: the candidate that occurs most often outside quotes. */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of candidateDelimiters) {
    let count = 0;
    let quoted = false;
    for (const character of headerLine) {
      if (character === '"') quoted = !quoted;
      else if (!quoted && character === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** A readable of the file's bytes (`-` is standard input). */
export function openInput(file: string): Readable {
  return file === '-' ? process.stdin : createReadStream(file);
}

/** Text chunks, checked as UTF-8. */
function decoded(file: string, shownAs: string): Readable {
  const input = openInput(file);
  const decoder = new Utf8DecodingStream(shownAs);
  input.on('error', (error) => decoder.destroy(error));
  return input.pipe(decoder);
}

/**
 * Read the text up to the end of the first line (to detect the delimiter) without losing it: the
 * chunks read are handed back, and the same iterator goes on with the rest.
 */
async function peekFirstLine(
  chunksIn: AsyncIterator<string>,
): Promise<{ firstLine: string; chunks: string[] }> {
  const chunks: string[] = [];
  let seen = '';
  while (!seen.includes('\n') && seen.length <= 1 << 20) {
    const next = await chunksIn.next();
    if (next.done) break;
    chunks.push(next.value);
    seen += next.value;
  }
  const firstLine = seen.split('\n', 1)[0]!.replace(/^\uFEFF/, '');
  return { firstLine, chunks };
}

/**
 * Open a CSV file: its header and an async iterable of its rows.
 * @throws InputError for an empty file, a bad header, or (while iterating) a malformed row
 */
export async function openCsv(file: string, options: CsvOptions = {}): Promise<CsvReader> {
  const shownAs = options.shownAs ?? (file === '-' ? '<stdin>' : file);
  const text = decoded(file, shownAs);
  const textChunks = (text as AsyncIterable<string>)[Symbol.asyncIterator]();
  let peeked: { firstLine: string; chunks: string[] };
  try {
    peeked = await peekFirstLine(textChunks);
  } catch (error) {
    throw csvError(error, shownAs, 0, ',');
  }
  const { firstLine, chunks } = peeked;
  if (firstLine.trim() === '' && chunks.join('').trim() === '') {
    text.destroy();
    throw new InputError('the file is empty: a CSV file needs a header line', {
      location: { file: shownAs, line: 1 },
    });
  }
  const delimiter = options.delimiter ?? detectDelimiter(firstLine);
  const parser = parse({
    bom: true,
    delimiter,
    info: true,
    skip_empty_lines: true,
    relax_column_count: false,
  });
  const feed = async (): Promise<void> => {
    try {
      for (const chunk of chunks)
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      for (let next = await textChunks.next(); !next.done; next = await textChunks.next()) {
        if (!parser.write(next.value)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  };
  const feeding = feed();
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  let lastLine = 0;
  const next = async (): Promise<IteratorResult<CsvRow>> => {
    let result: IteratorResult<{ record: string[]; info: { lines: number } }>;
    try {
      result = await iterator.next();
    } catch (error) {
      text.destroy();
      throw csvError(error, shownAs, lastLine, delimiter);
    }
    if (result.done) {
      await feeding;
      return { done: true, value: undefined };
    }
    const { record, info } = result.value;
    const line = lastLine + 1;
    lastLine = info.lines;
    return { done: false, value: { fields: record, line } };
  };
  const first = await next();
  if (first.done)
    throw new InputError('the file is empty: a CSV file needs a header line', {
      location: { file: shownAs, line: 1 },
    });
  const header = first.value.fields.map((name) => name.trim());
  const rows: AsyncIterable<CsvRow> = {
    [Symbol.asyncIterator]: () => ({
      next,
      return: async () => {
        text.destroy();
        parser.destroy();
        return { done: true, value: undefined };
      },
    }),
  };
  return { header, delimiter, rows };
}

function csvError(error: unknown, file: string, lastLine: number, delimiter: string): InputError {
  if (error instanceof InputError) return error;
  if (error instanceof CsvError) {
    const line = lastLine + 1;
    const shownDelimiter = delimiter === '\t' ? 'tab' : `"${delimiter}"`;
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new InputError('a quoted field opened here is never closed', {
          location: { file, line },
          hint: 'close the quote, or double a quote that is part of the text ("").',
          cause: error,
        });
      case 'CSV_INVALID_CLOSING_QUOTE':
        return new InputError(
          `a quote inside a field is not doubled: ${error.message.replace(/ at line \d+.*$/, '')}`,
          {
            location: { file, line: (error as CsvError & { lines?: number }).lines ?? line },
            hint: 'inside a quoted field write a quote as "".',
            cause: error,
          },
        );
      case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
        const record = (error as CsvError & { record?: unknown[] }).record;
        const columns = (error as CsvError & { columns?: unknown[] }).columns;
        return new InputError(
          `this row has ${record?.length ?? 'a different number of'} fields, the header has ${Array.isArray(columns) ? columns.length : 'another number'} (delimiter ${shownDelimiter})`,
          {
            location: { file, line: (error as CsvError & { lines?: number }).lines ?? line },
            hint: 'quote fields that contain the delimiter, or pass --delimiter.',
            cause: error,
          },
        );
      }
      default:
        return new InputError(`malformed CSV: ${error.message}`, { location: { file, line }, cause: error });
    }
  }
  if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new InputError('the file does not exist', { location: { file }, cause: error });
  }
  return error instanceof Error
    ? new InputError(error.message, { location: { file }, cause: error })
    : new InputError(String(error));
}

/** The index of a column by name (case-insensitive), or -1. */
export function columnIndex(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return header.findIndex((column) => column.toLowerCase() === lower);
}

/** `"a", "b", "c"` for messages. */
export function listColumns(header: readonly string[]): string {
  return header.map((column) => `"${column}"`).join(', ');
}
