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

const optionalTextFields = [
  'title',
  'actor',
  'source',
  'genre',
  'date',
  'language',
  'url',
  'accessed',
] as const;
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
  for (const field of optionalTextFields)
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

const newline = 0x0a;
const carriageReturn = 0x0d;
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

/**
 * Every unit with its document, in corpus order: documents and units are stored in the same order,
 * so one pass over each file suffices and only one document's text is held at a time. A consumer
 * that stops early leaves no file open.
 */
export async function* unitsWithDocuments(
  paths: CorpusPaths,
): AsyncGenerator<{ unit: UnitRecord; document: DocumentRecord }> {
  const documents = readDocuments(paths);
  let current: DocumentRecord | undefined;
  try {
    for await (const unit of readUnits(paths)) {
      while (current?.id !== unit.docId) {
        const next = await documents.next();
        if (next.done)
          throw new InputError(
            `the unit index refers to document "${unit.docId}", which is not in documents.jsonl`,
            { location: { file: paths.units } },
          );
        current = next.value;
      }
      yield { unit, document: current };
    }
  } finally {
    await documents.return(undefined);
  }
}

/**
 * The units that `wanted` accepts (by position in the corpus), each with its document, in corpus
 * order: as `unitsWithDocuments`, but a document is parsed only when one of its units is wanted
 * (the others are told apart by the id at the start of their line), so that the texts of a quarter
 * of the units of a million-document corpus cost a quarter of the parsing.
 */
export async function* wantedUnitsWithDocuments(
  paths: CorpusPaths,
  wanted: (unitIndex: number, unitId: string) => boolean,
): AsyncGenerator<{ unit: UnitRecord; document: DocumentRecord; unitIndex: number }> {
  if (!(await exists(paths.units))) return;
  // units.csv is walked a batch of lines at a time and documents.jsonl as bytes, awaiting only when
  // a batch is used up: a generator step per line, and every document line decoded, cost seconds
  // and kept the report's heap growing.
  const documents = (await exists(paths.documents)) ? await DocumentLines.open(paths.documents) : undefined;
  let currentId: string | undefined;
  let parsed: DocumentRecord | undefined;
  let position = 0;
  let unitLine = 0;
  try {
    for await (const batch of lineBatches(paths.units)) {
      for (const raw of batch) {
        unitLine++;
        const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (unitLine === 1) {
          checkUnitsHeader(text, paths.units);
          continue;
        }
        if (text === '') continue;
        // Only the id and the document are cut out of every line; the record is made for the wanted.
        const first = text.indexOf(',');
        const second = first < 0 ? -1 : text.indexOf(',', first + 1);
        // A line without its six fields is refused (by parseUnitLine), wanted or not.
        if (second < 0 || !hasUnitFieldCount(text, second)) parseUnitLine(text, paths.units, unitLine);
        const docId = text.slice(first + 1, second);
        const unitIndex = position++;
        while (currentId !== docId) {
          if (documents === undefined || !(await documents.next()))
            throw new InputError(
              `the unit index refers to document "${docId}", which is not in documents.jsonl`,
              { location: { file: paths.units } },
            );
          parsed = undefined;
          currentId = documents.leadingId();
          if (currentId === undefined) {
            parsed = documents.parse();
            currentId = parsed.id;
          }
        }
        if (!wanted(unitIndex, text.slice(0, first))) continue;
        const unit = parseUnitLine(text, paths.units, unitLine);
        parsed ??= documents!.parse();
        yield { unit, document: parsed, unitIndex };
      }
    }
  } finally {
    await documents?.close();
  }
}

const idPrefix = Buffer.from('{"id":"');
const quote = 0x22;

/**
 * The lines of documents.jsonl as bytes, one at a time (blank ones skipped), for a walk that needs
 * the text of only some documents: a line's id is read from its first bytes, and the line is
 * decoded and parsed only when asked. Lines decode as `lineBatches` decodes them (a byte-order mark
 * at the start is dropped; bytes that are not UTF-8 become U+FFFD).
 */
class DocumentLines {
  private buffer = Buffer.allocUnsafe(1 << 18);
  private filled = 0;
  private next_ = 0;
  private from = 0;
  private to = 0;
  private line = 0;
  private ended = false;
  private first = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  private constructor(
    private readonly handle: fs.FileHandle,
    private readonly file: string,
  ) {}

  static async open(file: string): Promise<DocumentLines> {
    return new DocumentLines(await fs.open(file, 'r'), file);
  }

  /** Move to the next line that is not blank; false at the end of the file. */
  async next(): Promise<boolean> {
    for (;;) {
      const found = this.buffer.indexOf(newline, this.next_);
      let end: number;
      if (found >= 0 && found < this.filled) {
        end = found;
        this.from = this.next_;
        this.next_ = found + 1;
      } else if (this.ended) {
        if (this.next_ >= this.filled) return false;
        end = this.filled;
        this.from = this.next_;
        this.next_ = this.filled;
      } else {
        await this.fill();
        continue;
      }
      this.line++;
      this.to = end > this.from && this.buffer[end - 1] === carriageReturn ? end - 1 : end;
      if (this.to > this.from) return true;
    }
  }

  private async fill(): Promise<void> {
    const rest = this.filled - this.next_;
    if (rest === this.buffer.length) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, this.next_, this.filled);
      this.buffer = bigger;
    } else this.buffer.copy(this.buffer, 0, this.next_, this.filled);
    this.filled = rest;
    this.next_ = 0;
    const { bytesRead } = await this.handle.read(
      this.buffer,
      this.filled,
      this.buffer.length - this.filled,
      null,
    );
    this.filled += bytesRead;
    if (bytesRead === 0) this.ended = true;
    if (this.first && (this.filled >= 3 || this.ended)) {
      this.first = false;
      if (this.buffer[0] === 0xef && this.buffer[1] === 0xbb && this.buffer[2] === 0xbf && this.filled >= 3)
        this.next_ = 3;
    }
  }

  /** The id at the start of the line the tool wrote (`{"id":"…"`), when it is a valid id; else undefined. */
  leadingId(): string | undefined {
    const { buffer, from, to } = this;
    if (
      to - from < idPrefix.length ||
      buffer.compare(idPrefix, 0, idPrefix.length, from, from + idPrefix.length) !== 0
    )
      return undefined;
    const end = buffer.indexOf(quote, from + idPrefix.length);
    if (end < 0 || end >= to) return undefined;
    // A valid id is ASCII without backslash or quote, so its JSON text is the id itself.
    const id = buffer.toString('latin1', from + idPrefix.length, end);
    return documentIdPattern.test(id) ? id : undefined;
  }

  /** The line parsed (with its line number). */
  parse(): DocumentRecord & { line: number } {
    const bytes = this.buffer.subarray(this.from, this.to);
    const text = isUtf8(bytes) ? bytes.toString('utf8') : this.decoder.decode(bytes);
    const record = parseDocumentLine(text, this.file, this.line) as DocumentRecord & { line: number };
    record.line = this.line;
    return record;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Whether a line of units.csv has its six fields (`second`: where its second comma is). */
function hasUnitFieldCount(text: string, second: number): boolean {
  let commas = 2;
  for (let at = text.indexOf(',', second + 1); at >= 0; at = text.indexOf(',', at + 1)) commas++;
  return commas === unitsHeader.length - 1;
}

function checkUnitsHeader(text: string, file: string): void {
  if (text !== unitsHeader.join(','))
    throw new InputError(`the unit index has an unexpected header: expected ${unitsHeader.join(',')}`, {
      location: { file, line: 1 },
    });
}

/** One line of units.csv (not the header). */
function parseUnitLine(text: string, file: string, line: number): UnitRecord {
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
