/**
 * REFI-QDA projects (`.qdpx`) in and out of a workspace: `coding import FILE.qdpx` and
 * `coding export --format qdpx`.
 *
 * Import: the project's text sources become corpus documents (through `ingestDocuments`, so unit
 * ids are stable and a re-import changes nothing), its codebook a YAML codebook beside the others,
 * and each user's codings that coder's annotations (through `storeCodings`). Everything is read and
 * checked first — sources, codebook, the switch of coding.yaml's codebook, conflicts with stored
 * annotations — and only then written, so a refused import leaves the workspace as it was.
 *
 * Decisions (docs/refi-qda-projects.md explains them to users):
 * - a unit carries a code from a coder when that coder's selections with that code, merged, cover it
 *   under `--overlap` (any: one character; majority: more than half; full: all of it);
 * - every unit of a document in which a coder made at least one coding counts as reviewed by that
 *   coder ("reviewed, no code" where none of their selections covers it); projects this tool wrote
 *   say so in a comment, and then only the units their selections cover count (`--reviewed`);
 * - positions are code points by default (`--offsets utf16` for programs that count UTF-16 code
 *   units) and a CRLF counts two characters, except in projects written by ATLAS.ti (`--crlf`).
 */
import path from 'node:path';
import type { DocumentInput } from '../core/documents.js';
import { originalTextFacts } from '../core/export-positions.js';
import { analysePositions, type PositionPieces } from '../core/overlap.js';
import type { Finding } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { corpusPaths, type LoadedCorpus, loadCorpus, readManifest } from '../io/corpus-store.js';
import { readProjectFromArchive } from '../io/qde-file.js';
import { defaultQdpxLimits, openZip, type ZipArchive } from '../io/qdpx.js';
import { readSelections, selectionsPath, writeSelections } from '../io/selections-store.js';
import { openWorkspace, type Workspace } from '../io/workspace.js';
import type { UnitRecord } from '../schema/corpus.js';
import type { SelectionsFile } from '../schema/selections.js';
import { ingestDocuments } from './import-documents.js';
import { type CodebookPlan, codebookAndGuids, planCodebook, switchCodebook } from './qdpx-codebook.js';
import { assignCoderNames } from './qdpx-coders.js';
import { type CoderOutcome, collectCodings, placeOnUnits } from './qdpx-codings.js';
import {
  chooseSettings,
  documentSets,
  missingSources,
  planDocuments,
  skippedSources,
} from './qdpx-documents.js';
import { mergeSelections, type SourceFacts, storedSelectionsOf } from './qdpx-selections.js';
import { checkConflicts, storeOutcomes, unitsAfterImport } from './qdpx-store.js';
import { resolveBaseFolder, textReader } from './qdpx-texts.js';
import {
  type CoderWork,
  type ImportContext,
  type ImportedCoder,
  type ImportQdpxOptions,
  type ImportQdpxResult,
  type PlannedDocument,
  warningsFor,
} from './qdpx-types.js';
import { checkCoderName, relativeTo } from './study.js';

export async function importQdpx(options: ImportQdpxOptions): Promise<ImportQdpxResult> {
  for (const coder of Object.values(options.users ?? {})) checkCoderName(coder);
  const workspace = await openWorkspace(options);
  const shownAs = options.file;
  const input = path.resolve(options.cwd, options.file);
  const limits = options.limits ?? defaultQdpxLimits;
  const archive = await openZip(input, shownAs, limits);
  try {
    return await importFromArchive(options, workspace, archive, input);
  } finally {
    await archive.close();
  }
}

async function importFromArchive(
  options: ImportQdpxOptions,
  workspace: Workspace,
  archive: ZipArchive,
  input: string,
): Promise<ImportQdpxResult> {
  const shownAs = options.file;
  const project = await readProjectFromArchive(archive, shownAs);
  const warnings: Finding[] = [...project.warnings];
  const context: ImportContext = {
    options,
    workspace,
    shownAs,
    project,
    warnings,
    warn: warningsFor(shownAs, warnings),
  };
  const problems: Finding[] = [];
  const texts = await readTexts(context, archive, input, problems);

  // Documents, checked (nothing written yet: a document that cannot be imported stops here).
  const corpusPathsOfWorkspace = corpusPaths(workspace.paths.corpus);
  const corpus: LoadedCorpus | undefined = (await readManifest(corpusPathsOfWorkspace))
    ? await loadCorpus(corpusPathsOfWorkspace)
    : undefined;
  const settings = chooseSettings(context, texts.analyses);
  const { planned, emptySources } = planDocuments(context, texts.analyses, settings, corpus);
  const missing = missingSources(context, texts.analyses, problems, planned.length);
  const skipped = skippedSources(context);
  const sets = documentSets(context, planned);
  const ingest = ingestion(context, planned);
  const documents = await ingest(true);
  // What the document import warns about (control characters in a text, with their count and
  // units; a duplicate document) is the project import's warning too, as for `coding import FILE.txt`.
  warnings.push(...documents.warnings);

  const { codebookPlan, coders, outcomes, kept, selections } = await planCodings(context, {
    planned,
    corpus,
    settings,
    texts,
  });

  const result: ImportQdpxResult = {
    file: shownAs,
    project: { name: project.name, origin: project.origin },
    settings,
    sources: {
      text: project.textSources.length,
      imported: planned.length,
      empty: emptySources,
      missing,
      skipped,
    },
    documents,
    documentSets: sets,
    leftOut: project.leftOut,
    codebook: codebookSummary(codebookPlan),
    coders,
    selections: {
      file: relativeTo(workspace, selectionsPath(workspace.paths.annotations)),
      kept,
      written: false,
    },
    warnings,
    dryRun: options.dryRun === true,
  };
  if (options.dryRun === true) return result;
  await writeImport(context, { result, planned, ingest, documents, codebookPlan, outcomes, selections });
  return result;
}

/**
 * The codebook, who coded what on the units after the import, and the selections kept (merged with
 * those stored); then the check against stored annotations. Nothing is written.
 */
async function planCodings(
  context: ImportContext,
  parts: {
    planned: readonly PlannedDocument[];
    corpus: LoadedCorpus | undefined;
    settings: ImportQdpxResult['settings'];
    texts: Awaited<ReturnType<typeof readTexts>>;
  },
): Promise<{
  codebookPlan: CodebookPlan | undefined;
  coders: ImportedCoder[];
  outcomes: Map<string, CoderOutcome>;
  kept: number;
  selections: SelectionsFile;
}> {
  const { project, workspace, shownAs, options, warnings } = context;
  const { planned, corpus, settings, texts } = parts;
  const codebookPlan =
    project.codebookQdc === undefined ? undefined : await planCodebook(project, workspace, shownAs, options);
  if (codebookPlan !== undefined) warnings.push(...codebookPlan.warnings);
  const { model, guids } = await codebookAndGuids(codebookPlan, workspace);
  const unitsByDocument = unitsAfterImport(workspace, planned, corpus);
  const works = collectCodings(context, planned, texts.notesByGuid, guids, settings, model);
  const { coders, outcomes } = codersOf(context, works, unitsByDocument, settings, planned);
  const selections = storedSelectionsOf(context, planned, texts.facts, settings, works, texts.notesByGuid);
  const stored = await readSelections(
    workspace.paths.annotations,
    relativeTo(workspace, selectionsPath(workspace.paths.annotations)),
  );
  // Checks against what is stored, before anything is written.
  if (model !== undefined) {
    await checkConflicts(context, {
      model,
      codebookFile: codebookPlan?.file ?? relativeTo(workspace, workspace.paths.codebook),
      switched: codebookPlan?.switch === true,
      corpus,
      planned,
      unitsByDocument,
      outcomes,
    });
  }
  return {
    codebookPlan,
    coders,
    outcomes,
    kept: selections.sources.reduce((sum, source) => sum + source.selections.length, 0),
    selections: mergeSelections(stored, selections),
  };
}

/** The texts of the sources and notes: each source analysed once for every reading of positions (and normalised on the way), with what an export needs of the original; the original is not kept. */
async function readTexts(
  context: ImportContext,
  archive: ZipArchive,
  input: string,
  problems: Finding[],
): Promise<{
  notesByGuid: Map<string, string>;
  analyses: Array<PositionPieces | undefined>;
  facts: Array<SourceFacts | undefined>;
}> {
  const { options, project } = context;
  const readText = textReader(context, archive, await resolveBaseFolder(options, project, input), problems);
  const notesByGuid = new Map<string, string>();
  for (const note of project.notes) {
    const text = await readText(note);
    if (text !== undefined) notesByGuid.set(note.guid, text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  }
  const analyses: Array<PositionPieces | undefined> = [];
  const facts: Array<SourceFacts | undefined> = [];
  for (const source of project.textSources) {
    const original = await readText(source);
    analyses.push(original === undefined ? undefined : analysePositions(original));
    facts.push(original === undefined ? undefined : originalTextFacts(original));
  }
  return { notesByGuid, analyses, facts };
}

/** Writing: corpus, codebook, coding.yaml, the kept selections, then each coder's annotations. */
async function writeImport(
  context: ImportContext,
  parts: {
    result: ImportQdpxResult;
    planned: readonly PlannedDocument[];
    ingest: ReturnType<typeof ingestion>;
    documents: ImportQdpxResult['documents'];
    codebookPlan: CodebookPlan | undefined;
    outcomes: Map<string, CoderOutcome>;
    selections: SelectionsFile;
  },
): Promise<void> {
  const { workspace } = context;
  const { result, codebookPlan } = parts;
  if (parts.planned.length > 0)
    result.documents = { ...(await parts.ingest(false)), warnings: parts.documents.warnings };
  if (codebookPlan !== undefined) {
    if (codebookPlan.write)
      await writeFileAtomic(path.join(workspace.root, codebookPlan.file), codebookPlan.text);
    if (codebookPlan.switch) await switchCodebook(workspace, codebookPlan.file);
    if (result.codebook !== undefined) {
      result.codebook.written = codebookPlan.write;
      result.codebook.switched = codebookPlan.switch;
    }
  }
  // Written when some selection is kept (now or by an earlier import); a project made only of units (one this tool wrote from codes made here) needs none.
  if (parts.selections.sources.some((source) => source.selections.length > 0)) {
    await writeSelections(workspace.paths.annotations, parts.selections);
    result.selections.written = true;
  }
  await storeOutcomes(context, parts.outcomes, result.coders);
}

/** Ingests the planned documents through `coding import`'s own path: checked only (dry) or written. */
function ingestion(
  context: ImportContext,
  planned: readonly PlannedDocument[],
): (dryRun: boolean) => ReturnType<typeof ingestDocuments> {
  const ingestOptions = {
    cwd: context.options.cwd,
    workspace: context.workspace.root,
    metadata: context.options.metadata ?? {},
    update: context.options.update === true,
  };
  const produce = async (accept: (document: DocumentInput) => Promise<void>): Promise<{ files: number }> => {
    for (const document of planned) await accept(document.input);
    return { files: 1 };
  };
  return (dryRun) => ingestDocuments({ ...ingestOptions, dryRun }, produce);
}

/** Each coder's name, counts and units coded, sorted by coder name. */
function codersOf(
  context: ImportContext,
  works: Map<string, CoderWork>,
  unitsByDocument: ReadonlyMap<string, UnitRecord[]>,
  settings: ImportQdpxResult['settings'],
  planned: readonly PlannedDocument[],
): { coders: ImportedCoder[]; outcomes: Map<string, CoderOutcome> } {
  const { project } = context;
  const docIdBySource = new Map(
    planned.map((document) => [project.textSources[document.sourceIndex]!.guid, document.input.id]),
  );
  // A project of ours names the documents each user reviewed whole (those it was given by another program so).
  const wholeDocuments = (userGuid: string): Set<string> =>
    new Set(
      (project.marker?.reviewedDocuments?.[userGuid] ?? [])
        .map((guid) => docIdBySource.get(guid))
        .filter((id): id is string => id !== undefined),
    );
  const userByGuid = new Map(project.users.map((user) => [user.guid, user]));
  const coderNames = assignCoderNames([...works.keys()], userByGuid, context.options.users ?? {}, project);
  for (const [guid, work] of works) work.coder = coderNames.get(guid)!;
  const outcomes = new Map<string, CoderOutcome>();
  const coders: ImportedCoder[] = [];
  for (const work of [...works.values()].sort((left, right) => left.coder.localeCompare(right.coder))) {
    const outcome = placeOnUnits(work, unitsByDocument, settings, wholeDocuments(work.userGuid));
    const user = userByGuid.get(work.userGuid);
    coders.push({
      userGuid: work.userGuid,
      user: user?.name ?? user?.id ?? (work.userGuid === '' ? '(no user)' : work.userGuid),
      coder: work.coder,
      codings: work.codings,
      documents: new Set([...work.documents, ...work.reviewed.keys()]).size,
      unitsReviewed: outcome.pairs.size,
      unitsCoded: [...outcome.pairs.values()].filter((codes) => codes.size > 0).length,
    });
    outcomes.set(work.coder, outcome);
  }
  return { coders, outcomes };
}

function codebookSummary(plan: CodebookPlan | undefined): ImportQdpxResult['codebook'] {
  if (plan === undefined) return undefined;
  return {
    file: plan.file,
    written: false,
    switched: false,
    planned: { write: plan.write, switch: plan.switch },
    categories: plan.model.categories.length,
    codes: plan.model.codes.length,
  };
}

export { safeCoderName } from './qdpx-coders.js';
export {
  type ExportQdpxOptions,
  type ExportQdpxResult,
  exportGuid,
  exportQdpx,
  type SelectionMode,
  selectionModes,
} from './qdpx-export.js';
export { renderQdpxExportSummary, renderQdpxImportSummary } from './qdpx-summary.js';
export {
  type ImportedCoder,
  type ImportQdpxOptions,
  type ImportQdpxResult,
  type ReviewedMode,
  reviewedModes,
} from './qdpx-types.js';
