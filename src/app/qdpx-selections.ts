/**
 * Keeping an imported project's selections as they were (`annotations/selections.json`), so that
 * `coding export --format qdpx` gives the producer its own selections back: source, positions as
 * written and in code points of the stored text, users, codes, dates and GUIDs.
 */
import path from 'node:path';
import { sha256 } from '../core/hash.js';
import type { QdeCoding, QdeSelection, QdeStamps } from '../io/qdpx.js';
import type { SelectionsFile, StoredCoding, StoredSelection, StoredSource } from '../schema/selections.js';
import { exportGuid } from './qdpx-export-selections.js';
import type { CoderWork, ImportContext, ImportQdpxResult, PlannedDocument } from './qdpx-types.js';

export interface SourceFacts {
  original: string;
  bom: boolean;
  lineEnds: 'crlf' | 'lf' | 'cr' | 'mixed' | 'none';
}

function stampsOf(item: QdeStamps): QdeStamps {
  return {
    ...(item.creationDateTime === undefined ? {} : { creationDateTime: item.creationDateTime }),
    ...(item.modifyingUser === undefined ? {} : { modifyingUser: item.modifyingUser }),
    ...(item.modifiedDateTime === undefined ? {} : { modifiedDateTime: item.modifiedDateTime }),
  };
}

/**
 * The imported project's selections, users and notes as stored: every selection inside its text
 * (those outside were listed in a warning and are not kept), with the coder each coding went to.
 */
export function storedSelectionsOf(
  context: ImportContext,
  planned: readonly PlannedDocument[],
  facts: ReadonlyArray<SourceFacts | undefined>,
  settings: ImportQdpxResult['settings'],
  works: ReadonlyMap<string, CoderWork>,
  notesByGuid: ReadonlyMap<string, string>,
): SelectionsFile {
  const { project } = context;
  const soleUser = project.users.length === 1 ? project.users[0]!.guid : undefined;
  const caseGuids = new Set(project.cases.map((item) => item.guid));
  const coderOf = (coding: QdeCoding, selectionUser: string | undefined): string | undefined => {
    if (coding.codeGuid !== undefined && caseGuids.has(coding.codeGuid)) return undefined;
    return works.get(coding.creatingUser ?? selectionUser ?? soleUser ?? '')?.coder;
  };
  const noteGuids = new Set<string>();
  const codingOf = (coding: QdeCoding, selectionUser: string | undefined): StoredCoding => {
    const coder = coderOf(coding, selectionUser);
    for (const guid of coding.noteGuids) noteGuids.add(guid);
    return {
      guid: coding.guid,
      code: coding.codeGuid ?? null,
      ...(coding.creatingUser === undefined ? {} : { creatingUser: coding.creatingUser }),
      ...(coder === undefined ? {} : { coder }),
      ...(coding.noteGuids.length === 0 ? {} : { notes: coding.noteGuids }),
      ...stampsOf(coding),
    };
  };
  const projectInfo: StoredSource['project'] = {
    file: path.basename(context.shownAs),
    name: project.name,
    origin: project.origin ?? null,
    offsets: settings.offsets,
    crlf: settings.crlf,
    overlap: settings.overlap,
    reviewed: settings.reviewed,
  };
  const sources: StoredSource[] = [];
  const madeHere = selectionsMadeOfUnits(context);
  for (const document of planned) {
    const source = project.textSources[document.sourceIndex]!;
    const fact = facts[document.sourceIndex]!;
    const selections: StoredSelection[] = [];
    for (const selection of source.selections) {
      if (madeHere(selection)) continue;
      const stored = storedSelection(selection, document, codingOf);
      if (stored === undefined) continue;
      for (const guid of selection.noteGuids) noteGuids.add(guid);
      selections.push(stored);
    }
    sources.push({
      document: document.input.id,
      guid: source.guid,
      ...(source.name === undefined ? {} : { name: source.name }),
      project: projectInfo,
      text: { hash: sha256(document.map.text), ...fact },
      selections,
      codings: source.codings.map((coding) => codingOf(coding, source.creatingUser)),
    });
  }
  return {
    format: 'coding-refi-selections',
    version: 1,
    ...projectParts(context, works, noteGuids, notesByGuid),
    sources,
  };
}

/** The project's users (with the coder each became), the notes kept selections refer to, and its sets of documents. */
function projectParts(
  context: ImportContext,
  works: ReadonlyMap<string, CoderWork>,
  noteGuids: ReadonlySet<string>,
  notesByGuid: ReadonlyMap<string, string>,
): Pick<SelectionsFile, 'users' | 'notes' | 'documentSets'> {
  const { project } = context;
  const coderByUser = new Map([...works].map(([guid, work]) => [guid, work.coder]));
  return {
    users: project.users.map((user) => ({
      guid: user.guid,
      ...(user.name === undefined ? {} : { name: user.name }),
      ...(user.id === undefined ? {} : { id: user.id }),
      ...(coderByUser.has(user.guid) ? { coder: coderByUser.get(user.guid)! } : {}),
    })),
    notes: project.notes
      .filter((note) => noteGuids.has(note.guid) && notesByGuid.has(note.guid))
      .map((note) => ({
        guid: note.guid,
        ...(note.name === undefined ? {} : { name: note.name }),
        text: notesByGuid.get(note.guid)!,
      })),
    documentSets: project.sets
      .filter((set) => set.sourceGuids.length > 0)
      .map((set) => ({ guid: set.guid, name: set.name })),
  };
}

/**
 * In a project this tool wrote, the selections it made of units (GUID of "selection:<coder>:<unit>")
 * are not kept: the annotations hold them already, and an export makes them again. Selections it
 * gave back from another program's project are kept.
 */
function selectionsMadeOfUnits(context: ImportContext): (selection: QdeSelection) => boolean {
  const { project } = context;
  if (project.marker === undefined) return () => false;
  const nameOf = new Map(project.users.map((user) => [user.guid, user.name ?? user.id ?? '']));
  return (selection) => {
    const user = selection.creatingUser === undefined ? undefined : nameOf.get(selection.creatingUser);
    if (user === undefined || selection.name === undefined) return false;
    const made = exportGuid('selection', `${user}:${selection.name}`);
    return (
      selection.guid === made || selection.guid === exportGuid('selection', `${user}:${selection.name}:added`)
    );
  };
}

function storedSelection(
  selection: QdeSelection,
  document: PlannedDocument,
  codingOf: (coding: QdeCoding, selectionUser: string | undefined) => StoredCoding,
): StoredSelection | undefined {
  const start = document.map.toNormalised(selection.start);
  const end = document.map.toNormalised(selection.end);
  if (start === undefined || end === undefined || selection.start > selection.end) return undefined;
  return {
    guid: selection.guid,
    ...(selection.name === undefined ? {} : { name: selection.name }),
    start: selection.start,
    end: selection.end,
    codePointStart: start,
    codePointEnd: end,
    ...(selection.creatingUser === undefined ? {} : { creatingUser: selection.creatingUser }),
    ...(selection.description === undefined ? {} : { description: selection.description }),
    ...(selection.noteGuids.length === 0 ? {} : { notes: selection.noteGuids }),
    codings: selection.codings.map((coding) => codingOf(coding, selection.creatingUser)),
    ...stampsOf(selection),
  };
}

/**
 * The stored file after an import: the project's sources replace those of the same documents (a
 * project imported again replaces its own), users, notes and sets of documents are merged by GUID
 * (the newer import wins).
 */
export function mergeSelections(
  existing: SelectionsFile | undefined,
  incoming: SelectionsFile,
): SelectionsFile {
  if (existing === undefined) return incoming;
  const byKey = <T>(list: readonly T[], more: readonly T[], key: (item: T) => string): T[] => {
    const map = new Map(list.map((item) => [key(item), item]));
    for (const item of more) map.set(key(item), item);
    return [...map.values()];
  };
  return {
    format: 'coding-refi-selections',
    version: 1,
    users: byKey(existing.users, incoming.users, (user) => user.guid),
    notes: byKey(existing.notes, incoming.notes, (note) => note.guid),
    documentSets: byKey(existing.documentSets, incoming.documentSets, (set) => set.name),
    sources: byKey(existing.sources, incoming.sources, (source) => source.document),
  };
}
