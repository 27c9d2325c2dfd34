/** Theme tables as CSV (stable columns, shares to 4 decimals) and as terminal tables. */
import type {
  ActorTableRow,
  CooccurrenceRow,
  CrossTable,
  ExemplarRow,
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

export const frequencyCsv = (rows: FrequencyRow[]): string => recordsCsv(frequencyColumns, rows);
export const crossCsv = (table: CrossTable): string => recordsCsv(crossColumns, table.rows);
export const cooccurrenceCsv = (rows: CooccurrenceRow[]): string => recordsCsv(cooccurrenceColumns, rows);
export const exemplarCsv = (rows: ExemplarRow[]): string => recordsCsv(exemplarColumns, rows);
export const triangulationCsv = (rows: TriangulationRow[]): string => recordsCsv(triangulationColumns, rows);
export const actorCsv = (rows: ActorTableRow[]): string => recordsCsv(actorColumns, rows);

export const percent = (value: number): string => `${(100 * value).toFixed(1)} %`;

/** The cross table as a matrix: one row per code (and `(any code)`), one column per group, then `(all)`. */
export function crossMatrix(table: CrossTable): { header: string[]; rows: string[][] } {
  const header = ['code', ...table.groups, allGroups];
  const byCode = new Map<string, Map<string, { units: number; share: number }>>();
  for (const row of table.rows) {
    const cells = byCode.get(row.code) ?? new Map();
    cells.set(row.group, { units: row.units, share: row.share });
    byCode.set(row.code, cells);
  }
  const rows = [...byCode].map(([code, cells]) => [
    code,
    ...[...table.groups, allGroups].map((group) => {
      const cell = cells.get(group);
      return cell ? `${cell.units} (${Math.round(100 * cell.share)} %)` : '';
    }),
  ]);
  // The `(any code)` row last.
  rows.sort((left, right) => (left[0] === anyCode ? 1 : 0) - (right[0] === anyCode ? 1 : 0));
  return { header, rows };
}
