/**
 * Theme tables of a coded corpus: how often each code and category occurs (in units and in
 * documents), by a document field, together with other codes, in primary against secondary
 * sources, and per actor for one category (the paper's rhetoric table, section 4.3); with
 * exemplar quotations chosen deterministically. Pure functions over the analysis data set.
 */
import { primaryLanguage } from './abbreviations.js';
import type { CodebookModel } from './codebook.js';
import type { Codings } from './codings.js';
import { datePeriod } from './dates.js';
import { basisRank } from './exemplars.js';
import type { ThemeDocuments } from './theme-documents.js';

export interface ThemeDocument {
  id: string;
  title: string;
  actor?: string | undefined;
  source?: string | undefined;
  genre?: string | undefined;
  date?: string | undefined;
  role?: string | undefined;
  language?: string | undefined;
  attributes: Record<string, string>;
}

export interface ThemeInput {
  codebook: CodebookModel;
  /**
   * Each reviewed unit's codes (the final ones, or one coder's), units in corpus order, so that the
   * units of a document come one after the other.
   */
  codings: Codings;
  /** Where each unit's codes come from, parallel to codings.units (agreed, adjudicated, primary…). */
  sources: readonly string[];
  documents: ThemeDocuments;
  /** The position in `documents` of a unit's document. */
  documentOf(unitIndex: number): number;
  unitId(unitIndex: number): string;
  unitText(unitIndex: number): string;
}

/** The fields the report breaks every table down by. */
export const groupFields = ['actor', 'source', 'genre', 'document', 'role', 'date'] as const;
/** The fields `coding themes --by` accepts: those, and the language (its primary subtag). */
export const byFields = [...groupFields, 'language'] as const;
export type GroupField = (typeof byFields)[number];
export const periods = ['month', 'week', 'day'] as const;
export type Period = (typeof periods)[number];

export interface FrequencyRow {
  category: string;
  /** Empty for a category's own row. */
  code: string;
  label: string;
  units: number;
  documents: number;
  unit_share: number;
  document_share: number;
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/** Units and documents per code, then per category (any of its codes), as shares of the reviewed units and their documents. */
export function frequencies(input: ThemeInput): FrequencyRow[] {
  const { codebook, codings } = input;
  // Units come in corpus order, document by document: a code's documents are counted when the
  // document changes, with no set of documents per code.
  const codeUnits = new Array<number>(codebook.codes.length).fill(0);
  const codeDocuments = new Array<number>(codebook.codes.length).fill(0);
  const codeLastDocument = new Array<number>(codebook.codes.length).fill(-1);
  const categoryIndex = new Map(codebook.categories.map((category, index) => [category.id, index]));
  const categoryOfCode = codebook.codes.map((code) => categoryIndex.get(code.categoryId)!);
  const categoryUnits = new Array<number>(codebook.categories.length).fill(0);
  const categoryDocuments = new Array<number>(codebook.categories.length).fill(0);
  const categoryLastDocument = new Array<number>(codebook.categories.length).fill(-1);
  const categorySeen = new Array<number>(codebook.categories.length).fill(-1);
  let documents = 0;
  let lastDocument = -1;
  for (let position = 0; position < codings.size; position++) {
    const document = input.documentOf(codings.units[position]!);
    if (document !== lastDocument) {
      documents++;
      lastDocument = document;
    }
    for (const code of codings.codesAt(position)) {
      codeUnits[code]!++;
      if (codeLastDocument[code] !== document) {
        codeLastDocument[code] = document;
        codeDocuments[code]!++;
      }
      const category = categoryOfCode[code]!;
      if (categorySeen[category] !== position) {
        categorySeen[category] = position;
        categoryUnits[category]!++;
        if (categoryLastDocument[category] !== document) {
          categoryLastDocument[category] = document;
          categoryDocuments[category]!++;
        }
      }
    }
  }
  const rows: FrequencyRow[] = [];
  for (const [categoryPosition, category] of codebook.categories.entries()) {
    for (const id of category.codeIds) {
      const code = codebook.codeById.get(id)!;
      rows.push({
        category: category.id,
        code: code.id,
        label: code.label,
        units: codeUnits[code.index]!,
        documents: codeDocuments[code.index]!,
        unit_share: share(codeUnits[code.index]!, codings.size),
        document_share: share(codeDocuments[code.index]!, documents),
      });
    }
    rows.push({
      category: category.id,
      code: '',
      label: category.label,
      units: categoryUnits[categoryPosition]!,
      documents: categoryDocuments[categoryPosition]!,
      unit_share: share(categoryUnits[categoryPosition]!, codings.size),
      document_share: share(categoryDocuments[categoryPosition]!, documents),
    });
  }
  return rows;
}

/** The group of a document for a field; undefined when the document has no value for it. */
export function groupOf(document: ThemeDocument, field: GroupField, period: Period): string | undefined {
  switch (field) {
    case 'document':
      return document.id;
    case 'date':
      return document.date === undefined ? undefined : (datePeriod(document.date, period) ?? document.date);
    case 'language':
      // Spanish of Mexico and of Spain are one group: the primary subtag ("es-MX" → "es").
      return primaryLanguage(document.language);
    default:
      return document[field];
  }
}

/** `groupOf` for the document at a position of `documents`, without making its object. */
export function groupAt(
  documents: ThemeDocuments,
  index: number,
  field: GroupField,
  period: Period,
): string | undefined {
  switch (field) {
    case 'document':
      return documents.id(index);
    case 'date': {
      const date = documents.value(index, 'date');
      return date === undefined ? undefined : (datePeriod(date, period) ?? date);
    }
    case 'language':
      return primaryLanguage(documents.value(index, 'language'));
    default:
      return documents.value(index, field);
  }
}

/** Whether some document has a value for the field. */
export function someDocumentHas(documents: ThemeDocuments, field: GroupField, period: Period): boolean {
  for (let index = 0; index < documents.length; index++)
    if (groupAt(documents, index, field, period) !== undefined) return true;
  return false;
}

export const noValue = '(none)';
export const allGroups = '(all)';
export const anyCode = '(any code)';

export interface CrossTableRow {
  code: string;
  label: string;
  group: string;
  /** Units in the group that carry the code. */
  units: number;
  /** Reviewed units in the group. */
  group_units: number;
  /** units / group_units */
  share: number;
}

export interface CrossTable {
  field: GroupField;
  period: Period;
  /** Groups in sorted order (documents: corpus order), `(none)` last. */
  groups: string[];
  rows: CrossTableRow[];
  /** True when the code × group cells with no unit are left out (see `maxDenseCells`). */
  sparse?: boolean;
}

/**
 * Cells of a code × group or code × code table written out in full, zeros included. Above this the
 * table lists only the cells with at least one unit (and every total), so that its size follows
 * the data rather than codes × codes: 2,000 codes would otherwise make 4,000,000 co-occurrence rows.
 */
export const maxDenseCells = 250_000;

/** Whether the co-occurrence table of `codeCount` codes leaves out the pairs that share no unit. */
export const cooccurrenceIsSparse = (codeCount: number): boolean => codeCount * codeCount > maxDenseCells;

/**
 * A code × group table: for each code and group, the units carrying the code among the group's
 * reviewed units; with a row total per code (group `(all)`) and a column total per group (code
 * `(any code)`: units carrying at least one code).
 */
export function crossTable(input: ThemeInput, field: GroupField, period: Period = 'month'): CrossTable {
  const { codebook, codings } = input;
  const groupNames = new Map<string, number>();
  // One string per distinct value (a date's period is computed once per date, not per document).
  const cache = new Map<string, string>();
  const documentGroup = Array.from({ length: input.documents.length }, (_, index) => {
    const key = field === 'date' ? (input.documents.value(index, 'date') ?? '') : '';
    if (field === 'date') {
      const known = cache.get(key);
      if (known !== undefined) return known;
    }
    const group = groupAt(input.documents, index, field, period) ?? noValue;
    if (field === 'date') cache.set(key, group);
    return group;
  });
  const ordered =
    field === 'document'
      ? [...new Set(documentGroup)]
      : [...new Set(documentGroup)].sort((left, right) =>
          left === noValue ? 1 : right === noValue ? -1 : left < right ? -1 : left > right ? 1 : 0,
        );
  for (const group of ordered) groupNames.set(group, groupNames.size);
  const groupCount = ordered.length;
  const counts = codebook.codes.map(() => new Array<number>(groupCount).fill(0));
  const groupUnits = new Array<number>(groupCount).fill(0);
  const groupCoded = new Array<number>(groupCount).fill(0);
  for (let position = 0; position < codings.size; position++) {
    const group = groupNames.get(documentGroup[input.documentOf(codings.units[position]!)]!)!;
    groupUnits[group]!++;
    const codes = codings.codesAt(position);
    if (codes.length > 0) groupCoded[group]!++;
    for (const code of codes) counts[code]![group]!++;
  }
  const used = ordered.map((_, group) => groupUnits[group]! > 0);
  const groups = ordered.filter((_, group) => used[group]);
  const sparse = codebook.codes.length * groups.length > maxDenseCells;
  const total = codings.size;
  const rows: CrossTableRow[] = [];
  for (const code of codebook.codes) {
    let sum = 0;
    for (const [group, name] of ordered.entries()) {
      if (!used[group]) continue;
      const units = counts[code.index]![group]!;
      sum += units;
      if (sparse && units === 0) continue;
      rows.push({
        code: code.id,
        label: code.label,
        group: name,
        units,
        group_units: groupUnits[group]!,
        share: share(units, groupUnits[group]!),
      });
    }
    rows.push({
      code: code.id,
      label: code.label,
      group: allGroups,
      units: sum,
      group_units: total,
      share: share(sum, total),
    });
  }
  let coded = 0;
  for (const [group, name] of ordered.entries()) {
    if (!used[group]) continue;
    coded += groupCoded[group]!;
    rows.push({
      code: anyCode,
      label: 'units with any code',
      group: name,
      units: groupCoded[group]!,
      group_units: groupUnits[group]!,
      share: share(groupCoded[group]!, groupUnits[group]!),
    });
  }
  rows.push({
    code: anyCode,
    label: 'units with any code',
    group: allGroups,
    units: coded,
    group_units: total,
    share: share(coded, total),
  });
  return sparse ? { field, period, groups, rows, sparse } : { field, period, groups, rows };
}

export interface CooccurrenceRow {
  code_a: string;
  code_b: string;
  /** Units carrying both codes (on the diagonal: units carrying the code). */
  units: number;
  /** units / units carrying either (Jaccard); 1 on the diagonal of a used code. */
  jaccard: number;
}

/**
 * Code × code co-occurrence over units, with the Jaccard index; every ordered pair, diagonal
 * included — or, when codes × codes passes `maxDenseCells`, the diagonal and the pairs that share
 * at least one unit.
 */
export function cooccurrence(input: ThemeInput): CooccurrenceRow[] {
  const { codebook, codings } = input;
  const size = codebook.codes.length;
  const sparse = cooccurrenceIsSparse(size);
  const both = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let position = 0; position < codings.size; position++) {
    const codes = codings.codesAt(position);
    for (const first of codes) for (const second of codes) both[first]![second]!++;
  }
  const rows: CooccurrenceRow[] = [];
  for (const first of codebook.codes) {
    for (const second of codebook.codes) {
      const together = both[first.index]![second.index]!;
      if (sparse && together === 0 && first.index !== second.index) continue;
      const either = both[first.index]![first.index]! + both[second.index]![second.index]! - together;
      rows.push({ code_a: first.id, code_b: second.id, units: together, jaccard: share(together, either) });
    }
  }
  return rows;
}

export type TriangulationStatus = 'converge' | 'primary-only' | 'secondary-only' | 'absent';

export interface TriangulationRow {
  code: string;
  label: string;
  primary_units: number;
  secondary_units: number;
  primary_documents: number;
  secondary_documents: number;
  /** Units in documents whose role is not recorded. */
  unknown_role_units: number;
  status: TriangulationStatus;
}

/**
 * Triangulation per code: units and documents in primary against secondary sources, and whether
 * the two kinds of source converge on the theme (both have it), or only one has it.
 */
export function triangulation(input: ThemeInput): TriangulationRow[] {
  const { codebook, codings } = input;
  // As in `frequencies`, documents are counted as they change (units come document by document).
  const tallies = codebook.codes.map(() => ({
    primary: 0,
    secondary: 0,
    unknown: 0,
    primaryDocuments: 0,
    secondaryDocuments: 0,
    lastDocument: -1,
  }));
  for (let position = 0; position < codings.size; position++) {
    const documentIndex = input.documentOf(codings.units[position]!);
    const role = input.documents.value(documentIndex, 'role');
    for (const code of codings.codesAt(position)) {
      const tally = tallies[code]!;
      const newDocument = tally.lastDocument !== documentIndex;
      tally.lastDocument = documentIndex;
      if (role === 'primary') {
        tally.primary++;
        if (newDocument) tally.primaryDocuments++;
      } else if (role === 'secondary') {
        tally.secondary++;
        if (newDocument) tally.secondaryDocuments++;
      } else tally.unknown++;
    }
  }
  return codebook.codes.map((code) => {
    const tally = tallies[code.index]!;
    const status: TriangulationStatus =
      tally.primary > 0 && tally.secondary > 0
        ? 'converge'
        : tally.primary > 0
          ? 'primary-only'
          : tally.secondary > 0
            ? 'secondary-only'
            : 'absent';
    return {
      code: code.id,
      label: code.label,
      primary_units: tally.primary,
      secondary_units: tally.secondary,
      primary_documents: tally.primaryDocuments,
      secondary_documents: tally.secondaryDocuments,
      unknown_role_units: tally.unknown,
      status,
    };
  });
}

export interface ActorTableRow {
  actor: string;
  code: string;
  label: string;
  units: number;
  /** The audience recorded in the actor's documents' metadata (attribute `audience`), if any. */
  audience: string;
  exemplar_unit: string;
  exemplar: string;
}

/**
 * The rhetoric table of the paper's section 4.3, for any category: per actor and code of the
 * category, the units, the audience recorded in the metadata, and one exemplar (chosen as in
 * `exemplars`). Actors in sorted order; codes in codebook order; only pairs that occur.
 */
export function actorTable(input: ThemeInput, categoryId: string): ActorTableRow[] {
  const { codebook, codings } = input;
  const category = codebook.categoryById.get(categoryId);
  if (!category) throw new RangeError(`no category ${categoryId}`);
  const members = new Set(category.codeIds.map((id) => codebook.codeById.get(id)!.index));
  type Cell = { units: number; best: { position: number; rank: number } | undefined };
  const cells = new Map<string, Map<number, Cell>>();
  const audiences = new Map<string, Set<string>>();
  for (let position = 0; position < codings.size; position++) {
    const documentIndex = input.documentOf(codings.units[position]!);
    const actor = input.documents.value(documentIndex, 'actor') ?? noValue;
    const rank = basisRank[input.sources[position]!] ?? 5;
    for (const code of codings.codesAt(position)) {
      if (!members.has(code)) continue;
      let row = cells.get(actor);
      if (!row) {
        row = new Map();
        cells.set(actor, row);
      }
      let cell = row.get(code);
      if (!cell) {
        cell = { units: 0, best: undefined };
        row.set(code, cell);
      }
      cell.units++;
      if (!cell.best || rank < cell.best.rank) cell.best = { position, rank };
      const audience = input.documents.attributes(documentIndex)['audience'];
      if (audience) {
        const set = audiences.get(actor) ?? new Set<string>();
        set.add(audience);
        audiences.set(actor, set);
      }
    }
  }
  const rows: ActorTableRow[] = [];
  for (const actor of [...cells.keys()].sort()) {
    const row = cells.get(actor)!;
    for (const id of category.codeIds) {
      const code = codebook.codeById.get(id)!;
      const cell = row.get(code.index);
      if (!cell) continue;
      const unitIndex = codings.units[cell.best!.position]!;
      rows.push({
        actor,
        code: code.id,
        label: code.label,
        units: cell.units,
        audience: [...(audiences.get(actor) ?? [])].sort().join('; '),
        exemplar_unit: input.unitId(unitIndex),
        exemplar: input.unitText(unitIndex),
      });
    }
  }
  return rows;
}
