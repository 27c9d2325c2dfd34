/**
 * Reading documents to import: text and Markdown files (Markdown with optional YAML front
 * matter), folders of them, and tables of statements (.csv, .tsv, .jsonl) with one document a row.
 * PDF, Word and web pages are read by the modules of src/io/sources/ (see rich.ts).
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type DocumentInput, type RawMetadata, slugify } from '../core/documents.js';
import { jsonNestingDepth, maxJsonDepth } from '../core/json-depth.js';
import { didYouMean } from '../core/suggest.js';
import { type Finding, InputError } from '../errors.js';
import type { UnitKind } from '../schema/config.js';
import { standardFields } from '../schema/corpus.js';
import { columnIndex, listColumns } from './csv.js';
import { scanCsv } from './csv-scan.js';
import { refuseSpecialFile } from './input-file.js';
import { decodeText, normaliseText, notUtf8Error } from './text.js';
import { parseYaml } from './yaml.js';

export const textExtensions = ['.txt', '.md', '.markdown'] as const;
export const tableExtensions = ['.csv', '.tsv', '.jsonl', '.ndjson'] as const;
/** Formats with a layout of their own: PDF, Word and saved web pages. */
export const richExtensions = ['.pdf', '.docx', '.html', '.htm'] as const;
export const supportedExtensions: readonly string[] = [
  ...textExtensions,
  ...richExtensions,
  ...tableExtensions,
];

export interface SourceFile {
  /** Absolute path. */
  file: string;
  /** As shown to the user and recorded as origin: relative to the workspace root, with "/". */
  shownAs: string;
  kind: 'text' | 'table' | 'rich';
}

export interface ExpandOptions {
  cwd: string;
  root: string;
  /** Files never imported (the corpus store itself). */
  exclude: ReadonlySet<string>;
}

function shownPath(file: string, root: string): string {
  const relative = path.relative(root, file);
  return (relative.startsWith('..') ? file : relative).split(path.sep).join('/');
}

function kindOf(file: string): SourceFile['kind'] | undefined {
  const extension = path.extname(file).toLowerCase();
  if ((textExtensions as readonly string[]).includes(extension)) return 'text';
  if ((tableExtensions as readonly string[]).includes(extension)) return 'table';
  if ((richExtensions as readonly string[]).includes(extension)) return 'rich';
  return undefined;
}

/**
 * The files named by the paths: files as given, folders walked recursively (in sorted order,
 * supported files only, hidden entries and node_modules skipped).
 * @throws InputError for a path that does not exist, an unsupported file, or a folder without supported files
 */
export async function expandSources(paths: readonly string[], options: ExpandOptions): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, kind: SourceFile['kind']): void => {
    if (seen.has(file) || options.exclude.has(file)) return;
    seen.add(file);
    files.push({ file, shownAs: shownPath(file, options.root), kind });
  };
  for (const given of paths) {
    const absolute = path.resolve(options.cwd, given);
    let stat: Awaited<ReturnType<typeof fs.stat>>;
    try {
      stat = await fs.stat(absolute);
    } catch {
      throw new InputError('no such file or folder', {
        location: { file: given },
        hint: 'check the path; folders are imported with all their .txt, .md, .pdf, .docx, .html, .csv, .tsv and .jsonl files.',
      });
    }
    if (stat.isDirectory()) {
      const found = await walk(absolute, options.exclude);
      if (found.length === 0) {
        throw new InputError('the folder holds no files that can be imported', {
          location: { file: given },
          hint: `supported files end in ${supportedExtensions.join(', ')}.`,
        });
      }
      for (const file of found) add(file, kindOf(file)!);
    } else {
      refuseSpecialFile(stat, given);
      const kind = kindOf(absolute);
      if (kind === undefined) {
        const extension = path.extname(absolute) || '(none)';
        throw new InputError(`cannot import files of type ${extension}`, {
          location: { file: given },
          hint: `supported files end in ${supportedExtensions.join(', ')}; convert other formats to plain text first.`,
        });
      }
      add(absolute, kind);
    }
  }
  return files;
}

async function walk(folder: string, exclude: ReadonlySet<string>): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full, exclude)));
    else if (entry.isFile() && kindOf(full) !== undefined && !exclude.has(full)) found.push(full);
  }
  return found;
}

/** A YAML value of front matter or a JSON value of a table row, as a metadata string. */
function metadataValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (
    Array.isArray(value) &&
    value.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item))
  ) {
    return value.map((item) => (item === null ? '' : String(item))).join('; ');
  }
  return undefined;
}

/**
 * Split Markdown front matter (`---` … `---` at the top) from the body; `unclosed` when the
 * opening fence has no closing one.
 */
export function splitFrontMatter(text: string): { frontMatter?: string; body: string; unclosed?: true } {
  if (!text.startsWith('---\n') && text !== '---') return { body: text };
  const closing = /\n(?:---|\.\.\.)[ \t]*(?:\n|$)/g;
  closing.lastIndex = 3;
  const match = closing.exec(text);
  if (!match) return { body: text, unclosed: true };
  const frontMatter = text.slice(4, match.index + 1);
  const body = text.slice(match.index + match[0].length);
  return { frontMatter, body };
}

/** Read one .txt or .md file as a document. */
export async function readTextSource(
  source: SourceFile,
  unit: UnitKind,
): Promise<{ input?: DocumentInput; findings: Finding[] }> {
  const bytes = await fs.readFile(source.file);
  const text = decodeText(bytes, source.shownAs);
  const stem = path.basename(source.file, path.extname(source.file));
  const metadata: RawMetadata = {};
  let id = slugify(stem);
  let body = text;
  const findings: Finding[] = [];
  const extension = path.extname(source.file).toLowerCase();
  if (extension === '.md' || extension === '.markdown') {
    const split = splitFrontMatter(text);
    if (split.unclosed) {
      throw new InputError('the front matter opened by "---" on line 1 is never closed', {
        location: { file: source.shownAs, line: 1 },
        hint: 'end the front matter with a line of three dashes: ---',
      });
    }
    body = split.body;
    if (split.frontMatter !== undefined) {
      const parsed = parseFrontMatter(split.frontMatter, source.shownAs);
      for (const [key, value] of Object.entries(parsed)) {
        if (key === 'id') id = value;
        else metadata[key] = value;
      }
    }
  }
  const trimmed = body.trim();
  const input: DocumentInput = {
    id,
    text: trimmed,
    location: { file: source.shownAs },
    origin: source.shownAs,
    metadata,
    unit,
  };
  return { input, findings };
}

/** Front matter as metadata strings; a YAML error is reported at its line in the file. */
function parseFrontMatter(yamlText: string, file: string): RawMetadata {
  let parsed: ReturnType<typeof parseYaml>;
  try {
    parsed = parseYaml(yamlText, file);
  } catch (error) {
    if (error instanceof InputError && error.findings.length === 0) {
      // Not a syntax error but a refusal (too large, an alias bomb): say what it is.
      throw new InputError(`the front matter: ${error.message}`, {
        location: { file },
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        cause: error,
      });
    }
    if (error instanceof InputError) {
      // Lines inside the front matter are one below lines in the file (the opening ---).
      const findings = error.findings.map((finding) => ({
        ...finding,
        line: (finding.line ?? 0) + 1,
        message: `front matter: ${finding.message}`,
      }));
      throw new InputError('the front matter is not valid YAML', { findings, location: { file } });
    }
    throw error;
  }
  if (parsed.data === null || parsed.data === undefined) return {};
  if (typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    throw new InputError('the front matter must be a mapping of keys to values (key: value)', {
      location: { file, line: 2 },
    });
  }
  const metadata: RawMetadata = {};
  for (const [key, value] of Object.entries(parsed.data as Record<string, unknown>)) {
    const text = metadataValue(value);
    if (text === undefined) {
      const { line, column } = parsed.locate([key]);
      throw new InputError(`front matter key "${key}" holds a nested mapping; metadata values are text`, {
        location: { file, line: line + 1, column },
        hint: 'write the value as text, or a list of texts.',
      });
    }
    metadata[key] = normaliseText(text);
  }
  return metadata;
}

export interface TableOptions {
  textColumn?: string | undefined;
  idColumn?: string | undefined;
  delimiter?: string | undefined;
  unit: UnitKind;
}

/** Column names that mean a standard field; matched without regard to case. */
const standardColumnNames = new Set<string>(standardFields);

function metadataKey(column: string): string {
  const lower = column.toLowerCase();
  return standardColumnNames.has(lower) ? lower : column;
}

/**
 * The rows of a .csv/.tsv/.jsonl table as documents, streamed: `onInput` is called for each row,
 * and awaited, so memory stays bounded whatever the size of the table. Without an id column, a
 * row's id is `<file name>-<row number>` (1-based, the header not counted).
 */
export async function readTableSource(
  source: SourceFile,
  options: TableOptions,
  onInput: (input: DocumentInput) => Promise<void>,
): Promise<void> {
  const extension = path.extname(source.file).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') {
    for await (const input of readJsonLines(source, options)) await onInput(input);
    return;
  }
  const textName = options.textColumn ?? 'text';
  const stem = slugify(path.basename(source.file, extension));
  let header: string[] = [];
  let textIndex = -1;
  let idIndex = -1;
  let row = 0;
  let batch: DocumentInput[] = [];
  await scanCsv(source.file, {
    shownAs: source.shownAs,
    // Chunks of 64 KiB: the rows of a chunk wait for their documents to be written, and in small
    // batches they die young instead of filling the old generation (a third of the import's time
    // went to the collector with 1 MiB).
    chunkSize: 1 << 16,
    delimiter: options.delimiter ?? (extension === '.tsv' ? '\t' : undefined),
    onHeader(names) {
      header = names;
      textIndex = columnIndex(header, textName);
      if (textIndex < 0) {
        throw new InputError(
          `no text column "${textName}"${didYouMean(textName, header)}; the columns are ${listColumns(header)}`,
          {
            location: { file: source.shownAs, line: 1 },
            hint: 'name the column that holds the statements with --text-column.',
          },
        );
      }
      idIndex = idColumnIndex(header, options.idColumn, source.shownAs);
    },
    onRow(fields, line) {
      row++;
      const metadata: RawMetadata = {};
      for (let index = 0; index < header.length; index++) {
        const column = header[index]!;
        if (index === textIndex || index === idIndex || column === '') continue;
        metadata[metadataKey(column)] = normaliseText(fields[index]!);
      }
      batch.push({
        id: idIndex >= 0 ? fields[idIndex]!.trim() : `${stem}-${row}`,
        text: normaliseText(fields[textIndex]!).trim(),
        location: { file: source.shownAs, line },
        origin: `${source.shownAs}:${line}`,
        metadata,
        unit: options.unit,
      });
    },
    async onChunk() {
      const inputs = batch;
      batch = [];
      for (const input of inputs) await onInput(input);
    },
  });
}

function idColumnIndex(header: readonly string[], idColumn: string | undefined, file: string): number {
  if (idColumn === undefined) return columnIndex(header, 'id');
  const index = columnIndex(header, idColumn);
  if (index < 0) {
    throw new InputError(
      `no id column "${idColumn}"${didYouMean(idColumn, header)}; the columns are ${listColumns(header)}`,
      {
        location: { file, line: 1 },
      },
    );
  }
  return index;
}

async function* readJsonLines(source: SourceFile, options: TableOptions): AsyncGenerator<DocumentInput> {
  const bytes = await fs.open(source.file, 'r');
  // Check the encoding on the first 64 KiB; readline would silently replace invalid bytes.
  const probe = Buffer.alloc(65536);
  const { bytesRead } = await bytes.read(probe, 0, probe.length, 0);
  await bytes.close();
  const head = probe.subarray(0, bytesRead);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    throw notUtf8Error(source.shownAs, head);
  }
  const reader = createInterface({
    input: createReadStream(source.file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const textName = options.textColumn ?? 'text';
  const stem = slugify(path.basename(source.file, path.extname(source.file)));
  let line = 0;
  let row = 0;
  for await (const rawLine of reader) {
    line++;
    const text = line === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (text.trim() === '') continue;
    if (text.includes('\uFFFD')) throw notUtf8Error(source.shownAs, Buffer.from(text));
    row++;
    if (jsonNestingDepth(text, maxJsonDepth) > maxJsonDepth) {
      throw new InputError(
        `this line nests arrays or objects more than ${maxJsonDepth} levels deep, the limit; refused`,
        {
          location: { file: source.shownAs, line },
          hint: 'a .jsonl line is one flat object: a text field and metadata fields (strings, numbers, short lists).',
        },
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InputError(`this line is not valid JSON: ${(error as Error).message}`, {
        location: { file: source.shownAs, line },
        hint: 'a .jsonl file holds one JSON object per line.',
      });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new InputError('this line is not a JSON object', { location: { file: source.shownAs, line } });
    }
    const object = data as Record<string, unknown>;
    const keys = Object.keys(object);
    const textKey = keys[columnIndex(keys, textName)];
    if (textKey === undefined || typeof object[textKey] !== 'string') {
      throw new InputError(
        `no text field "${textName}"${didYouMean(textName, keys)}; the fields are ${listColumns(keys)}`,
        {
          location: { file: source.shownAs, line },
          hint: 'name the field that holds the statement with --text-column.',
        },
      );
    }
    const idKey =
      options.idColumn === undefined
        ? keys[columnIndex(keys, 'id')]
        : keys[columnIndex(keys, options.idColumn)];
    if (options.idColumn !== undefined && idKey === undefined) {
      throw new InputError(`no id field "${options.idColumn}"; the fields are ${listColumns(keys)}`, {
        location: { file: source.shownAs, line },
      });
    }
    const metadata: RawMetadata = {};
    for (const key of keys) {
      if (key === textKey || key === idKey) continue;
      const value = metadataValue(object[key]);
      metadata[metadataKey(key)] = normaliseText(value ?? JSON.stringify(object[key]));
    }
    yield {
      id: idKey === undefined ? `${stem}-${row}` : String(object[idKey] ?? '').trim(),
      text: normaliseText(object[textKey] as string).trim(),
      location: { file: source.shownAs, line },
      origin: `${source.shownAs}:${line}`,
      metadata,
      unit: options.unit,
    };
  }
}
