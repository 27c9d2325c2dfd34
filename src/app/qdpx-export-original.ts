/**
 * `coding export --format qdpx --selections original`: the imported selections
 * (`annotations/selections.json`) go back as they were, and only what the team changed in `coding`
 * becomes new selections of whole units.
 *
 * What the import made of the selections is computed again (the same placement on units, under the
 * overlap and reviewed rules the import used) and compared with each coder's annotations now:
 * - a code a coder has on a unit that the imported selections did not give it → a new selection over
 *   the unit (one per unit and coder, its codings the new codes), as `--selections units` writes;
 * - a unit a coder reviewed without a code, which the import did not place → an empty selection;
 * - an imported coding whose code the coder no longer has on any unit it covered → left out, and
 *   listed (the team removed it); on some of them only → exported as it was (a selection is never
 *   cut), and listed;
 * - an imported coding whose code is not in the codebook any more (or is a case) → left out, counted.
 */
import type { CodebookModel } from '../core/codebook.js';
import { type OverlapRule, type Range, unitsCovered } from '../core/overlap.js';
import type { UnitRecord } from '../schema/corpus.js';
import type { SelectionsFile, StoredCoding, StoredSelection, StoredSource } from '../schema/selections.js';
import { placeOnUnits } from './qdpx-codings.js';
import type { CoderPairs, CoderWork } from './qdpx-types.js';
import type { CoderAnnotations, Study } from './study.js';

/** An imported coding the export changed: left out (removed in coding) or kept though removed from some units. */
export interface ChangedCoding {
  selection: string;
  coding: string;
  coder: string;
  code: string;
  /** Units the coding covered that the coder no longer codes with it. */
  units: string[];
}

export interface OriginalPlan {
  /** Per document id: the imported selections to write, codings filtered. */
  selections: Map<string, StoredSelection[]>;
  /** Per document id: the imported codings of the whole source to write. */
  sourceCodings: Map<string, StoredCoding[]>;
  /** Per document id: the source as stored (its GUID, name and text facts). */
  sources: Map<string, StoredSource>;
  /** Per coder: unit id → code indices the import gave (empty: reviewed, no code). */
  imported: Map<string, CoderPairs>;
  /** Per coder: the documents the import counted as reviewed whole (`--reviewed document`). */
  wholeDocuments: Map<string, Set<string>>;
  removed: ChangedCoding[];
  partlyRemoved: ChangedCoding[];
  /** Imported codings and selections left out for another reason, by reason, with their count. */
  leftOut: Record<string, number>;
}

interface Context {
  study: Study;
  unitsByDocument: ReadonlyMap<string, UnitRecord[]>;
  documentHash: ReadonlyMap<string, string>;
  /** Code GUID → code index (codes only) and every GUID the exported codebook holds. */
  codeIndexByGuid: ReadonlyMap<string, number>;
  exportedGuids: ReadonlySet<string>;
  annotations: ReadonlyMap<string, CoderAnnotations>;
}

function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** Each coder's imported work per rule of placement, as the import collected it. */
function importedWorks(
  sources: readonly StoredSource[],
  context: Context,
  coderOfUser: ReadonlyMap<string, string>,
): Map<string, { work: CoderWork; overlap: OverlapRule; reviewed: 'document' | 'selections' }> {
  const works = new Map<
    string,
    { work: CoderWork; overlap: OverlapRule; reviewed: 'document' | 'selections' }
  >();
  const workOf = (coder: string, source: StoredSource): CoderWork => {
    const key = `${coder}\u0000${source.project.overlap}\u0000${source.project.reviewed}`;
    let entry = works.get(key);
    if (entry === undefined) {
      entry = {
        work: {
          userGuid: '',
          coder,
          codings: 0,
          documents: new Set(),
          ranges: new Map(),
          reviewed: new Map(),
          memos: [],
        },
        overlap: source.project.overlap,
        reviewed: source.project.reviewed,
      };
      works.set(key, entry);
    }
    return entry.work;
  };
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  for (const source of sources) {
    const docId = source.document;
    // Codings of the whole source cover every unit (as the import placed them).
    const whole: StoredSelection = {
      guid: source.guid,
      start: 0,
      end: 0,
      codePointStart: 0,
      codePointEnd: 2 ** 31 - 1,
      codings: source.codings,
    };
    for (const selection of [...source.selections, ...(source.codings.length > 0 ? [whole] : [])]) {
      const range = { start: selection.codePointStart, end: selection.codePointEnd };
      if (selection.codings.length === 0) {
        const coder =
          selection.creatingUser === undefined ? undefined : coderOfUser.get(selection.creatingUser);
        if (coder !== undefined) push(workOf(coder, source).reviewed, docId, range);
        continue;
      }
      for (const coding of selection.codings) {
        if (coding.coder === undefined) continue;
        const work = workOf(coding.coder, source);
        work.documents.add(docId);
        push(work.reviewed, docId, range);
        const code = coding.code === null ? undefined : context.codeIndexByGuid.get(coding.code);
        if (code === undefined) continue;
        const byCode = work.ranges.get(docId) ?? new Map<number, Range[]>();
        work.ranges.set(docId, byCode);
        push(byCode, code, range);
      }
    }
  }
  return works;
}

/**
 * The imported selections to export, and what the team changed.
 * @param stored the kept selections (undefined: none imported)
 */
export function planOriginalSelections(
  stored: SelectionsFile | undefined,
  study: Study,
  model: CodebookModel,
  unitsByDocument: ReadonlyMap<string, UnitRecord[]>,
  documentHash: ReadonlyMap<string, string>,
  codeGuidById: ReadonlyMap<string, string>,
  annotations: ReadonlyMap<string, CoderAnnotations>,
): OriginalPlan {
  const plan: OriginalPlan = {
    selections: new Map(),
    sourceCodings: new Map(),
    sources: new Map(),
    imported: new Map(),
    wholeDocuments: new Map(),
    removed: [],
    partlyRemoved: [],
    leftOut: {},
  };
  if (stored === undefined) return plan;
  const codeIndexByGuid = new Map<string, number>();
  for (const code of model.codes) codeIndexByGuid.set(codeGuidById.get(code.id)!, code.index);
  const context: Context = {
    study,
    unitsByDocument,
    documentHash,
    codeIndexByGuid,
    exportedGuids: new Set(codeGuidById.values()),
    annotations,
  };
  const current = placeableSources(stored, documentHash, plan);
  placeImported(stored, current, context, plan);
  for (const source of current) {
    const kept: StoredSelection[] = [];
    for (const selection of source.selections) {
      const filtered = filterCodings(selection, source, context, plan);
      if (filtered !== undefined) kept.push(filtered);
    }
    plan.selections.set(source.document, kept);
    if (source.codings.length > 0) {
      const whole = filterCodings(
        {
          guid: source.guid,
          start: 0,
          end: 0,
          codePointStart: 0,
          codePointEnd: 2 ** 31 - 1,
          codings: source.codings,
        },
        source,
        context,
        plan,
      );
      if (whole !== undefined) plan.sourceCodings.set(source.document, whole.codings);
    }
  }
  return plan;
}

/** The kept sources whose document is still in the corpus with the same text (others are counted in `leftOut`). */
function placeableSources(
  stored: SelectionsFile,
  documentHash: ReadonlyMap<string, string>,
  plan: OriginalPlan,
): StoredSource[] {
  const current: StoredSource[] = [];
  for (const source of stored.sources) {
    const hash = documentHash.get(source.document);
    const reason =
      hash === undefined
        ? 'selections of documents no longer in the corpus'
        : hash !== source.text.hash
          ? 'selections of documents whose text changed since the import'
          : undefined;
    if (reason !== undefined) {
      if (source.selections.length > 0)
        plan.leftOut[reason] = (plan.leftOut[reason] ?? 0) + source.selections.length;
      continue;
    }
    plan.sources.set(source.document, source);
    current.push(source);
  }
  return current;
}

/** What the import made of the kept selections, placed again on today's units: `imported` and `wholeDocuments` of the plan. */
function placeImported(
  stored: SelectionsFile,
  current: readonly StoredSource[],
  context: Context,
  plan: OriginalPlan,
): void {
  const coderOfUser = new Map(
    stored.users.filter((user) => user.coder !== undefined).map((user) => [user.guid, user.coder!]),
  );
  for (const { work, overlap, reviewed } of importedWorks(current, context, coderOfUser).values()) {
    const { pairs } = placeOnUnits(work, context.unitsByDocument, { overlap, reviewed });
    const into = plan.imported.get(work.coder) ?? new Map<string, Set<number>>();
    for (const [unitId, codes] of pairs) {
      const existing = into.get(unitId);
      into.set(unitId, existing === undefined ? new Set(codes) : new Set([...existing, ...codes]));
    }
    plan.imported.set(work.coder, into);
    if (reviewed === 'document') {
      const whole = plan.wholeDocuments.get(work.coder) ?? new Set<string>();
      for (const docId of work.documents) whole.add(docId);
      plan.wholeDocuments.set(work.coder, whole);
    }
  }
}

/** The selection with the codings that go back (undefined: every coding it had is left out). */
function filterCodings(
  selection: StoredSelection,
  source: StoredSource,
  context: Context,
  plan: OriginalPlan,
): StoredSelection | undefined {
  if (selection.codings.length === 0) return selection;
  const units = context.unitsByDocument.get(source.document) ?? [];
  const codings: StoredCoding[] = [];
  for (const coding of selection.codings) {
    if (coding.code === null || !context.exportedGuids.has(coding.code)) {
      count(plan.leftOut, 'codings whose code is not in the codebook (deleted, or a case)');
      continue;
    }
    const code = context.codeIndexByGuid.get(coding.code);
    if (code === undefined || coding.coder === undefined) {
      codings.push(coding);
      continue;
    }
    const covered = unitsCovered(
      [{ start: selection.codePointStart, end: selection.codePointEnd }],
      units,
      source.project.overlap,
    ).map((index) => units[index]!);
    const annotations = context.annotations.get(coding.coder);
    const notCoded = covered.filter((unit) => {
      const codes = annotations?.codings.codesOf(context.study.units.indexOf(unit.id));
      return codes === undefined || !codes.includes(code);
    });
    const change: ChangedCoding = {
      selection: selection.guid,
      coding: coding.guid,
      coder: coding.coder,
      code: context.study.codebook.codes[code]!.id,
      units: notCoded.map((unit) => unit.id),
    };
    if (covered.length > 0 && notCoded.length === covered.length) {
      plan.removed.push(change);
      continue;
    }
    if (notCoded.length > 0) plan.partlyRemoved.push(change);
    codings.push(coding);
  }
  if (codings.length === 0) {
    count(plan.leftOut, 'selections whose codings were all left out');
    return undefined;
  }
  return { ...selection, codings };
}
