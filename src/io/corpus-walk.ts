/**
 * Walks over the corpus store's units with their documents, in corpus order: every unit, or only
 * the wanted ones (a document line then decoded and parsed only when one of its units is wanted).
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs/promises';
import { InputError } from '../errors.js';
import { type DocumentRecord, documentIdPattern, type UnitRecord } from '../schema/corpus.js';
import { exists } from './atomic.js';
import {
  type CorpusPaths,
  carriageReturn,
  checkUnitsHeader,
  hasUnitFieldCount,
  lineBatches,
  newline,
  parseDocumentLine,
  parseUnitLine,
  readDocuments,
  readUnits,
} from './corpus-store.js';

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
