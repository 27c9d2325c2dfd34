/** `coding corpus list|units|show`: what the corpus holds. */

import { pageOf } from '../core/page-text.js';
import { sliceCodePoints } from '../core/segment.js';
import { didYouMean } from '../core/suggest.js';
import { InputError } from '../errors.js';
import { corpusPaths, readDocuments, readManifest, readUnits } from '../io/corpus-store.js';
import { unitsWithDocuments, wantedUnitsWithDocuments } from '../io/corpus-walk.js';
import { openWorkspace } from '../io/workspace.js';
import type { DocumentRecord, UnitRecord } from '../schema/corpus.js';

export interface CorpusOptions {
  cwd: string;
  workspace?: string | undefined;
}

export interface DocumentSummary {
  id: string;
  title: string;
  actor: string;
  source: string;
  genre: string;
  date: string;
  language: string;
  role: string;
  url: string;
  accessed: string;
  unit: string;
  units: number;
  origin: string;
  attributes: Record<string, string>;
}

export interface UnitRow {
  unit_id: string;
  doc_id: string;
  ordinal: number;
  start: number;
  end: number;
  hash: string;
  /** The page on which the unit starts, for a paged source (PDF); absent otherwise. */
  page?: number;
  text: string;
}

async function corpusOf(options: CorpusOptions) {
  const workspace = await openWorkspace(options);
  const paths = corpusPaths(workspace.paths.corpus);
  const manifest = await readManifest(paths);
  return { workspace, paths, manifest };
}

function summarise(document: DocumentRecord, units: number): DocumentSummary {
  return {
    id: document.id,
    title: document.title ?? document.id,
    actor: document.actor ?? '',
    source: document.source ?? '',
    genre: document.genre ?? '',
    date: document.date ?? '',
    language: document.language ?? '',
    role: document.role ?? '',
    url: document.url ?? '',
    accessed: document.accessed ?? '',
    unit: document.unit,
    units,
    origin: document.origin,
    attributes: document.attributes,
  };
}

/** Every document with its metadata and number of units, in corpus order. */
export async function listDocuments(options: CorpusOptions): Promise<DocumentSummary[]> {
  const { paths } = await corpusOf(options);
  const unitCounts = new Map<string, number>();
  for await (const unit of readUnits(paths))
    unitCounts.set(unit.docId, (unitCounts.get(unit.docId) ?? 0) + 1);
  const summaries: DocumentSummary[] = [];
  for await (const document of readDocuments(paths, { withText: false }))
    summaries.push(summarise(document, unitCounts.get(document.id) ?? 0));
  return summaries;
}

/**
 * The units with their text, document by document, streamed (documents and units are stored in
 * the same order, so one pass over each file suffices).
 */
export async function* iterateUnits(
  options: CorpusOptions & {
    docId?: string | undefined;
    /** Only the units this accepts (by position in the corpus and id) are read out: the others cost no text. */
    filter?: ((unitIndex: number, unitId: string) => boolean) | undefined;
  },
): AsyncGenerator<UnitRow> {
  const { paths } = await corpusOf(options);
  const filter = options.filter;
  if (filter !== undefined && options.docId === undefined) {
    // Only the documents of wanted units are parsed (a report's exemplars and disagreements).
    for await (const { unit, document } of wantedUnitsWithDocuments(paths, filter))
      yield unitRow(unit, document);
    return;
  }
  let current: DocumentRecord | undefined;
  let found = options.docId === undefined;
  const ids: string[] = [];
  let position = 0;
  for await (const { unit, document } of unitsWithDocuments(paths)) {
    if (document !== current) {
      current = document;
      if (options.docId !== undefined && ids.length < 10000) ids.push(document.id);
    }
    const unitIndex = position++;
    if (options.docId !== undefined && unit.docId !== options.docId) continue;
    found = true;
    if (options.filter && !options.filter(unitIndex, unit.id)) continue;
    yield unitRow(unit, document);
  }
  if (!found) throw unknownDocument(options.docId!, ids);
}

function unitRow(unit: UnitRecord, document: DocumentRecord): UnitRow {
  return {
    unit_id: unit.id,
    doc_id: unit.docId,
    ordinal: unit.ordinal,
    start: unit.start,
    end: unit.end,
    hash: unit.hash,
    ...(document.pages === undefined ? {} : { page: pageOf(document.pages, unit.start) }),
    text: sliceCodePoints(document.text, unit.start, unit.end),
  };
}

function unknownDocument(id: string, known: string[]): InputError {
  return new InputError(`no document "${id}" in the corpus${didYouMean(id, known)}`, {
    hint: 'list the documents with: coding corpus list',
  });
}

/** One document with its units. */
export async function showDocument(
  options: CorpusOptions & { docId: string },
): Promise<{ document: DocumentSummary; text: string; units: UnitRow[] }> {
  const { paths } = await corpusOf(options);
  let document: DocumentRecord | undefined;
  const ids: string[] = [];
  for await (const candidate of readDocuments(paths)) {
    if (candidate.id === options.docId) {
      document = candidate;
      break;
    }
    ids.push(candidate.id);
  }
  if (!document) throw unknownDocument(options.docId, ids);
  const units: UnitRow[] = [];
  for await (const unit of readUnits(paths))
    if (unit.docId === document.id) units.push(unitRow(unit, document));
  return { document: summarise(document, units.length), text: document.text, units };
}
