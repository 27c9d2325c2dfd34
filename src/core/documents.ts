/**
 * From raw document input (text plus metadata from flags, front matter or table columns) to a
 * validated document record and its coding units; and the reconciliation of a changed document's
 * units with the units already in the corpus, so unit ids stay stable.
 */
import type { Finding, Location } from '../errors.js';
import type { UnitKind } from '../schema/config.js';
import {
  type DocumentRecord,
  documentIdPattern,
  roles,
  standardFields,
  type UnitRecord,
} from '../schema/corpus.js';
import { isIsoDate } from './dates.js';
import { sha256, unitHash } from './hash.js';
import { type SegmentOptions, segment } from './segment.js';
import { CodePointIndex } from './segmenter.js';

/** Metadata as it arrives: every value a string (front matter and table cells are converted first). */
export type RawMetadata = Record<string, string>;

export interface DocumentInput {
  id: string;
  text: string;
  /** Where this document came from, for messages and the record's `origin`. */
  location: Location;
  origin: string;
  /** Per-document metadata (front matter, columns); wins over `defaults`. */
  metadata: RawMetadata;
  unit: UnitKind;
  /** A paged source (PDF): the code point offset at which each page starts (page i + 1 at index i). */
  pages?: number[];
}

export interface BuiltDocument {
  record: DocumentRecord;
  spans: Array<{ start: number; end: number; hash: string }>;
}

const dateFields = ['date', 'accessed'] as const;
const standardKeys = new Set<string>(['id', ...standardFields]);
const optionalFields = standardFields;

/** Make a slug from a file name: lower case, runs of other characters become "-". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return slug === '' ? 'document' : slug.slice(0, 200);
}

/** Dates seen, and whether each is valid: a million statements share a few thousand dates. */
const knownDates = new Map<string, boolean>();

function validDate(value: string): boolean {
  let valid = knownDates.get(value);
  if (valid === undefined) {
    valid = isIsoDate(value);
    if (knownDates.size < 100_000) knownDates.set(value, valid);
  }
  return valid;
}

/**
 * Validate an input and build its record and units. Problems come back as findings (the caller
 * collects all of a file's problems before refusing the import).
 */
export function buildDocument(
  input: DocumentInput,
  defaults: RawMetadata,
  segmentOptions: SegmentOptions,
): { document?: BuiltDocument; findings: Finding[] } {
  const findings: Finding[] = [];
  const error = (code: string, message: string, path?: string): void => {
    findings.push({
      code,
      severity: 'error',
      ...input.location,
      ...(path === undefined ? {} : { path }),
      message,
    });
  };
  if (!documentIdPattern.test(input.id)) {
    error(
      'BAD_DOCUMENT_ID',
      `document id "${input.id}" is not a valid id: use letters, digits, ".", "-" or "_", starting with a letter or digit`,
      'id',
    );
  }
  if (input.text.trim() === '') error('EMPTY_DOCUMENT', 'the document has no text', 'text');
  // One rule for every way in (text files, CSV, JSONL, REFI-QDA sources): text never holds NUL.
  const nul = input.text.indexOf('\u0000');
  if (nul >= 0) {
    const before = input.text.slice(0, nul);
    error(
      'NUL_IN_TEXT',
      `the text holds a NUL character (U+0000) at its line ${before.split('\n').length}, column ${nul - before.lastIndexOf('\n')}: text never does, so the source is binary or damaged; remove the NUL characters and import again`,
      'text',
    );
  }

  const metadata: RawMetadata = { ...defaults, ...input.metadata };
  for (const field of dateFields) {
    const value = metadata[field];
    if (value !== undefined && value !== '' && !validDate(value)) {
      error(
        'BAD_DATE',
        `${field} "${value}" is not an ISO 8601 date: write it as YYYY-MM-DD (or YYYY-MM, YYYY, or a date-time)`,
        field,
      );
    }
  }
  const role = metadata['role'];
  if (role !== undefined && role !== '' && !(roles as readonly string[]).includes(role)) {
    error('BAD_ROLE', `role "${role}" must be "primary" or "secondary"`, 'role');
  }
  if (findings.length > 0) return { findings };

  const attributes: Record<string, string> = {};
  for (const key of Object.keys(metadata).sort()) {
    if (!standardKeys.has(key) && metadata[key] !== '') attributes[key] = metadata[key]!;
  }
  const record: DocumentRecord = {
    id: input.id,
    attributes,
    unit: input.unit,
    origin: input.origin,
    hash: '',
    text: '',
  };
  for (const key of optionalFields) {
    const value = metadata[key];
    if (value !== undefined && value !== '') (record as Record<string, unknown>)[key] = value;
  }
  if (input.pages !== undefined && input.pages.length > 0) record.pages = input.pages;
  record.hash = sha256(input.text);
  record.text = input.text;
  const whole = input.text.length;
  // Made only when a unit is not the whole text (one statement per row needs none).
  let codePoints: CodePointIndex | undefined;
  const unitText = (start: number, end: number): string => {
    if (codePoints === undefined) codePoints = new CodePointIndex(input.text);
    return codePoints.slice(start, end);
  };
  // The document's own language (its metadata, or --language) chooses the sentence rules.
  const language = metadata['language'] || segmentOptions.language;
  const options = language === segmentOptions.language ? segmentOptions : { ...segmentOptions, language };
  const spans = segment(input.text, input.unit, options).map((span) => ({
    start: span.start,
    end: span.end,
    // A unit that is the whole text (one statement per row) has the document's hash.
    hash:
      span.start === 0 && span.end === whole && !/[\uD800-\uDFFF]/.test(input.text)
        ? record.hash.slice(0, 16)
        : unitHash(unitText(span.start, span.end)),
  }));
  return { document: { record, spans }, findings };
}

/** Units of a document imported for the first time: ids `doc:1`, `doc:2`, … in order. */
export function freshUnits(docId: string, spans: BuiltDocument['spans']): UnitRecord[] {
  return spans.map((span, index) => ({
    id: `${docId}:${index + 1}`,
    docId,
    ordinal: index + 1,
    start: span.start,
    end: span.end,
    hash: span.hash,
  }));
}

export interface Reconciliation {
  units: UnitRecord[];
  /** Ids of units whose text is still in the document (possibly moved). */
  kept: string[];
  /** Ids given to units that are new. */
  added: string[];
  /** Units whose text is no longer in the document. */
  removed: UnitRecord[];
}

/** The numeric part of a unit id `doc:n`. */
export function unitNumber(unitId: string): number {
  return Number(unitId.slice(unitId.lastIndexOf(':') + 1));
}

/**
 * Match the units of a changed document to its old units by content hash, in order: a unit whose
 * text is unchanged keeps its id (even if it moved); a new unit gets the next unused number.
 */
export function reconcileUnits(
  docId: string,
  oldUnits: UnitRecord[],
  spans: BuiltDocument['spans'],
): Reconciliation {
  const byHash = new Map<string, UnitRecord[]>();
  for (const unit of oldUnits) {
    const queue = byHash.get(unit.hash);
    if (queue) queue.push(unit);
    else byHash.set(unit.hash, [unit]);
  }
  let next = oldUnits.reduce((maximum, unit) => Math.max(maximum, unitNumber(unit.id)), 0) + 1;
  const units: UnitRecord[] = [];
  const kept: string[] = [];
  const added: string[] = [];
  const used = new Set<string>();
  for (const [index, span] of spans.entries()) {
    const match = byHash.get(span.hash)?.shift();
    let id: string;
    if (match) {
      id = match.id;
      kept.push(id);
      used.add(id);
    } else {
      id = `${docId}:${next++}`;
      added.push(id);
    }
    units.push({ id, docId, ordinal: index + 1, start: span.start, end: span.end, hash: span.hash });
  }
  const removed = oldUnits.filter((unit) => !used.has(unit.id));
  return { units, kept, added, removed };
}

/** The document's metadata without its text, for comparing two versions of it. */
export function metadataSignature(record: DocumentRecord): string {
  // Fields joined by a control character that cannot occur in them (metadata is one line of text).
  let signature = `${record.id}\u0001${record.unit}\u0001${record.origin}`;
  for (const field of optionalFields) signature += `\u0001${record[field] ?? '\u0002'}`;
  for (const key of Object.keys(record.attributes).sort())
    signature += `\u0003${key}\u0001${record.attributes[key]}`;
  return signature;
}
