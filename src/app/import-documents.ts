/**
 * `coding import PATH…`: documents into the workspace's corpus, with stable unit ids.
 *
 * One streaming pass reads every input and validates it; new documents go to temporary files, so a
 * million-row table never has to be held in memory. Nothing is written to the corpus unless every
 * input is valid: then documents.jsonl and units.csv are rewritten atomically (old documents in
 * their order, updated ones in place, new ones appended).
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ControlCharacterWarnings } from '../core/control-characters.js';
import {
  type BuiltDocument,
  buildDocument,
  type DocumentInput,
  freshUnits,
  metadataSignature,
  type RawMetadata,
  type Reconciliation,
  reconcileUnits,
} from '../core/documents.js';
import { sha256 } from '../core/hash.js';
import type { SegmentOptions } from '../core/segment.js';
import { type Finding, InputError } from '../errors.js';
import { AtomicBatch, AtomicWriteStream } from '../io/atomic.js';
import {
  type CorpusPaths,
  corpusPaths,
  manifestText,
  readDocumentMetadata,
  readDocuments,
  readManifest,
  readUnits,
  serializeDocument,
  serializeUnit,
  unitsHeaderLine,
} from '../io/corpus-store.js';
import { columnIndex } from '../io/csv.js';
import { scanCsv } from '../io/csv-scan.js';
import { readRichSource, type SourceNote } from '../io/sources/rich.js';
import { expandSources, readTableSource, readTextSource } from '../io/sources.js';
import { openWorkspace, type Workspace } from '../io/workspace.js';
import type { UnitKind } from '../schema/config.js';
import type { DocumentRecord, UnitRecord } from '../schema/corpus.js';
import { settleLanguage } from './document-language.js';
import { DocumentLedger, hash52 } from './document-ledger.js';
import { journalReferences } from './unit-references.js';

export interface ImportDocumentsOptions {
  cwd: string;
  workspace?: string | undefined;
  paths: string[];
  /** Segmentation; when absent, text files use coding.yaml's unit and table rows are one unit each. */
  unit?: UnitKind | undefined;
  textColumn?: string | undefined;
  idColumn?: string | undefined;
  delimiter?: string | undefined;
  /** Metadata given on the command line: defaults for every document (a document's own values win). */
  metadata: RawMetadata;
  /** Re-segment documents whose text changed. */
  update: boolean;
  /** Check everything, write nothing. */
  dryRun?: boolean;
  /** Called every few thousand documents read. */
  progress?: (documentsRead: number) => void;
}

export interface ChangedDocument {
  id: string;
  origin: string;
  unitsKept: number;
  unitsAdded: string[];
  unitsRemoved: string[];
}

export interface ImportDocumentsResult {
  workspace: string;
  files: number;
  documents: { added: number; unchanged: number; metadataUpdated: number; changed: number; total: number };
  units: { added: number; unchanged: number; removed: number; total: number };
  changed: ChangedDocument[];
  metadataUpdated: string[];
  warnings: Finding[];
  /** Per document read from a text, PDF, Word or web page file: its format, pages and language. */
  sources?: SourceNote[];
  written: boolean;
}

/** How many findings are collected before the import stops reading (a broken million-row file). */
const maxFindings = 100;

export async function importDocuments(options: ImportDocumentsOptions): Promise<ImportDocumentsResult> {
  const notes: SourceNote[] = [];
  const result = await ingestDocuments(options, async (accept, { workspace, paths, stopped }) => {
    const sources = await expandSources(options.paths, {
      cwd: options.cwd,
      root: workspace.root,
      exclude: new Set([paths.documents, paths.units, paths.manifest]),
    });
    for (const source of sources) {
      if (stopped()) break;
      const unit = options.unit ?? workspace.config.segmentation.unit;
      if (source.kind === 'text' || source.kind === 'rich') {
        const read =
          source.kind === 'text'
            ? { ...(await readTextSource(source, unit)), note: undefined }
            : await readRichSource(source, unit);
        if (!read.input) continue;
        const note: SourceNote = read.note ?? { file: source.shownAs, id: read.input.id, format: 'text' };
        const choice = await settleLanguage(
          read.input,
          options.metadata,
          workspace.config.segmentation.language,
        );
        if (choice.language !== undefined) note.language = choice.language;
        if (choice.detected) note.languageDetected = true;
        notes.push(note);
        await accept(read.input);
      } else {
        await readTableSource(
          source,
          {
            textColumn: options.textColumn,
            idColumn: options.idColumn,
            delimiter: options.delimiter,
            unit: options.unit ?? 'document',
          },
          async (input) => {
            if (!stopped()) await accept(input);
          },
        );
      }
    }
    return { files: sources.length };
  });
  return { ...result, sources: notes };
}

export interface IngestOptions {
  cwd: string;
  workspace?: string | undefined;
  /** Metadata given on the command line: defaults for every document (a document's own values win). */
  metadata: RawMetadata;
  /** Re-segment documents whose text changed. */
  update: boolean;
  /** Check everything, write nothing. */
  dryRun?: boolean | undefined;
  /** Called every few thousand documents read. */
  progress?: ((documentsRead: number) => void) | undefined;
}

/** What a producer of documents gets: a function to hand each document to, and where they go. */
export type DocumentProducer = (
  accept: (input: DocumentInput) => Promise<void>,
  context: { workspace: Workspace; paths: CorpusPaths; stopped: () => boolean },
) => Promise<{ files: number }>;

/**
 * Documents into the corpus from any producer (files, a REFI-QDA project…): each is validated,
 * compared with the corpus by id and content hash, and the corpus is rewritten only when every
 * document was valid.
 */
export async function ingestDocuments(
  options: IngestOptions,
  produce: DocumentProducer,
): Promise<ImportDocumentsResult> {
  const workspace = await openWorkspace(options);
  const paths = corpusPaths(workspace.paths.corpus);
  const manifest = await readManifest(paths);
  const segmentOptions: SegmentOptions = {
    language: workspace.config.segmentation.language,
    ...(workspace.config.segmentation.abbreviations
      ? { abbreviations: workspace.config.segmentation.abbreviations }
      : {}),
  };

  // What is known of each document id, in typed arrays rather than an object per document, so
  // that a million statements fit in about 100 MB.
  const ledger = new DocumentLedger();
  const existingUnits = manifest?.units ?? 0;
  let existingDocuments = 0;
  for await (const batch of readDocumentMetadata(paths))
    for (const record of batch) {
      ledger.addExisting(
        record.id,
        hash52(record.hash),
        hash52(sha256(metadataSignature(record))),
        record.unit,
      );
      existingDocuments++;
    }

  // A dry run writes nothing, not even scratch files (the workspace may be read-only).
  const discard = options.dryRun === true;
  if (!discard) await fs.mkdir(paths.folder, { recursive: true });
  // New documents and units are written as they are read: straight into the corpus files of a
  // new corpus, else into scratch files that are appended after the existing documents.
  const fresh = existingDocuments === 0;
  const scratchDocuments = new AtomicWriteStream(
    fresh ? paths.documents : path.join(paths.folder, 'new-documents.jsonl'),
    { discard },
  );
  const scratchUnits = new AtomicWriteStream(fresh ? paths.units : path.join(paths.folder, 'new-units.csv'), {
    discard,
  });
  if (fresh) await scratchUnits.write(unitsHeaderLine());
  const findings: Finding[] = [];
  const warnings: Finding[] = [];
  const controlCharacters = new ControlCharacterWarnings();
  const replaced = new Map<string, BuiltDocument>();
  const metadataUpdated: string[] = [];
  const counts = { added: 0, unchanged: 0, unitsAdded: 0, unitsUnchanged: 0 };
  let read = 0;

  const accept = async (input: DocumentInput): Promise<void> => {
    read++;
    if (options.progress && read % 10000 === 0) options.progress(read);
    const built = buildDocument(input, options.metadata, segmentOptions);
    findings.push(...built.findings);
    const document = built.document;
    if (!document) return;
    const { record } = document;
    const textHash = hash52(record.hash);
    const { earlier, old } = ledger.visit(record.id, textHash, input.location);
    if (earlier) {
      if (earlier.textHash === textHash) {
        warnings.push({
          code: 'DUPLICATE_DOCUMENT',
          severity: 'warning',
          ...input.location,
          message: `document "${record.id}" was already read from ${earlier.origin} with the same text; imported once`,
        });
      } else {
        findings.push({
          code: 'DUPLICATE_ID',
          severity: 'error',
          ...input.location,
          message: `document id "${record.id}" is also used by ${earlier.origin}, with different text`,
        });
      }
      return;
    }
    controlCharacters.add(record, document.spans, input.location);
    if (!old) {
      counts.added++;
      counts.unitsAdded += document.spans.length;
      await scratchDocuments.write(serializeDocument(record));
      for (const unit of freshUnits(record.id, document.spans)) await scratchUnits.write(serializeUnit(unit));
      return;
    }
    if (old.textHash === textHash && old.unit === record.unit) {
      counts.unchanged++;
      counts.unitsUnchanged += document.spans.length;
      if (old.metadataHash !== hash52(sha256(metadataSignature(record)))) {
        metadataUpdated.push(record.id);
        replaced.set(record.id, document);
      }
      return;
    }
    replaced.set(record.id, document);
  };

  let files = 0;
  try {
    ({ files } = await produce(accept, { workspace, paths, stopped: () => findings.length >= maxFindings }));
  } catch (error) {
    await scratchDocuments.abort();
    await scratchUnits.abort();
    throw error;
  }

  // Documents whose text (or segmentation) changed: match their new units to the old ones.
  const changedIds = [...replaced.keys()].filter((id) => !metadataUpdated.includes(id));
  const reconciliations = new Map<string, Reconciliation>();
  if (changedIds.length > 0) {
    const oldUnits = new Map<string, UnitRecord[]>();
    const wanted = new Set(changedIds);
    for await (const unit of readUnits(paths)) {
      if (!wanted.has(unit.docId)) continue;
      const list = oldUnits.get(unit.docId);
      if (list) list.push(unit);
      else oldUnits.set(unit.docId, [unit]);
    }
    for (const id of changedIds) {
      reconciliations.set(id, reconcileUnits(id, oldUnits.get(id) ?? [], replaced.get(id)!.spans));
    }
  }
  const changed: ChangedDocument[] = changedIds.map((id) => {
    const reconciliation = reconciliations.get(id)!;
    return {
      id,
      origin: replaced.get(id)!.record.origin,
      unitsKept: reconciliation.kept.length,
      unitsAdded: reconciliation.added,
      unitsRemoved: reconciliation.removed.map((unit) => unit.id),
    };
  });

  if (!options.update) {
    for (const document of changed) {
      findings.push({
        code: 'TEXT_CHANGED',
        severity: 'error',
        file: document.origin,
        message:
          `the text of document "${document.id}" differs from the corpus: ${document.unitsKept} units unchanged, ` +
          `${document.unitsAdded.length} new, ${document.unitsRemoved.length} no longer in the text` +
          (document.unitsRemoved.length > 0 ? ` (${abbreviateList(document.unitsRemoved)})` : ''),
      });
    }
  }

  const fail = async (summary: string, hint?: string): Promise<never> => {
    await scratchDocuments.abort();
    await scratchUnits.abort();
    throw new InputError(summary, { findings: findings.slice(0, maxFindings), ...(hint ? { hint } : {}) });
  };
  if (findings.length > 0) {
    const textChanged = findings.some((finding) => finding.code === 'TEXT_CHANGED');
    await fail(
      `nothing imported: ${findings.length >= maxFindings ? `at least ${maxFindings}` : findings.length} problem${findings.length === 1 ? '' : 's'} found`,
      textChanged
        ? 're-run with --update to re-segment the changed documents; units whose text is unchanged keep their ids.'
        : undefined,
    );
  }

  if (options.update) {
    const removed = new Set(changed.flatMap((document) => document.unitsRemoved));
    if (removed.size > 0) {
      const references = await findUnitReferences(workspace, removed);
      if (references.length > 0) {
        for (const reference of references) {
          findings.push({
            code: 'UNIT_IN_USE',
            severity: 'error',
            file: reference.file,
            line: reference.line,
            message: `unit ${reference.unitId} would disappear from the corpus, but this file refers to it${reference.note ? `: ${reference.note}` : ''}`,
          });
        }
        await fail(
          'nothing imported: the update would drop units that annotations refer to',
          'keep those sentences in the document, or remove their annotations (and sample rows) first; unit ids are never silently re-mapped.',
        );
      }
    }
  }

  const unitsRemoved = changed.reduce((sum, document) => sum + document.unitsRemoved.length, 0);
  const unitsAddedByChange = changed.reduce((sum, document) => sum + document.unitsAdded.length, 0);
  const unitsKeptByChange = changed.reduce((sum, document) => sum + document.unitsKept, 0);
  const nothingToWrite = counts.added === 0 && replaced.size === 0;
  warnings.push(...controlCharacters.findings());
  const result: ImportDocumentsResult = {
    workspace: workspace.root,
    files,
    documents: {
      added: counts.added,
      unchanged: counts.unchanged,
      metadataUpdated: metadataUpdated.length,
      changed: changed.length,
      total: existingDocuments + counts.added,
    },
    units: {
      added: counts.unitsAdded + unitsAddedByChange,
      unchanged: counts.unitsUnchanged + unitsKeptByChange,
      removed: unitsRemoved,
      total: existingUnits + counts.unitsAdded + unitsAddedByChange - unitsRemoved,
    },
    changed,
    metadataUpdated,
    warnings,
    written: false,
  };
  if (nothingToWrite || options.dryRun) {
    await scratchDocuments.abort();
    await scratchUnits.abort();
    return result;
  }

  if (fresh) {
    const batch = new AtomicBatch();
    batch.adopt(scratchDocuments);
    batch.adopt(scratchUnits);
    batch.add(paths.manifest, manifestText(result.documents.total, result.units.total));
    try {
      await batch.commit();
    } catch (error) {
      await batch.abort();
      throw error;
    }
    result.written = true;
    return result;
  }

  const newUnitsById = new Map<string, UnitRecord[]>();
  for (const [id, reconciliation] of reconciliations) newUnitsById.set(id, reconciliation.units);
  const batch = new AtomicBatch();
  try {
    await scratchDocuments.close();
    await scratchUnits.close();
    const documentsOut = await batch.stream(paths.documents);
    for await (const { line: _line, ...record } of readDocuments(paths)) {
      const replacement = replaced.get(record.id);
      await documentsOut.write(
        serializeDocument(replacement ? replacement.record : (record as DocumentRecord)),
      );
    }
    await copyLines(scratchDocuments.temporaryPath, documentsOut);
    const unitsOut = await batch.stream(paths.units);
    await unitsOut.write(unitsHeaderLine());
    for await (const unit of readUnits(paths)) {
      const replacement = newUnitsById.get(unit.docId);
      if (!replacement) {
        await unitsOut.write(serializeUnit(unit));
      } else if (replacement.length > 0) {
        // The first old unit of a changed document: write its new units once, skip the old ones.
        for (const newUnit of replacement) await unitsOut.write(serializeUnit(newUnit));
        newUnitsById.set(unit.docId, []);
      }
    }
    await copyLines(scratchUnits.temporaryPath, unitsOut);
    batch.add(paths.manifest, manifestText(result.documents.total, result.units.total));
    await batch.commit();
  } catch (error) {
    await batch.abort();
    throw error;
  } finally {
    await scratchDocuments.abort();
    await scratchUnits.abort();
  }
  result.written = true;
  return result;
}

async function copyLines(file: string, output: AtomicWriteStream): Promise<void> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    await output.write(chunk as string);
  }
}

function abbreviateList(items: string[], shown = 5): string {
  return items.length <= shown
    ? items.join(', ')
    : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

export interface UnitReference {
  file: string;
  line: number;
  unitId: string;
  note?: string;
}

/**
 * Where annotation files (any CSV under annotations/ with a unit_id column) and the pending
 * journals of coding sessions refer to the given units.
 */
export async function findUnitReferences(
  workspace: Workspace,
  unitIds: ReadonlySet<string>,
): Promise<UnitReference[]> {
  const references: UnitReference[] = [];
  let entries: string[];
  try {
    entries = (await fs.readdir(workspace.paths.annotations)).filter((name) => name.endsWith('.csv')).sort();
  } catch {
    return references;
  }
  for (const name of entries) {
    const file = path.join(workspace.paths.annotations, name);
    const shownAs = path.relative(workspace.root, file).split(path.sep).join('/');
    let column = -1;
    await scanCsv(file, {
      shownAs,
      onHeader(header) {
        column = columnIndex(header, 'unit_id');
      },
      onRow(fields, line) {
        if (column >= 0 && unitIds.has(fields[column]!))
          references.push({ file: shownAs, line, unitId: fields[column]! });
      },
    });
  }
  references.push(...(await journalReferences(workspace, unitIds)));
  return references;
}
