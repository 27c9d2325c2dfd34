/** Theme tables as CSV (stable columns, shares to 4 decimals) and as terminal tables. */

import type { ExemplarRow } from '../core/exemplars.js';
import { cautionText, type GateResult } from '../core/gates.js';
import type {
  ActorTableRow,
  CooccurrenceRow,
  CrossTable,
  FrequencyRow,
  TriangulationRow,
} from '../core/themes.js';
import { allGroups, anyCode } from '../core/themes.js';
import { type CsvCell, toCsv } from '../io/csv-write.js';
import { rounded } from './reliability.js';

export const frequencyColumns = [
  'category',
  'code',
  'label',
  'units',
  'documents',
  'unit_share',
  'document_share',
] as const;
export const crossColumns = ['code', 'label', 'group', 'units', 'group_units', 'share'] as const;
export const cooccurrenceColumns = ['code_a', 'code_b', 'units', 'jaccard'] as const;
export const exemplarColumns = [
  'code',
  'label',
  'rank',
  'unit_id',
  'doc_id',
  'actor',
  'date',
  'basis',
  'text',
] as const;
export const triangulationColumns = [
  'code',
  'label',
  'primary_units',
  'secondary_units',
  'primary_documents',
  'secondary_documents',
  'unknown_role_units',
  'status',
] as const;
export const actorColumns = [
  'actor',
  'code',
  'label',
  'units',
  'audience',
  'exemplar_unit',
  'exemplar',
] as const;

const shareColumns = new Set(['unit_share', 'document_share', 'share', 'jaccard']);

/** Rows of objects as CSV with the given columns: shares rounded to 4 decimals, formulas neutralised. */
export function recordsCsv<Row extends object>(columns: readonly string[], rows: readonly Row[]): string {
  const cells = rows.map((row) =>
    columns.map((column): CsvCell => {
      const value = (row as Record<string, unknown>)[column];
      if (shareColumns.has(column) && typeof value === 'number') return rounded(value);
      return value as CsvCell;
    }),
  );
  return toCsv(columns, cells, { neutraliseFormulas: true });
}

/** Codes flagged "interpret with caution" by the reliability gate, by code id; undefined without a gate. */
export type Cautions = ReadonlyMap<string, GateResult> | undefined;

/** The codes a row of a theme table is about: one, or two for co-occurrence. */
const codesOfRow = (row: object): string[] => {
  const record = row as { code?: string; code_a?: string; code_b?: string };
  return record.code !== undefined ? [record.code] : [record.code_a ?? '', record.code_b ?? ''];
};

/**
 * The rows with a `caution` field ("" or "interpret with caution: code verdict") when the study
 * has a gate; the rows unchanged without one. Every theme table (CSV and JSON) goes through here.
 */
export function withCautions<Row extends object>(
  rows: readonly Row[],
  cautions: Cautions,
): Array<Row & { caution?: string }> {
  if (cautions === undefined) return [...rows];
  return rows.map((row) => ({ ...row, caution: cautionText(codesOfRow(row), cautions) }));
}

/**
 * A theme table as CSV; with a gate, a column `caution`; when a machine coder is the primary
 * coder, a last column `coded_by` with its label on every row (CSV has no place for a note).
 */
function themeCsv<Row extends object>(
  columns: readonly string[],
  rows: readonly Row[],
  cautions: Cautions,
  codedBy: string | undefined,
) {
  const withCaution = cautions === undefined ? [...rows] : withCautions(rows, cautions);
  const named = cautions === undefined ? [...columns] : [...columns, 'caution'];
  if (codedBy === undefined) return recordsCsv(named, withCaution);
  return recordsCsv(
    [...named, 'coded_by'],
    withCaution.map((row) => ({ ...row, coded_by: codedBy })),
  );
}

export const frequencyCsv = (rows: FrequencyRow[], cautions?: Cautions, codedBy?: string): string =>
  themeCsv(frequencyColumns, rows, cautions, codedBy);
export const crossCsv = (table: CrossTable, cautions?: Cautions, codedBy?: string): string =>
  themeCsv(crossColumns, table.rows, cautions, codedBy);
export const cooccurrenceCsv = (rows: CooccurrenceRow[], cautions?: Cautions, codedBy?: string): string =>
  themeCsv(cooccurrenceColumns, rows, cautions, codedBy);
export const exemplarCsv = (rows: ExemplarRow[], cautions?: Cautions, codedBy?: string): string =>
  themeCsv(exemplarColumns, rows, cautions, codedBy);
export const triangulationCsv = (rows: TriangulationRow[], cautions?: Cautions, codedBy?: string): string =>
  themeCsv(triangulationColumns, rows, cautions, codedBy);
export const actorCsv = (rows: ActorTableRow[], cautions?: Cautions, codedBy?: string): string =>
  themeCsv(actorColumns, rows, cautions, codedBy);

/** The marker after a code flagged "interpret with caution", in terminal tables and report.html alike. */
export const cautionMarker = '\u2020';

/** A code as terminal tables show it: with the marker when it is flagged. */
export const markedCode = (code: string, cautions: Cautions): string =>
  cautions?.has(code) ? `${code} ${cautionMarker}` : code;

export const percent = (value: number): string => `${(100 * value).toFixed(1)} %`;

/** The cross table as a matrix: one row per code (and `(any code)`), one column per group, then `(all)`. */
export function crossMatrix(table: CrossTable, cautions?: Cautions): { header: string[]; rows: string[][] } {
  const header = ['code', ...table.groups, allGroups];
  const byCode = new Map<string, Map<string, { units: number; share: number }>>();
  for (const row of table.rows) {
    const cells = byCode.get(row.code) ?? new Map();
    cells.set(row.group, { units: row.units, share: row.share });
    byCode.set(row.code, cells);
  }
  const rows = [...byCode].map(([code, cells]) => [
    markedCode(code, cautions),
    ...[...table.groups, allGroups].map((group) => {
      const cell = cells.get(group);
      return cell ? `${cell.units} (${Math.round(100 * cell.share)} %)` : '';
    }),
  ]);
  // The `(any code)` row last.
  rows.sort((left, right) => (left[0] === anyCode ? 1 : 0) - (right[0] === anyCode ? 1 : 0));
  return { header, rows };
}
