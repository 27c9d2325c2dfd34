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
import {
  type DocumentInput,
  metadataSignature,
  type RawMetadata,
  type Reconciliation,
  reconcileUnits,
} from '../core/documents.js';
import { sha256 } from '../core/hash.js';
import type { SegmentOptions } from '../core/segment.js';
import type { Finding } from '../errors.js';
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
import { readRichSource, type SourceNote } from '../io/sources/rich.js';
import { expandSources, readTableSource, readTextSource } from '../io/sources.js';
import { openWorkspace, type Workspace } from '../io/workspace.js';
import type { UnitKind } from '../schema/config.js';
import type { DocumentRecord, UnitRecord } from '../schema/corpus.js';
import { Intake, maxFindings } from './document-intake.js';
import { settleLanguage } from './document-language.js';
import { DocumentLedger, hash52 } from './document-ledger.js';
import { findUnitReferences } from './unit-references.js';

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

/** What the corpus knows of each document id (from its metadata lines), and how many there are. */
async function readLedger(paths: CorpusPaths): Promise<{ ledger: DocumentLedger; documents: number }> {
  // In typed arrays rather than an object per document, so that a million statements fit in about 100 MB.
  const ledger = new DocumentLedger();
  let documents = 0;
  for await (const batch of readDocumentMetadata(paths))
    for (const record of batch) {
      ledger.addExisting(
        record.id,
        hash52(record.hash),
        hash52(sha256(metadataSignature(record))),
        record.unit,
      );
      documents++;
    }
  return { ledger, documents };
}

/** Documents whose text (or segmentation) changed, with their new units matched to the old ones. */
async function reconcileChanged(
  paths: CorpusPaths,
  intake: Intake,
): Promise<{ changed: ChangedDocument[]; reconciliations: Map<string, Reconciliation> }> {
  const { replaced, metadataUpdated } = intake;
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
  return { changed, reconciliations };
}

/**
 * Refuse the import when a document was invalid, when a text changed without --update, or when
 * --update would drop units that annotations or session journals refer to.
 */
async function refuseProblems(
  intake: Intake,
  changed: readonly ChangedDocument[],
  workspace: Workspace,
  update: boolean,
): Promise<void> {
  const { findings } = intake;
  if (!update) {
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
  if (findings.length > 0) {
    const textChanged = findings.some((finding) => finding.code === 'TEXT_CHANGED');
    await intake.fail(
      `nothing imported: ${findings.length >= maxFindings ? `at least ${maxFindings}` : findings.length} problem${findings.length === 1 ? '' : 's'} found`,
      textChanged
        ? 're-run with --update to re-segment the changed documents; units whose text is unchanged keep their ids.'
        : undefined,
    );
  }
  if (!update) return;
  const removed = new Set(changed.flatMap((document) => document.unitsRemoved));
  if (removed.size === 0) return;
  const references = await findUnitReferences(workspace, removed);
  if (references.length === 0) return;
  for (const reference of references) {
    findings.push({
      code: 'UNIT_IN_USE',
      severity: 'error',
      file: reference.file,
      line: reference.line,
      message: `unit ${reference.unitId} would disappear from the corpus, but this file refers to it${reference.note ? `: ${reference.note}` : ''}`,
    });
  }
  await intake.fail(
    'nothing imported: the update would drop units that annotations refer to',
    'keep those sentences in the document, or remove their annotations (and sample rows) first; unit ids are never silently re-mapped.',
  );
}

/**
 * Rewrite the corpus in one batch of atomic writes: old documents in their order (changed ones in
 * place), then the new ones from the scratch file; the same for the units.
 */
async function rewriteCorpus(
  paths: CorpusPaths,
  intake: Intake,
  reconciliations: ReadonlyMap<string, Reconciliation>,
  manifest: string,
): Promise<void> {
  const { scratch, replaced } = intake;
  const newUnitsById = new Map<string, UnitRecord[]>();
  for (const [id, reconciliation] of reconciliations) newUnitsById.set(id, reconciliation.units);
  const batch = new AtomicBatch();
  try {
    await scratch.documents.close();
    await scratch.units.close();
    const documentsOut = await batch.stream(paths.documents);
    for await (const { line: _line, ...record } of readDocuments(paths)) {
      const replacement = replaced.get(record.id);
      await documentsOut.write(
        serializeDocument(replacement ? replacement.record : (record as DocumentRecord)),
      );
    }
    await copyLines(scratch.documents.temporaryPath, documentsOut);
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
    await copyLines(scratch.units.temporaryPath, unitsOut);
    batch.add(paths.manifest, manifest);
    await batch.commit();
  } catch (error) {
    await batch.abort();
    throw error;
  } finally {
    await intake.abort();
  }
}

/** A new corpus: the scratch files are the corpus files; they and the manifest are committed together. */
async function commitFresh(paths: CorpusPaths, intake: Intake, manifest: string): Promise<void> {
  const batch = new AtomicBatch();
  batch.adopt(intake.scratch.documents);
  batch.adopt(intake.scratch.units);
  batch.add(paths.manifest, manifest);
  try {
    await batch.commit();
  } catch (error) {
    await batch.abort();
    throw error;
  }
}

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
  const { ledger, documents: existingDocuments } = await readLedger(paths);
  const existingUnits = manifest?.units ?? 0;

  // A dry run writes nothing, not even scratch files (the workspace may be read-only).
  const discard = options.dryRun === true;
  if (!discard) await fs.mkdir(paths.folder, { recursive: true });
  // New documents and units are written as they are read: straight into the corpus files of a
  // new corpus, else into scratch files that are appended after the existing documents.
  const fresh = existingDocuments === 0;
  const scratch = {
    documents: new AtomicWriteStream(
      fresh ? paths.documents : path.join(paths.folder, 'new-documents.jsonl'),
      {
        discard,
      },
    ),
    units: new AtomicWriteStream(fresh ? paths.units : path.join(paths.folder, 'new-units.csv'), { discard }),
  };
  if (fresh) await scratch.units.write(unitsHeaderLine());
  const intake = new Intake(ledger, scratch, options, segmentOptions);
  let files = 0;
  try {
    ({ files } = await produce(intake.accept, { workspace, paths, stopped: intake.stopped }));
  } catch (error) {
    await intake.abort();
    throw error;
  }

  const { changed, reconciliations } = await reconcileChanged(paths, intake);
  await refuseProblems(intake, changed, workspace, options.update);

  const sum = (count: (document: ChangedDocument) => number): number =>
    changed.reduce((total, document) => total + count(document), 0);
  const unitsRemoved = sum((document) => document.unitsRemoved.length);
  const unitsAddedByChange = sum((document) => document.unitsAdded.length);
  const { counts, metadataUpdated } = intake;
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
      unchanged: counts.unitsUnchanged + sum((document) => document.unitsKept),
      removed: unitsRemoved,
      total: existingUnits + counts.unitsAdded + unitsAddedByChange - unitsRemoved,
    },
    changed,
    metadataUpdated,
    warnings: intake.allWarnings(),
    written: false,
  };
  if ((counts.added === 0 && intake.replaced.size === 0) || options.dryRun) {
    await intake.abort();
    return result;
  }
  const manifestLine = manifestText(result.documents.total, result.units.total);
  if (fresh) await commitFresh(paths, intake, manifestLine);
  else await rewriteCorpus(paths, intake, reconciliations, manifestLine);
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
