/**
 * The corpus store on disk: `documents.jsonl`, `units.csv`, `corpus.json` in the workspace's
 * corpus folder. Documents keep the order in which they were first imported; units are grouped by
 * document in that order. Both files are read as streams, so a corpus of a million statements
 * never has to be in memory at once.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UnitIdPool } from '../core/unit-id-pool.js';
import { InputError } from '../errors.js';
import { unitKinds } from '../schema/config.js';
import {
  type CorpusManifest,
  corpusFormatVersion,
  corpusManifestSchema,
  type DocumentRecord,
  documentIdPattern,
  documentRecordSchema,
  standardFields,
  type UnitRecord,
  unitsHeader,
} from '../schema/corpus.js';
import { textFields } from '../schema/fields.js';
import { exists } from './atomic.js';
import { Utf8Chunks } from './utf8-chunks.js';

export interface CorpusPaths {
  folder: string;
  documents: string;
  units: string;
  manifest: string;
}

export function corpusPaths(folder: string): CorpusPaths {
  return {
    folder,
    documents: path.join(folder, 'documents.jsonl'),
    units: path.join(folder, 'units.csv'),
    manifest: path.join(folder, 'corpus.json'),
  };
}

/** The manifest, or undefined when nothing was imported yet. Refuses a format version it does not know. */
export async function readManifest(paths: CorpusPaths): Promise<CorpusManifest | undefined> {
  if (!(await exists(paths.manifest))) return undefined;
  const text = await fs.readFile(paths.manifest, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError('the corpus manifest is not valid JSON', {
      location: { file: paths.manifest },
      cause: error,
    });
  }
  const version = (data as { version?: unknown }).version;
  if (version !== corpusFormatVersion) {
    throw new InputError(
      `unknown corpus format version: expected ${corpusFormatVersion}, received ${String(version)}`,
      {
        location: { file: paths.manifest },
        hint: 'this corpus was written by another version of coding; use that version or re-import the documents.',
      },
    );
  }
  const result = corpusManifestSchema.safeParse(data);
  if (!result.success) {
    throw new InputError(`the corpus manifest is malformed: ${result.error.issues[0]?.message}`, {
      location: { file: paths.manifest },
    });
  }
  return result.data;
}

export function manifestText(documents: number, units: number): string {
  const manifest: CorpusManifest = {
    format: 'coding-corpus',
    version: corpusFormatVersion,
    documents,
    units,
    note: 'Written by coding import. documents.jsonl holds one document a line; units.csv the coding units (offsets in code points).',
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** What JSON.stringify escapes in a string: quotes, backslashes, control characters, surrogates. */
const escaped = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(value)` for a string, without its work when nothing needs escaping (most values). */
function jsonString(value: string): string {
  return escaped.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** One line of documents.jsonl, keys in a fixed order so the file is byte-identical across runs. */
export function serializeDocument(record: DocumentRecord): string {
  // Written by hand rather than through an object, to be fast on a million documents; the key
  // order is that of documentRecordSchema, and every value is escaped as JSON.stringify does.
  let line = `{"id":${jsonString(record.id)}`;
  for (const key of standardFields) {
    const value = record[key];
    if (value !== undefined) line += `,"${key}":${jsonString(value)}`;
  }
  line += ',"attributes":{';
  let first = true;
  for (const key of Object.keys(record.attributes).sort()) {
    line += `${first ? '' : ','}${jsonString(key)}:${jsonString(record.attributes[key]!)}`;
    first = false;
  }
  const pages = record.pages === undefined ? '' : `,"pages":[${record.pages.join(',')}]`;
  return `${line}},"unit":"${record.unit}","origin":${jsonString(record.origin)}${pages},"hash":"${record.hash}","text":${jsonString(record.text)}}\n`;
}

export function unitsHeaderLine(): string {
  return `${unitsHeader.join(',')}\n`;
}

/** One line of units.csv; ids never contain a comma or quote (see documentIdPattern). */
export function serializeUnit(unit: UnitRecord): string {
  return `${unit.id},${unit.docId},${unit.ordinal},${unit.start},${unit.end},${unit.hash}\n`;
}

/**
 * The lines of a file the tool wrote (UTF-8, LF), read 64 KiB at a time and handed out in batches,
 * which costs far less than readline's event per line on files of millions of lines.
 */
export async function* lineBatches(file: string): AsyncGenerator<string[]> {
  const handle = await fs.open(file, 'r');
  // 64 KiB at a time: a batch's lines (and what is made of them) die young, instead of being
  // moved to the old generation, which grew the report's peak by 100 MB when reading the texts.
  const buffer = Buffer.allocUnsafe(1 << 16);
  const decoder = new Utf8Chunks(false);
  let carry = '';
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const text = carry + decoder.decode(buffer.subarray(0, bytesRead));
      const batch = text.split('\n');
      carry = batch.pop()!;
      if (batch.length > 0) yield batch;
    }
    carry += decoder.end();
    if (carry !== '') yield [carry];
  } finally {
    await handle.close();
  }
}

async function* lines(file: string): AsyncGenerator<{ text: string; line: number }> {
  let line = 0;
  for await (const batch of lineBatches(file)) {
    for (const text of batch) {
      line++;
      yield { text: text.endsWith('\r') ? text.slice(0, -1) : text, line };
    }
  }
}

const recordKeys = new Set<string>(documentRecordSchema.keyof().options);

/**
 * A quick structural check of a line of documents.jsonl, for the common case of a file the tool
 * wrote itself (a million lines would take seconds through zod). Anything it does not accept goes
 * through `documentRecordSchema`, which stays the definition and gives the precise message.
 */
function looksLikeDocumentRecord(data: unknown): data is DocumentRecord {
  if (data === null || typeof data !== 'object') return false;
  const record = data as Record<string, unknown>;
  if (typeof record['id'] !== 'string' || !documentIdPattern.test(record['id'])) return false;
  if (typeof record['origin'] !== 'string') return false;
  if (typeof record['hash'] !== 'string' || typeof record['text'] !== 'string') return false;
  if (!(unitKinds as readonly unknown[]).includes(record['unit'])) return false;
  if (record['role'] !== undefined && record['role'] !== 'primary' && record['role'] !== 'secondary')
    return false;
  for (const field of textFields)
    if (record[field] !== undefined && typeof record[field] !== 'string') return false;
  const attributes = record['attributes'];
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) return false;
  for (const value of Object.values(attributes)) if (typeof value !== 'string') return false;
  const pages = record['pages'];
  if (
    pages !== undefined &&
    !(Array.isArray(pages) && pages.every((page) => Number.isInteger(page) && page >= 0))
  )
    return false;
  for (const key of Object.keys(record)) if (!recordKeys.has(key)) return false;
  return true;
}

/** Parse one line of documents.jsonl. */
export function parseDocumentLine(text: string, file: string, line: number): DocumentRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError('the corpus file is damaged: this line is not JSON', {
      location: { file, line },
      cause: error,
    });
  }
  if (looksLikeDocumentRecord(data)) return data;
  const result = documentRecordSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`the corpus file is damaged: ${issue.path.join('.')}: ${issue.message}`, {
      location: { file, line },
      hint: 'restore corpus/ from version control, or import the documents again into a new workspace.',
    });
  }
  return result.data;
}

/**
 * Every document of the corpus, in order (none when nothing was imported yet). With
 * `withText: false` the texts are not read (their `text` is empty; see `readDocumentMetadata`).
 */
export async function* readDocuments(
  paths: CorpusPaths,
  options: { withText?: boolean } = {},
): AsyncGenerator<DocumentRecord & { line: number }> {
  if (!(options.withText ?? true)) {
    for await (const batch of readDocumentMetadata(paths)) yield* batch;
    return;
  }
  if (!(await exists(paths.documents))) return;
  for await (const { text, line } of lines(paths.documents)) {
    if (text === '') continue;
    const record = parseDocumentLine(text, paths.documents, line) as DocumentRecord & { line: number };
    record.line = line;
    yield record;
  }
}

export const newline = 0x0a;
export const carriageReturn = 0x0d;
const textKey = Buffer.from(',"text":');
const noText = ',"text":""}';

/**
 * The documents of the corpus without their texts (`text` is empty), in batches of a chunk of the
 * file, for the commands that read a million documents' metadata (themes, report, import). The
 * bytes are worked on directly: a line is cut at its last `,"text":` (a raw `,"text":` can only be
 * a key: inside a JSON string the quotes would be escaped, and the tool writes `text` last) and
 * only what comes before is decoded and parsed, so that the texts (half the file) never become
 * strings. A line without the key is parsed whole. Records as `readDocuments` gives them.
 */
export async function* readDocumentMetadata(
  paths: CorpusPaths,
): AsyncGenerator<Array<DocumentRecord & { line: number }>> {
  if (!(await exists(paths.documents))) return;
  const file = paths.documents;
  const handle = await fs.open(file, 'r');
  // Small chunks: a batch's records die young, before the collector would move them to old space.
  let buffer = Buffer.allocUnsafe(1 << 18);
  let filled = 0;
  let line = 0;
  let first = true;
  // Bytes that are not UTF-8 become U+FFFD as lineBatches' decoder makes them; valid ones are
  // sliced directly.
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  try {
    for (;;) {
      if (filled === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      const end = filled + bytesRead;
      let start = 0;
      if (first && end >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      if (first && end >= 3) first = false;
      const valid = isUtf8(buffer.subarray(start, end));
      const batch: Array<DocumentRecord & { line: number }> = [];
      const take = (from: number, to: number): void => {
        line++;
        let stop = to;
        if (stop > from && buffer[stop - 1] === carriageReturn) stop--;
        if (stop === from) return;
        const cut = stop - from >= textKey.length ? buffer.lastIndexOf(textKey, stop - textKey.length) : -1;
        const upTo = cut > from ? cut : stop;
        const decoded = valid
          ? buffer.toString('utf8', from, upTo)
          : decoder.decode(buffer.subarray(from, upTo));
        const record = parseDocumentLine(
          cut > from ? `${decoded}${noText}` : decoded,
          file,
          line,
        ) as DocumentRecord & {
          line: number;
        };
        record.line = line;
        batch.push(record);
      };
      for (
        let found = buffer.indexOf(newline, start);
        found >= 0 && found < end;
        found = buffer.indexOf(newline, start)
      ) {
        take(start, found);
        start = found + 1;
      }
      if (bytesRead === 0) {
        if (start < end) take(start, end);
        if (batch.length > 0) yield batch;
        break;
      }
      buffer.copy(buffer, 0, start, end);
      filled = end - start;
      if (batch.length > 0) yield batch;
    }
  } finally {
    await handle.close();
  }
}

/** Whether a line of units.csv has its six fields (`second`: where its second comma is). */
export function hasUnitFieldCount(text: string, second: number): boolean {
  let commas = 2;
  for (let at = text.indexOf(',', second + 1); at >= 0; at = text.indexOf(',', at + 1)) commas++;
  return commas === unitsHeader.length - 1;
}

export function checkUnitsHeader(text: string, file: string): void {
  if (text !== unitsHeader.join(','))
    throw new InputError(`the unit index has an unexpected header: expected ${unitsHeader.join(',')}`, {
      location: { file, line: 1 },
    });
}

/** One line of units.csv (not the header). */
export function parseUnitLine(text: string, file: string, line: number): UnitRecord {
  const fields = text.split(',');
  if (fields.length !== unitsHeader.length) {
    throw new InputError(
      `the unit index is damaged: expected ${unitsHeader.length} fields, found ${fields.length}`,
      {
        location: { file, line },
      },
    );
  }
  return {
    id: fields[0]!,
    docId: fields[1]!,
    ordinal: Number(fields[2]),
    start: Number(fields[3]),
    end: Number(fields[4]),
    hash: fields[5]!,
  };
}

/** Every unit of the corpus, in order. */
export async function* readUnits(paths: CorpusPaths): AsyncGenerator<UnitRecord> {
  if (!(await exists(paths.units))) return;
  for await (const { text, line } of lines(paths.units)) {
    if (line === 1) {
      checkUnitsHeader(text, paths.units);
      continue;
    }
    if (text === '') continue;
    yield parseUnitLine(text, paths.units, line);
  }
}

/**
 * The unit ids of the corpus, in order, as one pool of characters: one streaming pass over
 * units.csv that cuts no string and makes no record per unit (what opening a study for analysis
 * needs), with the checks of `readUnits` (header, number of fields).
 */
export async function readUnitIdPool(paths: CorpusPaths): Promise<UnitIdPool> {
  const pool = new UnitIdPool();
  if (!(await exists(paths.units))) return pool;
  const handle = await fs.open(paths.units, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const decoder = new Utf8Chunks(false);
  const header = unitsHeader.join(',');
  let carry = '';
  let line = 0;
  const take = (text: string, start: number, end: number): void => {
    line++;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (line === 1) {
      if (text.slice(start, end) !== header) {
        throw new InputError(`the unit index has an unexpected header: expected ${header}`, {
          location: { file: paths.units, line },
        });
      }
      return;
    }
    if (end === start) return;
    let fields = 1;
    let firstComma = -1;
    for (let at = text.indexOf(',', start); at >= 0 && at < end; at = text.indexOf(',', at + 1)) {
      if (fields === 1) firstComma = at;
      fields++;
    }
    if (fields !== unitsHeader.length) {
      throw new InputError(
        `the unit index is damaged: expected ${unitsHeader.length} fields, found ${fields}`,
        { location: { file: paths.units, line } },
      );
    }
    pool.add(text, start, firstComma);
  };
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const text = carry + decoder.decode(buffer.subarray(0, bytesRead));
      let start = 0;
      for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
        take(text, start, newline);
        start = newline + 1;
      }
      carry = text.slice(start);
    }
    carry += decoder.end();
    if (carry !== '') take(carry, 0, carry.length);
  } finally {
    await handle.close();
  }
  return pool;
}

export interface LoadedCorpus {
  documents: DocumentRecord[];
  units: UnitRecord[];
  documentById: Map<string, DocumentRecord>;
  unitById: Map<string, UnitRecord>;
  unitsByDocument: Map<string, UnitRecord[]>;
}

/** The whole corpus in memory, for the commands that show or report on text. */
export async function loadCorpus(paths: CorpusPaths): Promise<LoadedCorpus> {
  await readManifest(paths);
  const documents: DocumentRecord[] = [];
  for await (const { line: _line, ...document } of readDocuments(paths)) documents.push(document);
  const units: UnitRecord[] = [];
  for await (const unit of readUnits(paths)) units.push(unit);
  const documentById = new Map(documents.map((document) => [document.id, document]));
  const unitById = new Map(units.map((unit) => [unit.id, unit]));
  const unitsByDocument = new Map<string, UnitRecord[]>();
  for (const unit of units) {
    const list = unitsByDocument.get(unit.docId);
    if (list) list.push(unit);
    else unitsByDocument.set(unit.docId, [unit]);
  }
  return { documents, units, documentById, unitById, unitsByDocument };
}

/** The set of unit ids of the corpus, read without the texts (for validating annotations). */
export async function readUnitIds(paths: CorpusPaths): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let index = 0;
  for await (const unit of readUnits(paths)) ids.set(unit.id, index++);
  return ids;
}
