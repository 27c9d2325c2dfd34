/**
 * A fast CSV reader for large, simple files (annotation files of millions of rows): lines without
 * a quote are split on the delimiter directly; a line with a quote is gathered with the following
 * lines until its quotes balance and handed to csv-parse, so quoted fields, doubled quotes and
 * embedded newlines are read exactly as csv-parse reads them. Rows are delivered to a callback in
 * batches per chunk, without a promise per row.
 */
import { createReadStream } from 'node:fs';
import { CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { detectDelimiter } from './csv.js';
import { splitQuotedRecord } from './csv-quoted.js';
import { checkInputFile } from './input-file.js';
import { notUtf8Error } from './text.js';
import { Utf8Chunks } from './utf8-chunks.js';

export interface ScanOptions {
  /** Shown in messages; `<stdin>` for `-`. */
  shownAs?: string;
  delimiter?: string | undefined;
  /** Called once with the header fields (trimmed) before any row. */
  onHeader(header: string[], delimiter: string): void;
  /** Called for each data row with its fields and the 1-based line it starts on. */
  onRow(fields: string[], line: number): void;
  /**
   * Optional fast path for a data line without quotes or carriage returns: it gets the chunk's
   * text and the line's bounds, and returns true when it has taken the row, false to have the
   * line split and handed to `onRow` as usual (so it need only handle the common, well-formed row).
   */
  onLine?: (text: string, start: number, end: number, line: number) => boolean;
  /** Bytes read at a time (1 MiB); tests use small chunks to exercise the chunk boundaries. */
  chunkSize?: number;
  /**
   * Called after the rows of each chunk (about 1 MiB) and awaited before the next chunk is read,
   * so a consumer can do asynchronous work (such as writing) on batches of rows with bounded memory.
   */
  onChunk?: () => Promise<void> | void;
}

export interface ScanResult {
  rows: number;
  lines: number;
}

/**
 * Whether the text ends its lines with a carriage return alone (classic Mac OS, some exports from
 * old spreadsheets): its first line end is a CR not followed by LF.
 */
export function endsLinesWithCarriageReturnsOnly(text: string): boolean {
  const carriageReturn = text.indexOf('\r');
  if (carriageReturn < 0) return false;
  const lineFeed = text.indexOf('\n');
  return lineFeed < 0 || lineFeed > carriageReturn + 1;
}

/**
 * Refuse a header that names a column twice (`id,text,text`, or `Text` and `text`): every reader
 * looks columns up by name, so the second one would be read as something else or not at all.
 */
function refuseDuplicateColumns(header: readonly string[], shownAs: string, line: number): void {
  const seen = new Map<string, number>();
  for (const [index, name] of header.entries()) {
    if (name === '') continue;
    const key = name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new InputError(
        `the header names the column "${name}" twice (columns ${earlier + 1} and ${index + 1})`,
        {
          location: { file: shownAs, line, column: index + 1 },
          hint: 'rename or remove one of the two columns: every column is read by its name, so each name may appear once (letter case does not count).',
        },
      );
    }
    seen.set(key, index);
  }
}

/** Count the quote characters in `text`. */
function countQuotes(text: string): number {
  let count = 0;
  for (let index = text.indexOf('"'); index >= 0; index = text.indexOf('"', index + 1)) count++;
  return count;
}

/**
 * Read a CSV file (or `-` for stdin) row by row.
 * @throws InputError for bytes that are not UTF-8, an empty file, rows with the wrong number of fields, or malformed quoting
 */
export async function scanCsv(file: string, options: ScanOptions): Promise<ScanResult> {
  if (file !== '-') await checkInputFile(file, options.shownAs ?? file);
  const shownAs = options.shownAs ?? (file === '-' ? '<stdin>' : file);
  const input =
    file === '-' ? process.stdin : createReadStream(file, { highWaterMark: options.chunkSize ?? 1 << 20 });
  const decoder = new Utf8Chunks(true);
  let delimiter = options.delimiter;
  let header: string[] | undefined;
  let carry = '';
  /** Bytes of an unfinished line, carried to the next chunk (see the loop). */
  let carryBytes: Buffer | undefined;
  /** How lines end, decided from the first bytes: LF (or CRLF), or CR alone. */
  let lineEnds: 'lf' | 'cr' | undefined;
  let line = 0; // lines consumed so far
  let rows = 0;
  let pending = ''; // a quoted record spanning lines
  let pendingLine = 0;
  let pendingQuotes = 0;
  let first = true;
  let carriageReturnsOnly = false;

  const fieldCountError = (count: number, at: number): InputError =>
    new InputError(
      `this row has ${count} fields, the header has ${header!.length} (delimiter ${delimiter === '\t' ? 'tab' : `"${delimiter}"`})`,
      {
        location: { file: shownAs, line: at },
        hint: 'quote fields that contain the delimiter, or pass --delimiter.',
      },
    );

  const emit = (fields: string[], at: number): void => {
    if (header === undefined) {
      header = fields.map((field) => field.trim());
      refuseDuplicateColumns(header, shownAs, at);
      options.onHeader(header, delimiter!);
      return;
    }
    if (fields.length !== header.length) {
      if (fields.length === 1 && fields[0] === '') return; // a blank line
      throw fieldCountError(fields.length, at);
    }
    rows++;
    options.onRow(fields, at);
  };

  const parseQuoted = (text: string, at: number): void => {
    const simple = splitQuotedRecord(text, delimiter!);
    if (simple !== undefined) {
      emit(simple, at);
      return;
    }
    let records: string[][];
    try {
      records = parseSync(text, {
        delimiter: delimiter!,
        relax_column_count: true,
        skip_empty_lines: true,
      }) as string[][];
    } catch (error) {
      if (error instanceof CsvError && error.code === 'CSV_INVALID_CLOSING_QUOTE') {
        throw new InputError('a quote inside a field is not doubled', {
          location: { file: shownAs, line: at },
          hint: 'inside a quoted field write a quote as "".',
          cause: error,
        });
      }
      throw new InputError(`malformed CSV: ${(error as Error).message}`, {
        location: { file: shownAs, line: at },
        cause: error,
      });
    }
    for (const record of records) emit(record, at);
  };

  const handleLine = (rawLine: string): void => {
    line++;
    const text = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (pending !== '') {
      pending += `\n${text}`;
      pendingQuotes += countQuotes(text);
      if (pendingQuotes % 2 === 0) {
        parseQuoted(pending, pendingLine);
        pending = '';
      }
      return;
    }
    if (delimiter === undefined) delimiter = detectDelimiter(text);
    if (text.includes('"')) {
      const quotes = countQuotes(text);
      if (quotes % 2 === 0) {
        parseQuoted(text, line);
      } else {
        pending = text;
        pendingLine = line;
        pendingQuotes = quotes;
      }
      return;
    }
    if (text === '') {
      if (header === undefined) return;
      return;
    }
    emit(text.split(delimiter), line);
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let bytes: Uint8Array = carryBytes === undefined ? chunk : Buffer.concat([carryBytes, chunk]);
      carryBytes = undefined;
      if (lineEnds === undefined) {
        // As `endsLinesWithCarriageReturnsOnly`, on the bytes (CR and LF are single bytes in
        // UTF-8); a CR at the very end of the bytes read so far waits for the next byte.
        const carriageReturn = bytes.indexOf(13);
        const lineFeed = bytes.indexOf(10);
        if (carriageReturn < 0 || (lineFeed >= 0 && lineFeed <= carriageReturn + 1)) lineEnds = 'lf';
        else if (carriageReturn + 1 < bytes.length) lineEnds = 'cr';
        else {
          carryBytes = Buffer.from(bytes);
          continue;
        }
        carriageReturnsOnly = lineEnds === 'cr';
      }
      // Each chunk is decoded up to its last line end, with the bytes of the previous chunk's
      // unfinished line in front: the text is then one flat string, which reads character by
      // character faster than a joined string (`carry + text`), and the decoder never holds the
      // bytes of a cut character. (A file with CR line ends alone is read as before, by text.)
      if (!carriageReturnsOnly) {
        const cut = bytes.lastIndexOf(10) + 1;
        if (cut < bytes.length) carryBytes = Buffer.from(bytes.subarray(cut));
        bytes = bytes.subarray(0, cut);
      }
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw notUtf8Error(shownAs, bytes, line);
      }
      if (text === '') continue;
      if (first) {
        first = false;
        if (text.startsWith('\uFEFF')) text = text.slice(1);
        if (text.includes('\u0000')) throw notUtf8Error(shownAs, bytes);
      }
      // A file saved with classic Mac line ends (CR alone) is read as if its line ends were LF.
      if (carriageReturnsOnly) text = text.replace(/\r\n?/g, '\n');
      let start = 0;
      let text2 = carry === '' ? text : carry + text;
      if (pending === '' && header !== undefined && !text2.includes('"')) {
        // The fast path: a chunk without quotes is split on the delimiter directly. A line's CR
        // before its LF is dropped (as `handleLine` does), so a file with CRLF line ends takes it too.
        const separator = delimiter!;
        const width = header.length;
        const onLine = options.onLine;
        for (let newline = text2.indexOf('\n', start); newline >= 0; newline = text2.indexOf('\n', start)) {
          line++;
          const end = newline > start && text2.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
          if (end > start && onLine?.(text2, start, end, line)) rows++;
          else if (end > start) {
            const fields = text2.slice(start, end).split(separator);
            if (fields.length !== width) throw fieldCountError(fields.length, line);
            rows++;
            options.onRow(fields, line);
          }
          start = newline + 1;
        }
      }
      for (let newline = text2.indexOf('\n', start); newline >= 0; newline = text2.indexOf('\n', start)) {
        handleLine(text2.slice(start, newline));
        start = newline + 1;
      }
      // Copy the remainder so the big chunk it was sliced from can be freed.
      carry = start === 0 ? text2 : text2.slice(start);
      text2 = '';
      await options.onChunk?.();
    }
    let rest: string;
    try {
      rest = (carryBytes === undefined ? '' : decoder.decode(carryBytes)) + decoder.end();
    } catch {
      throw notUtf8Error(shownAs, carryBytes ?? new Uint8Array(0), line);
    }
    carry += rest;
    if (carry !== '') handleLine(carry);
    await options.onChunk?.();
  } catch (error) {
    if (input !== process.stdin) (input as NodeJS.ReadableStream & { destroy(): void }).destroy();
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('the file does not exist', { location: { file: shownAs } });
    }
    throw error;
  }
  if (pending !== '') {
    throw new InputError('a quoted field opened here is never closed', {
      location: { file: shownAs, line: pendingLine },
      hint: 'close the quote, or double a quote that is part of the text ("").',
    });
  }
  if (header === undefined) {
    throw new InputError('the file is empty: a CSV file needs a header line', {
      location: { file: shownAs, line: 1 },
    });
  }
  return { rows, lines: line };
}
