/**
 * The selections of an exported project, document by document: the imported ones as they were (at
 * their original positions, or at their code points counted for the target program), then one per
 * unit and coder for what was coded in `coding`; with the notes they refer to.
 */
import { packKey } from '../core/codings.js';
import type { LoadedCorpus } from '../io/corpus-store.js';
import { guidNamespace, uuidV5 } from '../io/qdc.js';
import type { ProjectXml } from '../io/qdpx.js';
import type { SelectionsFile, StoredSelection } from '../schema/selections.js';
import type { OriginalPlan } from './qdpx-export-original.js';
import type { CoderAnnotations, Study } from './study.js';

/** GUIDs of what this tool exports: UUID v5 of a kind and a key, in the namespace of the codebook GUIDs. */
export function exportGuid(
  kind: 'user' | 'document' | 'variable' | 'selection' | 'coding' | 'note' | 'document-set',
  key: string,
): string {
  return uuidV5(`${kind}:${key}`, guidNamespace);
}

type ExportSelection = ProjectXml['sources'][number]['selections'][number];

/** Writes the selections of each document: imported ones as they were, then those of units; collects notes and counts. */
export class SelectionWriter {
  readonly notes: ProjectXml['notes'] = [];
  selectionCount = 0;
  codingCount = 0;
  originalCount = 0;
  private readonly noteByGuid: Map<string, { name?: string; text: string }>;
  private readonly notesWritten = new Set<string>();
  /** GUIDs of the imported selections and codings written: a selection made of a unit never takes one of them. */
  private readonly originalGuids = new Set<string>();

  constructor(
    private readonly study: Study,
    private readonly guidOfCode: ReadonlyMap<string, string>,
    private readonly guidOfCoder: (coder: string) => string,
    private readonly plan: OriginalPlan | undefined,
    stored: SelectionsFile | undefined,
  ) {
    this.noteByGuid = new Map((stored?.notes ?? []).map((note) => [note.guid, note]));
    for (const selections of plan?.selections.values() ?? [])
      for (const selection of selections) {
        this.originalGuids.add(selection.guid);
        for (const coding of selection.codings) this.originalGuids.add(coding.guid);
      }
  }

  /** The GUID of what a unit's selection names, made again (with ":added") if an imported one has it. */
  private unitGuid(kind: 'selection' | 'coding', key: string): string {
    const guid = exportGuid(kind, key);
    return this.originalGuids.has(guid) ? exportGuid(kind, `${key}:added`) : guid;
  }

  /** The imported selections of a document, at their original positions or at their code points counted for the target. */
  original(docId: string, verbatim: boolean, position: (codePoint: number) => number): ExportSelection[] {
    const list = this.plan?.selections.get(docId) ?? [];
    return list.map((selection) => {
      this.selectionCount++;
      this.originalCount++;
      this.codingCount += selection.codings.length;
      return this.originalSelection(selection, verbatim, position);
    });
  }

  /** The imported codings of a whole source, as they were. */
  sourceCodings(docId: string): NonNullable<ProjectXml['sources'][number]['codings']> {
    const codings = this.plan?.sourceCodings.get(docId) ?? [];
    this.codingCount += codings.length;
    return codings.map((coding) => ({
      guid: coding.guid,
      codeGuid: coding.code!,
      ...(coding.creatingUser === undefined ? {} : { creatingUser: coding.creatingUser }),
      stamps: stampsOf(coding),
      noteGuids: (coding.notes ?? []).filter((guid) => this.keepNote(guid)),
    }));
  }

  private originalSelection(
    selection: StoredSelection,
    verbatim: boolean,
    position: (codePoint: number) => number,
  ): ExportSelection {
    const notes = (guids: readonly string[] | undefined): string[] =>
      (guids ?? []).filter((guid) => this.keepNote(guid));
    return {
      guid: selection.guid,
      name: selection.name ?? '',
      start: verbatim ? selection.start : position(selection.codePointStart),
      end: verbatim ? selection.end : position(selection.codePointEnd),
      ...(selection.creatingUser === undefined ? {} : { creatingUser: selection.creatingUser }),
      stamps: stampsOf(selection),
      ...(selection.description === undefined ? {} : { description: selection.description }),
      codings: selection.codings.map((coding) => ({
        guid: coding.guid,
        codeGuid: coding.code!,
        ...(coding.creatingUser === undefined ? {} : { creatingUser: coding.creatingUser }),
        stamps: stampsOf(coding),
        noteGuids: notes(coding.notes),
      })),
      noteGuids: notes(selection.notes),
    };
  }

  private keepNote(guid: string): boolean {
    const note = this.noteByGuid.get(guid);
    if (note === undefined) return false;
    if (!this.notesWritten.has(guid)) {
      this.notesWritten.add(guid);
      this.notes.push({ guid, name: note.name ?? '', text: note.text });
    }
    return true;
  }

  /** One selection per unit and coder for what the coders coded in `coding` (all of it without an import plan). */
  units(
    corpus: LoadedCorpus,
    docId: string,
    loaded: readonly CoderAnnotations[],
    position: (codePoint: number) => number,
  ): ExportSelection[] {
    const selections: ExportSelection[] = [];
    const { study } = this;
    for (const unit of corpus.unitsByDocument.get(docId) ?? []) {
      const unitIndex = study.units.indexOf(unit.id);
      for (const annotations of loaded) {
        const all = annotations.codings.codesOf(unitIndex);
        if (all === undefined) continue;
        const coder = annotations.coder;
        const imported = this.plan?.imported.get(coder)?.get(unit.id);
        const codes = imported === undefined ? [...all] : [...all].filter((code) => !imported.has(code));
        // Reviewed with no code: written only for units the import did not place (a unit whose imported
        // codes were all removed keeps no empty selection: the removal is in the summary).
        if (codes.length === 0 && (all.length > 0 || imported !== undefined)) continue;
        selections.push(this.unitSelection(annotations, unit, unitIndex, codes, position));
      }
    }
    return selections;
  }

  private unitSelection(
    annotations: CoderAnnotations,
    unit: { id: string; start: number; end: number },
    unitIndex: number,
    codes: readonly number[],
    position: (codePoint: number) => number,
  ): ExportSelection {
    const { study } = this;
    const coder = annotations.coder;
    const user = this.guidOfCoder(coder);
    const note = (code: number): string[] => {
      const memo = annotations.memos.get(packKey(unitIndex, code));
      if (memo === undefined || memo === '') return [];
      const noteGuid = exportGuid(
        'note',
        `${coder}:${unit.id}:${code < 0 ? '' : study.codebook.codes[code]!.id}`,
      );
      this.notes.push({ guid: noteGuid, name: `memo of ${coder} on ${unit.id}`, text: memo });
      return [noteGuid];
    };
    const codings = codes.map((code) => {
      const codeId = study.codebook.codes[code]!.id;
      return {
        guid: this.unitGuid('coding', `${coder}:${unit.id}:${codeId}`),
        codeGuid: this.guidOfCode.get(codeId)!,
        creatingUser: user,
        stamps: {},
        noteGuids: note(code),
      };
    });
    this.selectionCount++;
    this.codingCount += codings.length;
    return {
      guid: this.unitGuid('selection', `${coder}:${unit.id}`),
      name: unit.id,
      start: position(unit.start),
      end: position(unit.end),
      creatingUser: user,
      stamps: {},
      codings,
      noteGuids: codes.length === 0 ? note(-1) : [],
    };
  }
}

function stampsOf(item: {
  creationDateTime?: string;
  modifyingUser?: string;
  modifiedDateTime?: string;
}): Record<string, string> {
  const result: Record<string, string> = {};
  if (item.creationDateTime !== undefined) result['creationDateTime'] = item.creationDateTime;
  if (item.modifyingUser !== undefined) result['modifyingUser'] = item.modifyingUser;
  if (item.modifiedDateTime !== undefined) result['modifiedDateTime'] = item.modifiedDateTime;
  return result;
}
