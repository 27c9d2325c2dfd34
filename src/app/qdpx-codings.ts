/**
 * Who coded what: a project's selections and codings gathered per coder (the user who applied the
 * code), then placed on our units under `--overlap` and `--reviewed`.
 */
import type { CodebookModel } from '../core/codebook.js';
import { type Range, unitsCovered } from '../core/overlap.js';
import type { Finding } from '../errors.js';
import type { QdeSelection } from '../io/qdpx.js';
import type { UnitRecord } from '../schema/corpus.js';
import type {
  CoderPairs,
  CoderWork,
  ImportContext,
  ImportQdpxResult,
  PlannedDocument,
} from './qdpx-types.js';

/** Code GUID → code index, and the GUIDs of categories (not codable here) → category id. */
export interface CodeGuids {
  codeByGuid: Map<string, number>;
  categoryGuids: Map<string, string>;
}

interface Tally {
  caseCodings: number;
  unknownCodes: Map<string, number>;
  categoryCodings: Map<string, number>;
  outside: Finding[];
}

/** Every coder's ranges, reviewed ranges and memos, by document. */
export function collectCodings(
  context: ImportContext,
  planned: readonly PlannedDocument[],
  notesByGuid: ReadonlyMap<string, string>,
  guids: CodeGuids,
  settings: ImportQdpxResult['settings'],
  model: CodebookModel | undefined,
): Map<string, CoderWork> {
  const { project } = context;
  const collector = new CodingCollector(project, notesByGuid, guids);
  const unitName = settings.offsets === 'utf16' ? 'UTF-16 code units' : 'code points';
  for (const document of planned) {
    const source = project.textSources[document.sourceIndex]!;
    const docId = document.input.id;
    const wholeText: QdeSelection = {
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
        collector.tally.outside.push(
          outsideFinding(context, selection, source.name ?? docId, document.map.originalLength, unitName),
        );
        continue;
      }
      collector.add(selection, docId, { start, end });
    }
  }
  reportTally(context, collector.tally, model);
  return collector.works;
}

/** Gathers selections into each coder's work (the coder: the coding's user, else the selection's, else the only user). */
class CodingCollector {
  readonly works = new Map<string, CoderWork>();
  readonly tally: Tally = {
    caseCodings: 0,
    unknownCodes: new Map(),
    categoryCodings: new Map(),
    outside: [],
  };
  private readonly soleUser: string | undefined;
  private readonly caseGuids: Set<string>;

  constructor(
    project: ImportContext['project'],
    private readonly notesByGuid: ReadonlyMap<string, string>,
    private readonly guids: CodeGuids,
  ) {
    this.soleUser = project.users.length === 1 ? project.users[0]!.guid : undefined;
    this.caseGuids = new Set(project.cases.map((item) => item.guid));
  }

  private workOf(userGuid: string): CoderWork {
    let work = this.works.get(userGuid);
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
      this.works.set(userGuid, work);
    }
    return work;
  }

  private notesOf(noteGuids: readonly string[]): string[] {
    return noteGuids
      .map((guid) => this.notesByGuid.get(guid))
      .filter((text): text is string => text !== undefined);
  }

  /** One selection inside its text, at `range` of the normalised text. */
  add(selection: QdeSelection, docId: string, range: Range): void {
    const notes = this.notesOf(selection.noteGuids);
    if (selection.codings.length === 0) {
      const userGuid = selection.creatingUser ?? this.soleUser;
      if (userGuid === undefined) return;
      const work = this.workOf(userGuid);
      addRange(work.reviewed, docId, range);
      for (const text of notes) work.memos.push({ docId, code: -1, range, text });
      return;
    }
    for (const coding of selection.codings) {
      if (coding.codeGuid !== undefined && this.caseGuids.has(coding.codeGuid)) {
        this.tally.caseCodings++;
        continue;
      }
      const work = this.workOf(coding.creatingUser ?? selection.creatingUser ?? this.soleUser ?? '');
      work.codings++;
      work.documents.add(docId);
      addRange(work.reviewed, docId, range);
      const code = coding.codeGuid === undefined ? undefined : this.guids.codeByGuid.get(coding.codeGuid);
      if (code === undefined) {
        countUnplaced(this.tally, this.guids, coding.codeGuid);
        continue;
      }
      const byCode = work.ranges.get(docId) ?? new Map<number, Range[]>();
      work.ranges.set(docId, byCode);
      const list = byCode.get(code);
      if (list === undefined) byCode.set(code, [range]);
      else list.push(range);
      for (const text of [...this.notesOf(coding.noteGuids), ...notes])
        work.memos.push({ docId, code, range, text });
    }
  }
}

function addRange(map: Map<string, Range[]>, docId: string, range: Range): void {
  const list = map.get(docId);
  if (list === undefined) map.set(docId, [range]);
  else list.push(range);
}

function countUnplaced(tally: Tally, guids: CodeGuids, codeGuid: string | undefined): void {
  const category = codeGuid === undefined ? undefined : guids.categoryGuids.get(codeGuid);
  if (category !== undefined) {
    tally.categoryCodings.set(category, (tally.categoryCodings.get(category) ?? 0) + 1);
    return;
  }
  const key = codeGuid ?? '(none)';
  tally.unknownCodes.set(key, (tally.unknownCodes.get(key) ?? 0) + 1);
}

function outsideFinding(
  context: ImportContext,
  selection: QdeSelection,
  name: string,
  length: number,
  unitName: string,
): Finding {
  const position = (value: number): string => (Number.isNaN(value) ? '(no position)' : String(value));
  const count = selection.codings.length;
  return {
    code: 'QDPX_SELECTION_OUTSIDE',
    severity: 'warning',
    file: context.shownAs,
    path: selection.where,
    message: `selection ${selection.guid} runs from ${position(selection.start)} to ${position(selection.end)}, outside the text of "${name}" (0–${length} ${unitName}); left out with its ${count} coding${count === 1 ? '' : 's'}`,
  };
}

/** The codings that found no code here, each kind in one warning. */
function reportTally(context: ImportContext, tally: Tally, model: CodebookModel | undefined): void {
  const { warn } = context;
  context.warnings.push(...tally.outside);
  for (const [category, count] of tally.categoryCodings) {
    warn(
      'QDPX_CATEGORY_CODINGS',
      `${count} coding${count === 1 ? '' : 's'} with "${model?.categoryById.get(category)?.label ?? category}", which became the category ${category} (categories are not codable here), ${count === 1 ? 'was' : 'were'} left out`,
    );
  }
  const cases = tally.caseCodings;
  if (cases > 0) {
    warn(
      'QDPX_CASE_CODINGS',
      `${cases} coding${cases === 1 ? '' : 's'} with a case rather than a code (NVivo marks case membership so) ${cases === 1 ? 'was' : 'were'} left out; case membership comes from <Cases> as the attribute "case"`,
    );
  }
  for (const [guid, count] of tally.unknownCodes) {
    warn(
      'QDPX_UNKNOWN_CODE',
      `${count} coding${count === 1 ? '' : 's'} refer${count === 1 ? 's' : ''} to code ${guid}, which the codebook does not have; left out`,
    );
  }
}

const noCodes: Set<number> = new Set();

/** One coder's codes per unit (empty: reviewed, no code) and memos keyed `unitId\0code`. */
export interface CoderOutcome {
  pairs: CoderPairs;
  memos: Map<string, string>;
}

/** A coder's ranges placed on the units after the import. */
export function placeOnUnits(
  work: CoderWork,
  unitsByDocument: ReadonlyMap<string, UnitRecord[]>,
  settings: Pick<ImportQdpxResult['settings'], 'overlap' | 'reviewed'>,
  wholeDocuments: ReadonlySet<string> = new Set(),
): CoderOutcome {
  const pairs: CoderPairs = new Map();
  const memos = new Map<string, string>();
  // Documents reviewed whole: by the rule, or because a project of ours says so for this coder.
  const whole = (docId: string): boolean => settings.reviewed === 'document' || wholeDocuments.has(docId);
  const documentIds =
    settings.reviewed === 'document'
      ? [...work.documents]
      : [...new Set([...work.reviewed.keys(), ...wholeDocuments])];
  const memosByDocument = new Map<string, CoderWork['memos']>();
  for (const memo of work.memos) {
    const list = memosByDocument.get(memo.docId);
    if (list === undefined) memosByDocument.set(memo.docId, [memo]);
    else list.push(memo);
  }
  for (const docId of documentIds) {
    const units = unitsByDocument.get(docId) ?? [];
    for (const [code, ranges] of work.ranges.get(docId) ?? []) {
      for (const index of unitsCovered(ranges, units, settings.overlap)) {
        const unitId = units[index]!.id;
        pairs.set(unitId, (pairs.get(unitId) ?? new Set()).add(code));
      }
    }
    const reviewedIndices = whole(docId)
      ? units.map((_, index) => index)
      : unitsCovered(work.reviewed.get(docId) ?? [], units, settings.overlap);
    // Reviewed, no code: one shared empty set (never added to), not one per unit.
    for (const index of reviewedIndices)
      if (!pairs.has(units[index]!.id)) pairs.set(units[index]!.id, noCodes);
    for (const memo of memosByDocument.get(docId) ?? []) {
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
  return { pairs, memos };
}
