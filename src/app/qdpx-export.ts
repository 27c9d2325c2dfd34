/**
 * `coding export --format qdpx`: the study as a REFI-QDA project. Imported selections go back as
 * they were (`--selections original`, the default; qdpx-export-original.ts), codes applied in
 * `coding` as one selection per unit and coder (all of them with `--selections units`), positions
 * counted as the target program counts them (`--offsets`, `--crlf`; default: what the study's
 * imported project counted).
 */
import { isIsoDate } from '../core/dates.js';
import {
  type ExportReading,
  exportedText,
  exportPosition,
  type LineEnds,
  type SelectionMode,
  sameCounting,
  selectionModes,
} from '../core/export-positions.js';
import { sha256 } from '../core/hash.js';
import type { CrlfCount, OffsetUnit } from '../core/overlap.js';
import { producerRule } from '../core/position-reading.js';
import type { Finding } from '../errors.js';
import { corpusPaths, type LoadedCorpus, loadCorpus } from '../io/corpus-store.js';
import { codebookToQdc, codeGuids } from '../io/qdc.js';
import { type ProjectXml, projectToQde, zipProject } from '../io/qdpx.js';
import { readSelections, selectionsPath } from '../io/selections-store.js';
import { type DocumentRecord, standardFields } from '../schema/corpus.js';
import type { SelectionsFile } from '../schema/selections.js';
import { toolVersion } from '../version.js';
import { type ChangedCoding, type OriginalPlan, planOriginalSelections } from './qdpx-export-original.js';
import { exportGuid, SelectionWriter } from './qdpx-export-selections.js';
import {
  type CoderAnnotations,
  codersWithAnnotations,
  loadCoder,
  openStudy,
  relativeTo,
  type Study,
} from './study.js';

export { exportGuid, type SelectionMode, selectionModes };

export interface ExportQdpxOptions {
  cwd: string;
  workspace?: string | undefined;
  /** original (default): imported selections as they were, new codes per unit; units: every selection a whole unit. */
  selections?: SelectionMode | undefined;
  /** Default: what the imported project counted, else code points. */
  offsets?: OffsetUnit | undefined;
  /** Given: texts written with CRLF line ends, a CRLF counting one or two. Default: as the imported project. */
  crlf?: CrlfCount | undefined;
}

export interface ExportQdpxResult {
  bytes: Uint8Array;
  documents: number;
  coders: string[];
  selections: number;
  codings: number;
  /** How selections were chosen and positions counted, and why. */
  settings: {
    selections: SelectionMode;
    offsets: OffsetUnit;
    crlf: CrlfCount;
    lineEnds: LineEnds;
    why: string;
  };
  /** Imported selections written as they were; imported codings the team removed (left out) or removed from some units (kept). */
  original: {
    /** The workspace holds imported selections (annotations/selections.json). */
    imported: boolean;
    selections: number;
    removed: ChangedCoding[];
    partlyRemoved: ChangedCoding[];
    leftOut: Record<string, number>;
  };
  warnings: Finding[];
}

const fullDate = /^\d{4}-\d{2}-\d{2}$/;

/** The study as a REFI-QDA project (`.qdpx` bytes). Same study → same bytes. */
export async function exportQdpx(options: ExportQdpxOptions): Promise<ExportQdpxResult> {
  const { study, corpus, coders, loaded, stored, warnings } = await loadStudy(options);
  const settings = exportSettings(options, stored);
  const guidOfCode = codeGuids(study.codebook.codebook);
  const plan =
    settings.selections === 'original'
      ? planOriginalSelections(
          stored,
          study,
          study.codebook,
          corpus.unitsByDocument,
          new Map(corpus.documents.map((document) => [document.id, document.hash])),
          guidOfCode,
          loaded,
        )
      : undefined;
  const sourceGuid = (id: string): string => plan?.sources.get(id)?.guid ?? exportGuid('document', id);
  const { variables, valuesOf } = variablesOf(corpus.documents);
  const users = usersOf(coders, stored, plan);
  const writer = new SelectionWriter(study, guidOfCode, users.guidOf, plan, stored);
  const files = new Map<string, Uint8Array>();
  const sources: ProjectXml['sources'] = corpus.documents.map((document) => {
    const guid = sourceGuid(document.id);
    const source = plan?.sources.get(document.id);
    const text = exportedText(document.text, settings.lineEnds);
    files.set(`Sources/${guid}.txt`, Buffer.from(`${source?.text.bom ? '\uFEFF' : ''}${text}`, 'utf8'));
    // The original positions are written as they were when the text is the original one and counted as it was.
    const verbatim =
      source !== undefined && sha256(text) === source.text.original && sameCounting(source.project, settings);
    const position = exportPosition(document.text, settings);
    return {
      guid,
      name: source?.name ?? document.id,
      plainTextPath: `internal://${guid}.txt`,
      selections: [
        ...writer.original(document.id, verbatim, position),
        ...writer.units(corpus, document.id, [...loaded.values()], position),
      ],
      codings: writer.sourceCodings(document.id),
      values: valuesOf(document),
    };
  });
  const marker: ProjectXml['marker'] = {
    tool: `coding ${toolVersion}`,
    reviewed: 'selections',
    units: Object.fromEntries(corpus.documents.map((document) => [sourceGuid(document.id), document.unit])),
    ...reviewedDocumentsOf(plan, coders, users.guidOf, sourceGuid),
    ...(settings.offsets === 'codepoints' ? {} : { offsets: settings.offsets }),
    ...(settings.lineEnds === 'crlf' && settings.crlf === 'one' ? { crlf: 'one' as const } : {}),
  };
  const qde = projectToQde({
    name: study.workspace.config.name,
    origin: `coding ${toolVersion}`,
    marker,
    users: users.list,
    codebookQdc: codebookToQdc(study.codebook.codebook, `coding ${toolVersion}`),
    variables,
    sources,
    notes: writer.notes,
    documentSets: documentSetsOf(corpus.documents, sourceGuid, stored),
  });
  files.set('project.qde', Buffer.from(qde, 'utf8'));
  return {
    bytes: zipProject(files),
    documents: corpus.documents.length,
    coders,
    selections: writer.selectionCount,
    codings: writer.codingCount,
    settings,
    original: {
      imported: stored !== undefined,
      selections: writer.originalCount,
      removed: plan?.removed ?? [],
      partlyRemoved: plan?.partlyRemoved ?? [],
      leftOut: plan?.leftOut ?? {},
    },
    warnings,
  };
}

/** The study, its corpus, every coder's annotations (with their warnings) and the kept selections. */
async function loadStudy(options: ExportQdpxOptions): Promise<{
  study: Study;
  corpus: LoadedCorpus;
  coders: string[];
  loaded: Map<string, CoderAnnotations>;
  stored: SelectionsFile | undefined;
  warnings: Finding[];
}> {
  const study = await openStudy(options);
  const corpus = await loadCorpus(corpusPaths(study.workspace.paths.corpus));
  const coders = await codersWithAnnotations(study);
  const warnings: Finding[] = [];
  const loaded = new Map<string, CoderAnnotations>();
  for (const coder of coders) {
    const annotations = (await loadCoder(study, coder))!;
    warnings.push(...annotations.warnings);
    loaded.set(coder, annotations);
  }
  const stored = await readSelections(
    study.workspace.paths.annotations,
    relativeTo(study.workspace, selectionsPath(study.workspace.paths.annotations)),
  );
  return { study, corpus, coders, loaded, stored, warnings };
}

/** For the marker: per user, the documents the import counted as reviewed whole (so that coding reads them back so). */
function reviewedDocumentsOf(
  plan: OriginalPlan | undefined,
  coders: readonly string[],
  guidOf: (coder: string) => string,
  sourceGuid: (id: string) => string,
): { reviewedDocuments?: Record<string, string[]> } {
  const result: Record<string, string[]> = {};
  for (const coder of coders) {
    const documents = plan?.wholeDocuments.get(coder);
    if (documents !== undefined && documents.size > 0)
      result[guidOf(coder)] = [...documents].map(sourceGuid).sort();
  }
  return Object.keys(result).length === 0 ? {} : { reviewedDocuments: result };
}

/** The selection rule and the counting of positions: the options, else what the imported projects counted. */
function exportSettings(
  options: ExportQdpxOptions,
  stored: SelectionsFile | undefined,
): ExportQdpxResult['settings'] {
  const readings = new Map<string, { offsets: OffsetUnit; crlf: CrlfCount; origin: string | null }>();
  for (const source of stored?.sources ?? [])
    readings.set(`${source.project.offsets} ${source.project.crlf}`, source.project);
  const origin = readings.size === 1 ? [...readings.values()][0]! : undefined;
  const lineEndsSeen = new Set(
    (stored?.sources ?? []).map((source) => source.text.lineEnds).filter((ends) => ends !== 'none'),
  );
  const lineEnds: LineEnds =
    options.crlf !== undefined || (lineEndsSeen.size === 1 && lineEndsSeen.has('crlf')) ? 'crlf' : 'lf';
  const program =
    origin === undefined ? undefined : (producerRule(origin.origin ?? undefined)?.program ?? origin.origin);
  const why =
    options.offsets !== undefined && options.crlf !== undefined
      ? 'as asked'
      : origin !== undefined
        ? `as the imported project${program === null || program === undefined ? '' : ` (${program})`} counted, where not asked otherwise`
        : readings.size > 1
          ? 'the imported projects counted differently: code points, where not asked otherwise (choose with --offsets and --crlf)'
          : 'code points and the texts’ own line ends (LF), where not asked otherwise';
  return {
    selections: options.selections ?? 'original',
    offsets: options.offsets ?? origin?.offsets ?? 'codepoints',
    crlf: options.crlf ?? origin?.crlf ?? 'two',
    lineEnds,
    why,
  };
}

/** One `Variable` per metadata field and attribute in the corpus, and each document's values. */
function variablesOf(documents: readonly DocumentRecord[]): {
  variables: ProjectXml['variables'];
  valuesOf: (document: DocumentRecord) => ProjectXml['sources'][number]['values'];
} {
  const metadataOf = (document: DocumentRecord): Array<[string, string]> => {
    const entries: Array<[string, string]> = [];
    for (const field of standardFields) {
      const value = document[field];
      if (value !== undefined) entries.push([field, value]);
    }
    // The attribute `sets` is written as <Sets> of documents, not as a variable.
    for (const key of Object.keys(document.attributes).sort())
      if (key !== 'sets') entries.push([key, document.attributes[key]!]);
    return entries;
  };
  const keys = new Map<string, boolean>();
  for (const document of documents)
    for (const [key, value] of metadataOf(document))
      keys.set(key, (keys.get(key) ?? true) && fullDate.test(value) && isIsoDate(value));
  const variableKeys = [
    ...standardFields.filter((field) => keys.has(field)),
    ...[...keys.keys()].filter((key) => !(standardFields as readonly string[]).includes(key)).sort(),
  ];
  const variables = variableKeys.map((key) => ({
    guid: exportGuid('variable', key),
    name: key,
    type: (keys.get(key) && (key === 'date' || key === 'accessed') ? 'Date' : 'Text') as 'Text' | 'Date',
  }));
  const variableByKey = new Map(variables.map((variable) => [variable.name, variable]));
  return {
    variables,
    valuesOf: (document) =>
      metadataOf(document).map(([key, value]) => ({
        variableGuid: variableByKey.get(key)!.guid,
        type: variableByKey.get(key)!.type,
        value,
      })),
  };
}

/**
 * The users: one per coder (the imported user's GUID and name when the coder came from a project),
 * then, with imported selections, every other user of the imported projects they name.
 */
function usersOf(
  coders: readonly string[],
  stored: SelectionsFile | undefined,
  plan: OriginalPlan | undefined,
): { list: ProjectXml['users']; guidOf: (coder: string) => string } {
  const importedUser = new Map<string, SelectionsFile['users'][number]>();
  for (const user of stored?.users ?? [])
    if (user.coder !== undefined && !importedUser.has(user.coder)) importedUser.set(user.coder, user);
  const guidOf = (coder: string): string =>
    (plan === undefined ? undefined : importedUser.get(coder)?.guid) ?? exportGuid('user', coder);
  const list: ProjectXml['users'] = coders.map((coder) => {
    const user = plan === undefined ? undefined : importedUser.get(coder);
    return user === undefined
      ? { guid: guidOf(coder), name: coder, id: coder }
      : { guid: user.guid, name: user.name ?? coder, ...(user.id === undefined ? {} : { id: user.id }) };
  });
  if (plan !== undefined) {
    const named = new Set<string>();
    for (const selections of plan.selections.values())
      for (const selection of selections) {
        for (const item of [selection, ...selection.codings]) {
          if (item.creatingUser !== undefined) named.add(item.creatingUser);
          if (item.modifyingUser !== undefined) named.add(item.modifyingUser);
        }
      }
    const listed = new Set(list.map((user) => user.guid));
    for (const user of stored?.users ?? []) {
      if (!named.has(user.guid) || listed.has(user.guid)) continue;
      listed.add(user.guid);
      list.push({
        guid: user.guid,
        ...(user.name === undefined ? {} : { name: user.name }),
        ...(user.id === undefined ? {} : { id: user.id }),
      });
    }
  }
  return { list, guidOf };
}

/** The documents' `sets` attribute (set names, `; `-separated) as sets of documents, sorted by name; imported sets keep their GUIDs. */
function documentSetsOf(
  documents: readonly DocumentRecord[],
  sourceGuid: (id: string) => string,
  stored: SelectionsFile | undefined,
): ProjectXml['documentSets'] {
  const importedGuid = new Map((stored?.documentSets ?? []).map((set) => [set.name, set.guid]));
  const members = new Map<string, string[]>();
  for (const document of documents) {
    const value = document.attributes['sets'];
    if (value === undefined) continue;
    for (const name of value.split('; ').map((part) => part.trim())) {
      if (name === '') continue;
      members.set(name, [...(members.get(name) ?? []), sourceGuid(document.id)]);
    }
  }
  return [...members.keys()].sort().map((name) => ({
    guid: importedGuid.get(name) ?? exportGuid('document-set', name),
    name,
    sourceGuids: members.get(name)!,
  }));
}

export type { ExportReading };
