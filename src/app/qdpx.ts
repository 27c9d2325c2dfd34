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
import fs from 'node:fs/promises';
import path from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import { buildCodebookModel, type CodebookModel } from '../core/codebook.js';
import { checkCodebookRules } from '../core/codebook-check.js';
import { Codings, packKey } from '../core/codings.js';
import { isIsoDate } from '../core/dates.js';
import {
  buildDocument,
  type DocumentInput,
  freshUnits,
  type RawMetadata,
  reconcileUnits,
  slugify,
} from '../core/documents.js';
import {
  buildPositionMap,
  type CrlfCount,
  type OffsetUnit,
  type OverlapRule,
  type PositionMap,
  type Range,
  unitsCovered,
} from '../core/overlap.js';
import { choosePositionReading } from '../core/position-reading.js';
import { FixedUnitIndex } from '../core/units.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { exists, writeFileAtomic } from '../io/atomic.js';
import { readCodebook } from '../io/codebook.js';
import { corpusPaths, type LoadedCorpus, loadCorpus, readManifest } from '../io/corpus-store.js';
import { normaliseGuid, parseQdc, slugifyName } from '../io/qdc.js';
import {
  defaultQdpxLimits,
  type OtherSourceKind,
  openZip,
  otherSourceKinds,
  parseProject,
  type QdeProject,
  type QdeText,
  type QdpxLimits,
  unsafeEntryName,
  type ZipArchive,
} from '../io/qdpx.js';
import { notUtf8Error } from '../io/text.js';
import { openWorkspace, type Workspace } from '../io/workspace.js';
import { reservedCoderNames } from '../schema/annotations.js';
import { type UnitKind, unitKinds } from '../schema/config.js';
import { documentIdPattern, roles, standardFields, type UnitRecord } from '../schema/corpus.js';
import { toolVersion } from '../version.js';
import { codebookYamlText } from './codebook.js';
import { storeCodings } from './import-annotations.js';
import { type ImportDocumentsResult, ingestDocuments } from './import-documents.js';
import {
  checkCoderName,
  codersWithAnnotationsIn,
  loadCoder,
  openStudy,
  relativeTo,
  type Study,
} from './study.js';

export const reviewedModes = ['document', 'selections'] as const;
export type ReviewedMode = (typeof reviewedModes)[number];

export interface ImportQdpxOptions {
  cwd: string;
  workspace?: string | undefined;
  /** The .qdpx file. */
  file: string;
  overlap: OverlapRule;
  /** Default: code points. */
  offsets?: OffsetUnit | undefined;
  /** Default: one for projects written by ATLAS.ti, else two. */
  crlf?: CrlfCount | undefined;
  /** Default: selections for projects this tool wrote, else document. */
  reviewed?: ReviewedMode | undefined;
  /** Segmentation of new documents (default: what a project of ours records, else coding.yaml). */
  unit?: UnitKind | undefined;
  /** REFI-QDA user (name, id or GUID) → coder name, from `--user NAME=CODER`. */
  users?: Record<string, string> | undefined;
  /** Make the project's codebook the workspace's even though the workspace has annotations. */
  switchCodebook?: boolean | undefined;
  /** Replace a coder's stored codes where the project codes a unit differently. */
  replace?: boolean | undefined;
  /** Re-segment documents whose text changed. */
  update?: boolean | undefined;
  dryRun?: boolean | undefined;
  /** Folder that `relative://` sources are relative to (default: the project's basePath if it exists here, else the .qdpx's folder). */
  basePath?: string | undefined;
  limits?: QdpxLimits | undefined;
  /** Metadata for documents that do not say (the import flags --actor, --attr…); the project's values win. */
  metadata?: RawMetadata | undefined;
}

export interface ImportedCoder {
  /** The REFI-QDA user's GUID ('' for codings that name no user). */
  userGuid: string;
  /** The user's name (or id) in the project. */
  user: string;
  coder: string;
  codings: number;
  documents: number;
  unitsReviewed: number;
  unitsCoded: number;
  /** What storing the annotations did (absent in a dry run, or when nothing could be stored). */
  stored?: {
    added: number;
    unchanged: number;
    replaced: number;
    kept: number;
    total: number;
    written: boolean;
    backup?: string;
  };
}

export interface ImportQdpxResult {
  file: string;
  project: { name: string; origin: string | undefined };
  settings: {
    overlap: OverlapRule;
    offsets: OffsetUnit;
    crlf: CrlfCount;
    reviewed: ReviewedMode;
    /** How the position reading was chosen (the producer's rule, a measurement, or the options). */
    positions: string;
  };
  sources: {
    text: number;
    imported: number;
    empty: string[];
    /** Text sources whose text is not there (named), with the codings left out with them. */
    missing: Array<{ name: string; codings: number }>;
    skipped: Record<OtherSourceKind, number>;
  };
  documents: ImportDocumentsResult;
  /** `written` and `switched`: done (never in a dry run); `planned`: what the import does or would do. */
  codebook:
    | {
        file: string;
        written: boolean;
        switched: boolean;
        planned: { write: boolean; switch: boolean };
        categories: number;
        codes: number;
      }
    | undefined;
  coders: ImportedCoder[];
  warnings: Finding[];
  dryRun: boolean;
}

/** A name that `checkCoderName` accepts, made from a user's name: "Dr. Anna Müller" → "Dr-Anna-Muller". */
export function safeCoderName(name: string, fallback: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return safe === '' || reservedCoderNames.has(safe.toLowerCase()) ? fallback : safe;
}

/** A source's text: UTF-8 without NUL, the rule of `coding import FILE.txt` (`decodeText`). */
function decodeUtf8(bytes: Uint8Array, shownAs: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8Error(shownAs, bytes);
  }
  if (text.includes('\u0000')) throw notUtf8Error(shownAs, bytes);
  return text;
}

/** The metadata key of a REFI-QDA variable: a standard field when its name is one (any case), else the name. */
function metadataKey(name: string): string {
  const trimmed = name.trim();
  const lower = trimmed.toLowerCase();
  return (standardFields as readonly string[]).includes(lower) ? lower : trimmed;
}

interface PlannedDocument {
  input: DocumentInput;
  sourceIndex: number;
  map: PositionMap;
}

interface CoderWork {
  userGuid: string;
  coder: string;
  codings: number;
  /** Documents in which the coder made at least one coding. */
  documents: Set<string>;
  /** Per document, per code index, the ranges coded. */
  ranges: Map<string, Map<number, Range[]>>;
  /** Per document, ranges the coder's selections cover, with or without a code. */
  reviewed: Map<string, Range[]>;
  memos: Array<{ docId: string; code: number; range: Range; text: string }>;
}

/** Where the coding of a unit by a coder ends up: unit id → code indices (empty: reviewed, no code). */
type CoderPairs = Map<string, Set<number>>;

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
  const limits = options.limits ?? defaultQdpxLimits;
  const rootQde = archive.entries.filter((entry) => !entry.name.includes('/') && /\.qde$/i.test(entry.name));
  const qdeEntry = archive.byLowerName.get('project.qde') ?? (rootQde.length === 1 ? rootQde[0] : undefined);
  if (qdeEntry === undefined) {
    throw new InputError('this ZIP archive is not a REFI-QDA project: it holds no project.qde', {
      location: { file: shownAs },
      hint: 'export the project from the QDA program as a REFI-QDA project (.qdpx); a project archive holds project.qde and a Sources folder.',
    });
  }
  const qdeShownAs = `${shownAs}:${qdeEntry.name}`;
  let qdeText = decodeUtf8(await archive.read(qdeEntry), qdeShownAs);
  if (qdeText.startsWith('\uFEFF')) qdeText = qdeText.slice(1);
  const project = parseProject(qdeText, qdeShownAs);
  const warnings: Finding[] = [...project.warnings];
  const warn = (code: string, message: string, where?: string): void => {
    warnings.push({
      code,
      severity: 'warning',
      file: shownAs,
      ...(where === undefined ? {} : { path: where }),
      message,
    });
  };

  // ---- the texts of the sources and notes
  const baseFolder = await resolveBaseFolder(options, project, input);
  const problems: Finding[] = [];
  const readText = async (source: QdeText): Promise<string | undefined> => {
    const problem = (message: string, hint?: string): undefined => {
      problems.push({
        code: 'QDPX_SOURCE',
        severity: 'error',
        file: shownAs,
        path: source.where,
        message: hint ? `${message}; ${hint}` : message,
      });
      return undefined;
    };
    const label = `${source.name === undefined ? '' : `"${source.name}" `}(${source.guid})`;
    if (
      source.plainTextContent !== undefined &&
      (source.plainTextContent !== '' || source.plainTextPath === undefined)
    ) {
      if (source.plainTextPath !== undefined)
        warn(
          'QDPX_TWO_TEXTS',
          `source ${label} has both PlainTextContent and plainTextPath; PlainTextContent is used`,
          source.where,
        );
      return source.plainTextContent;
    }
    const reference = source.plainTextPath;
    if (reference === undefined)
      return problem(`source ${label} has neither PlainTextContent nor plainTextPath: its text is missing`);
    const scheme = /^([a-z]+):\/\//i.exec(reference)?.[1]?.toLowerCase();
    const rest = scheme === undefined ? reference : reference.slice(scheme.length + 3);
    if (scheme === 'internal' || scheme === undefined) {
      const name = rest.replace(/\\/g, '/').replace(/^\/+/, '');
      const unsafe = unsafeEntryName(rest.replace(/\\/g, '/'));
      if (unsafe !== undefined)
        throw new InputError(
          `source ${label} names a file whose path has ${unsafe}: "${reference}"; nothing was imported`,
          {
            location: { file: shownAs, path: source.where },
            hint: 'QDA programs never write such paths; the project is damaged or crafted.',
          },
        );
      const entry =
        archive.byLowerName.get(`sources/${name}`.toLowerCase()) ??
        (scheme === undefined ? archive.byLowerName.get(name.toLowerCase()) : undefined);
      if (entry !== undefined) {
        if (scheme === undefined)
          warn(
            'QDPX_PATH_SCHEME',
            `source ${label} has plainTextPath="${reference}" without internal:// (not conforming); read from ${entry.name}`,
            source.where,
          );
        return decodeUtf8(await archive.read(entry), `${shownAs}:${entry.name}`);
      }
      if (scheme === 'internal')
        return problem(
          `the text of source ${label}, ${reference}, is not in the archive (expected Sources/${name})`,
          'export the project again with its sources',
        );
    }
    if (scheme === 'relative' || scheme === undefined) {
      const relative = rest.replace(/\\/g, '/').replace(/^\/+/, '');
      if (unsafeEntryName(relative) !== undefined)
        return problem(
          `source ${label} names ${reference}, which climbs out of the base folder; not followed`,
        );
      const file = path.resolve(baseFolder, relative);
      let stat: Awaited<ReturnType<typeof fs.stat>>;
      try {
        stat = await fs.stat(file);
      } catch {
        return problem(
          `the text of source ${label}, ${reference}, is neither in the archive nor at ${file}`,
          'put the file there, or pass --base-path DIR with the folder that holds it',
        );
      }
      if (stat.size > limits.entryBytes)
        return problem(`the text of source ${label} at ${file} is over ${limits.entryBytes} bytes; refused`);
      return decodeUtf8(await fs.readFile(file), file);
    }
    return problem(
      `source ${label} has its text at ${reference}; ${scheme}:// paths are not followed`,
      'export the project again with the sources inside the archive',
    );
  };

  const notesByGuid = new Map<string, string>();
  for (const note of project.notes) {
    const text = await readText(note);
    if (text !== undefined) notesByGuid.set(note.guid, text.replace(/\r\n?/g, '\n'));
  }

  // ---- documents
  const corpusPathsOfWorkspace = corpusPaths(workspace.paths.corpus);
  const corpus: LoadedCorpus | undefined = (await readManifest(corpusPathsOfWorkspace))
    ? await loadCorpus(corpusPathsOfWorkspace)
    : undefined;
  const variablesByGuid = new Map(project.variables.map((variable) => [variable.guid, variable]));
  const casesBySource = new Map<string, typeof project.cases>();
  for (const item of project.cases)
    for (const guid of item.sourceGuids) casesBySource.set(guid, [...(casesBySource.get(guid) ?? []), item]);
  const usedIds = new Set<string>();
  const planned: PlannedDocument[] = [];
  const emptySources: string[] = [];
  const docIdBySource = new Map<number, string>();
  const originals: Array<string | undefined> = [];
  for (const source of project.textSources) originals.push(await readText(source));
  const choice = choosePositionReading(
    project.textSources.flatMap((source, index) => {
      const original = originals[index];
      return original === undefined ? [] : [{ original, selections: source.selections }];
    }),
    project.origin,
    { offsets: options.offsets, crlf: options.crlf },
  );
  if (choice.overruled)
    warn(
      'QDPX_POSITIONS_MEASURED',
      `positions read as ${choice.reading.offsets === 'utf16' ? 'UTF-16 code units' : 'code points'} with CRLF as ${choice.reading.crlf}: ${choice.reason}`,
    );
  const settings = {
    overlap: options.overlap,
    offsets: choice.reading.offsets,
    crlf: choice.reading.crlf,
    reviewed:
      options.reviewed ?? (project.marker !== undefined ? 'selections' : ('document' as ReviewedMode)),
    positions: choice.reason,
  };
  for (const [sourceIndex, source] of project.textSources.entries()) {
    const original = originals[sourceIndex];
    if (original === undefined) continue;
    const label = source.name ?? source.guid;
    const map = buildPositionMap(original, settings);
    if (map.text.trim() === '') {
      emptySources.push(label);
      const codings =
        source.codings.length +
        source.selections.reduce((sum, selection) => sum + selection.codings.length, 0);
      warn(
        'QDPX_EMPTY_SOURCE',
        `source "${label}" has no text; left out${codings > 0 ? ` with its ${codings} coding${codings === 1 ? '' : 's'}` : ''}`,
        source.where,
      );
      continue;
    }
    if (!map.exact)
      warn(
        'QDPX_INEXACT_POSITIONS',
        `the text of "${label}" changes under Unicode normalisation in a way positions cannot follow exactly; check its codings`,
        source.where,
      );
    let id =
      source.name !== undefined && documentIdPattern.test(source.name)
        ? source.name
        : slugify(source.name ?? source.guid);
    const base = id;
    for (let counter = 2; usedIds.has(id); counter++) id = `${base}-${counter}`;
    usedIds.add(id);
    docIdBySource.set(sourceIndex, id);

    const metadata: RawMetadata = {};
    const apply = (values: typeof source.values, overwrite: boolean, where: string): void => {
      for (const { variableGuid, value } of values) {
        const variable = variablesByGuid.get(variableGuid);
        if (variable === undefined) {
          warn(
            'QDPX_UNKNOWN_VARIABLE',
            `a value refers to variable ${variableGuid}, which <Variables> does not define; left out`,
            where,
          );
          continue;
        }
        let key = metadataKey(variable.name);
        if ((key === 'date' || key === 'accessed') && value !== '' && !isIsoDate(value)) {
          warn(
            'QDPX_DATE',
            `${variable.name} "${value}" of "${label}" is not an ISO 8601 date; kept as the attribute ${key}_text`,
            where,
          );
          key = `${key}_text`;
        }
        if (key === 'role' && value !== '' && !(roles as readonly string[]).includes(value)) {
          warn(
            'QDPX_ROLE',
            `role "${value}" of "${label}" is not primary or secondary; kept as the attribute role_text`,
            where,
          );
          key = 'role_text';
        }
        if (overwrite || metadata[key] === undefined) metadata[key] = value;
        else if (metadata[key] !== value) {
          warn(
            'QDPX_CASE_VALUES',
            `the cases of "${label}" give ${variable.name} two values, "${metadata[key]}" and "${value}"; both are kept`,
            where,
          );
          metadata[key] = `${metadata[key]}; ${value}`;
        }
      }
    };
    const cases = casesBySource.get(source.guid) ?? [];
    for (const item of cases) apply(item.values, false, `Cases/Case[@guid="${item.guid}"]`);
    apply(source.values, true, source.where);
    if (cases.length > 0 && metadata['case'] === undefined)
      metadata['case'] = cases.map((item) => item.name ?? item.guid).join('; ');
    if (metadata['title'] === undefined && source.name !== undefined && source.name !== id)
      metadata['title'] = source.name;

    const recordedUnit = project.marker?.units[source.guid];
    const unit: UnitKind =
      options.unit ??
      ((unitKinds as readonly string[]).includes(recordedUnit ?? '')
        ? (recordedUnit as UnitKind)
        : workspace.config.segmentation.unit);
    const existing = corpus?.documentById.get(id);
    const origin =
      existing !== undefined && existing.text === map.text
        ? existing.origin
        : `${path.basename(shownAs)}#${source.name ?? source.guid}`;
    planned.push({
      input: { id, text: map.text, location: { file: shownAs, path: source.where }, origin, metadata, unit },
      sourceIndex,
      map,
    });
  }
  const missing = project.textSources.flatMap((source, index) =>
    originals[index] === undefined
      ? [
          {
            name: source.name ?? source.guid,
            codings:
              source.codings.length +
              source.selections.reduce((sum, selection) => sum + selection.codings.length, 0),
          },
        ]
      : [],
  );
  if (problems.length > 0 && (planned.length > 0 || project.codebookQdc !== undefined)) {
    // Import what is there (a repackaged project may lack some texts); list what is missing.
    for (const problem of problems) warnings.push({ ...problem, severity: 'warning' });
  } else if (problems.length > 0) {
    throw new InputError(
      `nothing imported: the text of ${problems.length} source${problems.length === 1 ? '' : 's'} cannot be read`,
      {
        findings: problems,
        hint: 'export the project again with its sources inside the archive, or pass --base-path DIR for relative:// sources.',
      },
    );
  }
  const skipped = Object.fromEntries(otherSourceKinds.map((kind) => [kind, 0])) as Record<
    OtherSourceKind,
    number
  >;
  for (const source of project.otherSources) skipped[source.kind]++;
  const skippedCount = project.otherSources.length;
  if (skippedCount > 0) {
    warn(
      'QDPX_SKIPPED_SOURCES',
      `${skippedCount} source${skippedCount === 1 ? ' is' : 's are'} not text and ${skippedCount === 1 ? 'was' : 'were'} left out: ${otherSourceKinds
        .filter((kind) => skipped[kind] > 0)
        .map((kind) => `${skipped[kind]} ${kind.replace('Source', '')}`)
        .join(', ')}`,
    );
  }

  const ingestOptions = {
    cwd: options.cwd,
    workspace: workspace.root,
    metadata: options.metadata ?? {},
    update: options.update === true,
  };
  const produce = async (accept: (document: DocumentInput) => Promise<void>): Promise<{ files: number }> => {
    for (const document of planned) await accept(document.input);
    return { files: 1 };
  };
  // Checks every document and writes nothing: a document that cannot be imported stops here.
  let documents = await ingestDocuments({ ...ingestOptions, dryRun: true }, produce);

  // ---- the codebook
  const codebookPlan =
    project.codebookQdc === undefined ? undefined : await planCodebook(project, workspace, shownAs, options);
  if (codebookPlan !== undefined) warnings.push(...codebookPlan.warnings);
  const model: CodebookModel | undefined =
    codebookPlan?.model ??
    (
      await readCodebook(workspace.paths.codebook, relativeTo(workspace, workspace.paths.codebook)).catch(
        () => undefined,
      )
    )?.model;
  const codeByGuid = new Map<string, number>();
  const categoryGuids = new Map<string, string>();
  if (codebookPlan !== undefined && model !== undefined) {
    for (const [id, guid] of codebookPlan.guids) {
      const code = model.codeById.get(id);
      if (code !== undefined) codeByGuid.set(guid, code.index);
      else categoryGuids.set(guid, id);
    }
  }

  // ---- units after the import, per document
  const segmentOptions = {
    language: workspace.config.segmentation.language,
    ...(workspace.config.segmentation.abbreviations
      ? { abbreviations: workspace.config.segmentation.abbreviations }
      : {}),
  };
  const unitsByDocument = new Map<string, UnitRecord[]>();
  for (const document of planned) {
    const built = buildDocument(document.input, {}, segmentOptions).document!;
    const existing = corpus?.documentById.get(document.input.id);
    const oldUnits = corpus?.unitsByDocument.get(document.input.id) ?? [];
    unitsByDocument.set(
      document.input.id,
      existing === undefined
        ? freshUnits(document.input.id, built.spans)
        : existing.hash === built.record.hash && existing.unit === document.input.unit
          ? oldUnits
          : reconcileUnits(document.input.id, oldUnits, built.spans).units,
    );
  }

  // ---- codings: who coded what
  const userByGuid = new Map(project.users.map((user) => [user.guid, user]));
  const soleUser = project.users.length === 1 ? project.users[0]!.guid : undefined;
  const works = new Map<string, CoderWork>();
  const workOf = (userGuid: string): CoderWork => {
    let work = works.get(userGuid);
    if (work === undefined) {
      work = {
        userGuid,
        coder: '',
        codings: 0,
        documents: new Set(),
        ranges: new Map(),
        reviewed: new Map(),
        memos: [],
      };
      works.set(userGuid, work);
    }
    return work;
  };
  const outside: Finding[] = [];
  const caseGuids = new Set(project.cases.map((item) => item.guid));
  let caseCodings = 0;
  const unknownCodes = new Map<string, number>();
  const categoryCodings = new Map<string, number>();
  const unitName = settings.offsets === 'utf16' ? 'UTF-16 code units' : 'code points';
  for (const document of planned) {
    const source = project.textSources[document.sourceIndex]!;
    const docId = document.input.id;
    const wholeText = {
      guid: source.guid,
      name: undefined,
      start: 0,
      end: document.map.originalLength,
      creatingUser: source.creatingUser,
      codings: source.codings,
      noteGuids: [],
      where: source.where,
    };
    for (const selection of [...source.selections, ...(source.codings.length > 0 ? [wholeText] : [])]) {
      const start = document.map.toNormalised(selection.start);
      const end = document.map.toNormalised(selection.end);
      if (start === undefined || end === undefined || selection.start > selection.end) {
        outside.push({
          code: 'QDPX_SELECTION_OUTSIDE',
          severity: 'warning',
          file: shownAs,
          path: selection.where,
          message: `selection ${selection.guid} runs from ${Number.isNaN(selection.start) ? '(no position)' : selection.start} to ${Number.isNaN(selection.end) ? '(no position)' : selection.end}, outside the text of "${source.name ?? docId}" (0–${document.map.originalLength} ${unitName}); left out with its ${selection.codings.length} coding${selection.codings.length === 1 ? '' : 's'}`,
        });
        continue;
      }
      const range = { start, end };
      const notes = selection.noteGuids
        .map((guid) => notesByGuid.get(guid))
        .filter((text): text is string => text !== undefined);
      if (selection.codings.length === 0) {
        const userGuid = selection.creatingUser ?? soleUser;
        if (userGuid === undefined) continue;
        const work = workOf(userGuid);
        work.reviewed.set(docId, [...(work.reviewed.get(docId) ?? []), range]);
        for (const text of notes) work.memos.push({ docId, code: -1, range, text });
        continue;
      }
      for (const coding of selection.codings) {
        if (coding.codeGuid !== undefined && caseGuids.has(coding.codeGuid)) {
          caseCodings++;
          continue;
        }
        const userGuid = coding.creatingUser ?? selection.creatingUser ?? soleUser ?? '';
        const work = workOf(userGuid);
        work.codings++;
        work.documents.add(docId);
        work.reviewed.set(docId, [...(work.reviewed.get(docId) ?? []), range]);
        const code = coding.codeGuid === undefined ? undefined : codeByGuid.get(coding.codeGuid);
        if (code === undefined) {
          const category = coding.codeGuid === undefined ? undefined : categoryGuids.get(coding.codeGuid);
          if (category !== undefined) categoryCodings.set(category, (categoryCodings.get(category) ?? 0) + 1);
          else
            unknownCodes.set(
              coding.codeGuid ?? '(none)',
              (unknownCodes.get(coding.codeGuid ?? '(none)') ?? 0) + 1,
            );
          continue;
        }
        const byCode = work.ranges.get(docId) ?? new Map<number, Range[]>();
        work.ranges.set(docId, byCode);
        byCode.set(code, [...(byCode.get(code) ?? []), range]);
        const codingNotes = coding.noteGuids
          .map((guid) => notesByGuid.get(guid))
          .filter((text): text is string => text !== undefined);
        for (const text of [...codingNotes, ...notes]) work.memos.push({ docId, code, range, text });
      }
    }
  }
  warnings.push(...outside);
  for (const [category, count] of categoryCodings) {
    warn(
      'QDPX_CATEGORY_CODINGS',
      `${count} coding${count === 1 ? '' : 's'} with "${model?.categoryById.get(category)?.label ?? category}", which became the category ${category} (categories are not codable here), ${count === 1 ? 'was' : 'were'} left out`,
    );
  }
  if (caseCodings > 0) {
    warn(
      'QDPX_CASE_CODINGS',
      `${caseCodings} coding${caseCodings === 1 ? '' : 's'} with a case rather than a code (NVivo marks case membership so) ${caseCodings === 1 ? 'was' : 'were'} left out; case membership comes from <Cases> as the attribute "case"`,
    );
  }
  for (const [guid, count] of unknownCodes) {
    warn(
      'QDPX_UNKNOWN_CODE',
      `${count} coding${count === 1 ? '' : 's'} refer${count === 1 ? 's' : ''} to code ${guid}, which the codebook does not have; left out`,
    );
  }

  // ---- coder names
  const coderNames = assignCoderNames([...works.keys()], userByGuid, options.users ?? {}, project);
  for (const [guid, work] of works) work.coder = coderNames.get(guid)!;
  const coderPairs = new Map<string, { pairs: CoderPairs; memos: Map<string, string> }>();
  const coders: ImportedCoder[] = [];
  for (const work of [...works.values()].sort((left, right) => left.coder.localeCompare(right.coder))) {
    const pairs: CoderPairs = new Map();
    const memos = new Map<string, string>();
    const documentIds = settings.reviewed === 'document' ? [...work.documents] : [...work.reviewed.keys()];
    for (const docId of documentIds) {
      const units = unitsByDocument.get(docId) ?? [];
      for (const [code, ranges] of work.ranges.get(docId) ?? []) {
        for (const index of unitsCovered(ranges, units, settings.overlap)) {
          const unitId = units[index]!.id;
          pairs.set(unitId, (pairs.get(unitId) ?? new Set()).add(code));
        }
      }
      const reviewedIndices =
        settings.reviewed === 'document'
          ? units.map((_, index) => index)
          : unitsCovered(work.reviewed.get(docId) ?? [], units, settings.overlap);
      for (const index of reviewedIndices)
        if (!pairs.has(units[index]!.id)) pairs.set(units[index]!.id, new Set());
      for (const memo of work.memos.filter((item) => item.docId === docId)) {
        for (const index of unitsCovered([memo.range], units, settings.overlap)) {
          const unitId = units[index]!.id;
          const codes = pairs.get(unitId);
          if (codes === undefined) continue;
          if (memo.code === -1 ? codes.size > 0 : !codes.has(memo.code)) continue;
          const key = `${unitId}\u0000${memo.code}`;
          const previous = memos.get(key);
          if (previous === undefined) memos.set(key, memo.text);
          else if (!previous.split('\n\n').includes(memo.text)) memos.set(key, `${previous}\n\n${memo.text}`);
        }
      }
    }
    const user = userByGuid.get(work.userGuid);
    coders.push({
      userGuid: work.userGuid,
      user: user?.name ?? user?.id ?? (work.userGuid === '' ? '(no user)' : work.userGuid),
      coder: work.coder,
      codings: work.codings,
      documents: new Set([...work.documents, ...work.reviewed.keys()]).size,
      unitsReviewed: pairs.size,
      unitsCoded: [...pairs.values()].filter((codes) => codes.size > 0).length,
    });
    coderPairs.set(work.coder, { pairs, memos });
  }

  // ---- checks against what is stored, before anything is written
  const switched = codebookPlan?.switch === true;
  if (model !== undefined) {
    const futureIds = futureUnitIds(
      corpus,
      planned.map((document) => document.input.id),
      unitsByDocument,
    );
    const futureStudy: Study = {
      workspace,
      codebook: model,
      codebookFile: codebookPlan?.file ?? relativeTo(workspace, workspace.paths.codebook),
      units: new FixedUnitIndex(futureIds),
    };
    const existingCoders = await codersWithAnnotationsIn(workspace);
    const conflicts: Finding[] = [];
    for (const coder of existingCoders) {
      const incoming = coderPairs.get(coder);
      if (incoming === undefined && !switched) continue;
      const stored = await loadCoder(futureStudy, coder, { required: false }).catch((error: unknown) => {
        if (switched && error instanceof InputError) {
          throw new InputError(
            `nothing imported: with the project's codebook, ${relativeTo(workspace, path.join(workspace.paths.annotations, `${coder}.csv`))} would no longer fit it`,
            {
              findings: error.findings,
              hint: 'import the project into a new workspace (coding init DIR), or bring the codebooks together first.',
            },
          );
        }
        throw error;
      });
      if (stored === undefined || incoming === undefined) continue;
      for (const [unitId, codes] of incoming.pairs) {
        const codings = stored.codings.codesOf(futureStudy.units.indexOf(unitId));
        if (codings === undefined) continue;
        const before = [...codings].sort((left, right) => left - right).join(' ');
        const after = [...codes].sort((left, right) => left - right).join(' ');
        const describe = (list: Iterable<number>): string =>
          [...list].length === 0 ? '(no code)' : [...list].map((code) => model.codes[code]!.id).join(' ');
        const memoOf = (code: number): string =>
          stored.memos.get(packKey(futureStudy.units.indexOf(unitId), code)) ?? '';
        const memoKeys = codes.size === 0 ? [-1] : [...codes];
        const sameMemos = memoKeys.every(
          (code) => memoOf(code) === (incoming.memos.get(`${unitId}\u0000${code}`) ?? ''),
        );
        if (before !== after || !sameMemos) {
          conflicts.push({
            code: 'CHANGED_CODES',
            severity: 'error',
            file: shownAs,
            message:
              before !== after
                ? `unit ${unitId} is coded ${describe(codings)} in annotations/${coder}.csv, and ${describe(codes)} in the project`
                : `unit ${unitId}: the memo differs from the one in annotations/${coder}.csv`,
          });
        }
      }
    }
    if (conflicts.length > 0 && options.replace !== true) {
      throw new InputError(
        `nothing imported: ${conflicts.length} unit${conflicts.length === 1 ? ' is' : 's are'} coded differently from the stored annotations`,
        {
          findings: conflicts.slice(0, 100),
          hint: 'to replace them, run again with --replace (the stored files are copied to annotations/.backup/ first); check --overlap and --offsets too.',
        },
      );
    }
  }

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
    codebook:
      codebookPlan === undefined
        ? undefined
        : {
            file: codebookPlan.file,
            written: false,
            switched: false,
            planned: { write: codebookPlan.write, switch: codebookPlan.switch },
            categories: codebookPlan.model.categories.length,
            codes: codebookPlan.model.codes.length,
          },
    coders,
    warnings,
    dryRun: options.dryRun === true,
  };
  if (options.dryRun === true) return result;

  // ---- writing: corpus, codebook, coding.yaml, then each coder's annotations
  if (planned.length > 0) documents = await ingestDocuments({ ...ingestOptions, dryRun: false }, produce);
  result.documents = documents;
  if (codebookPlan !== undefined) {
    if (codebookPlan.write)
      await writeFileAtomic(path.join(workspace.root, codebookPlan.file), codebookPlan.text);
    if (codebookPlan.switch) await switchCodebook(workspace, codebookPlan.file);
    if (result.codebook !== undefined) {
      result.codebook.written = codebookPlan.write;
      result.codebook.switched = codebookPlan.switch;
    }
  }
  const withPairs = [...coderPairs.entries()].filter(([, { pairs }]) => pairs.size > 0);
  if (withPairs.length > 0) {
    const study = await openStudy({ cwd: options.cwd, workspace: workspace.root });
    for (const [coder, { pairs, memos }] of withPairs) {
      const keys: number[] = [];
      const memoByKey = new Map<number, string>();
      for (const [unitId, codes] of pairs) {
        const unitIndex = study.units.indexOf(unitId);
        if (unitIndex < 0) throw new Error(`unit ${unitId} is missing from the corpus after the import`);
        if (codes.size === 0) keys.push(packKey(unitIndex, -1));
        for (const code of codes) keys.push(packKey(unitIndex, code));
        for (const code of codes.size === 0 ? [-1] : codes) {
          const memo = memos.get(`${unitId}\u0000${code}`);
          if (memo !== undefined) memoByKey.set(packKey(unitIndex, code), memo);
        }
      }
      const stored = await storeCodings(study, {
        coder,
        codings: Codings.fromSortedKeys(Float64Array.from(keys).sort()),
        memos: memoByKey,
        shownAs: options.file,
        replace: options.replace === true,
      });
      warnings.push(...stored.warnings);
      const entry = coders.find((item) => item.coder === coder)!;
      entry.stored = {
        ...stored.units,
        written: stored.written,
        ...(stored.backup === undefined ? {} : { backup: stored.backup }),
      };
    }
  }
  return result;
}

async function resolveBaseFolder(
  options: ImportQdpxOptions,
  project: QdeProject,
  input: string,
): Promise<string> {
  if (options.basePath !== undefined) return path.resolve(options.cwd, options.basePath);
  if (project.basePath !== undefined && project.basePath.trim() !== '') {
    const candidate = path.resolve(path.dirname(input), project.basePath.replace(/^file:\/\//, ''));
    try {
      if ((await fs.stat(candidate)).isDirectory()) return candidate;
    } catch {
      // The exporting machine's folder: not here.
    }
  }
  return path.dirname(input);
}

function assignCoderNames(
  userGuids: string[],
  userByGuid: Map<string, QdeProject['users'][number]>,
  explicit: Record<string, string>,
  project: QdeProject,
): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const used = new Set<string>();
  const matchExplicit = (guid: string): string | undefined => {
    const user = userByGuid.get(guid);
    for (const [key, coder] of Object.entries(explicit)) {
      const wanted = key.trim();
      if (
        normaliseGuid(wanted) === guid ||
        (user !== undefined &&
          (user.name === wanted || user.id === wanted || user.name?.toLowerCase() === wanted.toLowerCase()))
      ) {
        used.add(key);
        return coder;
      }
    }
    return undefined;
  };
  // Users in the order of <Users>, then GUIDs that only codings name.
  const order = [
    ...project.users.map((user) => user.guid).filter((guid) => userGuids.includes(guid)),
    ...userGuids.filter((guid) => !userByGuid.has(guid)),
  ];
  for (const guid of order) {
    const coder = matchExplicit(guid);
    if (coder !== undefined) {
      names.set(guid, coder);
      taken.add(coder.toLowerCase());
    }
  }
  for (const guid of order) {
    if (names.has(guid)) continue;
    const user = userByGuid.get(guid);
    const fallback = guid === '' ? 'unattributed' : `user-${guid.slice(0, 8)}`;
    const base = safeCoderName(user?.name ?? user?.id ?? '', fallback);
    let name = base;
    for (let counter = 2; taken.has(name.toLowerCase()); counter++) name = `${base.slice(0, 60)}-${counter}`;
    taken.add(name.toLowerCase());
    names.set(guid, name);
  }
  const unused = Object.keys(explicit).filter((key) => !used.has(key));
  if (unused.length > 0) {
    const known = project.users.map((user) => user.name ?? user.id ?? user.guid);
    throw new UsageError(
      `--user names ${unused.map((key) => `"${key}"`).join(', ')}, which ${unused.length === 1 ? 'is' : 'are'} not a user with codings in the project`,
      {
        hint: known.length > 0 ? `the project's users: ${known.join(', ')}` : 'the project lists no users.',
      },
    );
  }
  return names;
}

/** The unit ids of the corpus after the import, in corpus order: documents in place, new ones appended. */
function futureUnitIds(
  corpus: LoadedCorpus | undefined,
  ids: string[],
  unitsByDocument: Map<string, UnitRecord[]>,
): string[] {
  const result: string[] = [];
  const known = new Set<string>();
  for (const document of corpus?.documents ?? []) {
    known.add(document.id);
    const units = unitsByDocument.get(document.id) ?? corpus!.unitsByDocument.get(document.id) ?? [];
    for (const unit of units) result.push(unit.id);
  }
  for (const id of ids) {
    if (known.has(id)) continue;
    known.add(id);
    for (const unit of unitsByDocument.get(id) ?? []) result.push(unit.id);
  }
  return result;
}

interface CodebookPlan {
  /** Path relative to the workspace root, with "/". */
  file: string;
  text: string;
  model: CodebookModel;
  guids: Map<string, string>;
  write: boolean;
  switch: boolean;
  warnings: Finding[];
}

async function planCodebook(
  project: QdeProject,
  workspace: Workspace,
  shownAs: string,
  options: ImportQdpxOptions,
): Promise<CodebookPlan> {
  const name = slugifyName(project.name, 'project');
  const imported = parseQdc(project.codebookQdc!, `${shownAs}:project.qde`, { name });
  const ruleErrors = checkCodebookRules(imported.codebook).filter((finding) => finding.severity === 'error');
  if (ruleErrors.length > 0)
    throw new Error(
      `the imported codebook breaks a rule: ${ruleErrors.map((finding) => finding.message).join('; ')}`,
    );
  const model = buildCodebookModel(imported.codebook);
  const header = [
    `Codebook imported by coding ${toolVersion} from ${path.basename(shownAs)}` +
      (project.origin === undefined ? '' : ` (written by ${project.origin.replace(/\s+/g, ' ')})`) +
      '.',
    'Check it with: coding codebook check FILE',
  ];
  const text = codebookYamlText(imported.codebook, imported.writtenByUs ? [] : header);
  const guids = new Map<string, string>();
  for (const [id, guid] of imported.guids) guids.set(guid, id);
  const byGuid = new Map([...guids].map(([guid, id]) => [id, guid]));
  const current = await readCodebook(
    workspace.paths.codebook,
    relativeTo(workspace, workspace.paths.codebook),
  ).catch(() => undefined);
  const plan = (file: string, write: boolean, switching: boolean): CodebookPlan => ({
    file,
    text,
    model,
    guids: byGuid,
    write,
    switch: switching,
    warnings: imported.warnings,
  });
  let chosen: CodebookPlan | undefined;
  if (current !== undefined && current.model.hash === model.hash)
    chosen = plan(relativeTo(workspace, workspace.paths.codebook), false, false);
  for (let counter = 1; chosen === undefined; counter++) {
    const file = `codebooks/${imported.codebook.name === name ? name : slugifyName(imported.codebook.name, name)}${counter === 1 ? '' : `-${counter}`}.yaml`;
    const absolute = path.join(workspace.root, file);
    if (!(await exists(absolute))) {
      chosen = plan(file, true, true);
      break;
    }
    const other = await readCodebook(absolute, file).catch(() => undefined);
    if (other !== undefined && other.model.hash === model.hash)
      chosen = plan(file, false, path.resolve(absolute) !== path.resolve(workspace.paths.codebook));
  }
  if (chosen.switch && options.switchCodebook !== true) {
    const coders = await codersWithAnnotationsIn(workspace);
    if (coders.length > 0) {
      throw new InputError(
        `nothing imported: the project's codebook is not the workspace's (${relativeTo(workspace, workspace.paths.codebook)}), and the workspace has annotations made with that one (${coders.join(', ')})`,
        {
          location: { file: shownAs },
          hint: `to import anyway, pass --switch-codebook: ${chosen.file} becomes the codebook in coding.yaml (the stored annotations are checked against it first); or import the project into a new workspace (coding init DIR).`,
        },
      );
    }
  }
  return chosen;
}

/** Point coding.yaml's `codebook:` at `file`, keeping its comments and layout. */
async function switchCodebook(workspace: Workspace, file: string): Promise<void> {
  const text = await fs.readFile(workspace.configFile, 'utf8');
  const document = parseDocument(text);
  const node = document.get('codebook', true);
  const value = /^[A-Za-z0-9_./-]+$/.test(file) ? file : JSON.stringify(file);
  if (isScalar(node) && node.range) {
    // Replace the value's characters only: every comment, blank line and alignment stays as it was.
    const [start, end] = node.range;
    await writeFileAtomic(workspace.configFile, `${text.slice(0, start)}${value}${text.slice(end)}`);
    return;
  }
  document.set('codebook', file);
  await writeFileAtomic(workspace.configFile, document.toString());
}

export { type ExportQdpxOptions, type ExportQdpxResult, exportGuid, exportQdpx } from './qdpx-export.js';
export { renderQdpxImportSummary } from './qdpx-summary.js';
