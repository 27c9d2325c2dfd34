/**
 * The tables `coding themes` prints, as data: one model per table, rendered for the terminal
 * (`renderTable`), as Markdown or as LaTeX (`paper-table.ts`). `coding report` writes the LaTeX
 * ones beside the CSV files.
 */

import type { ExemplarRow } from '../core/exemplars.js';
import { cautionText } from '../core/gates.js';
import type {
  ActorTableRow,
  CooccurrenceRow,
  CrossTable,
  FrequencyRow,
  TriangulationRow,
} from '../core/themes.js';
import { anyCode } from '../core/themes.js';
import type { ColumnAlign, PaperTable } from './paper-table.js';
import { type Cautions, cautionMarker, crossMatrix, markedCode, percent } from './themes.js';

/** A theme table: the paper model plus what only the terminal uses. */
export interface ThemeTable extends PaperTable {
  /** Rows set in bold on the terminal (the category rows of the frequencies). */
  bold?: (rowIndex: number) => boolean;
  /** Longest cell on the terminal before it is cut. */
  maxCellWidth?: number;
}

/** The line under every table when codes are flagged, in Krippendorff's words. */
export function flaggedNote(cautions: Cautions): string[] {
  if (!cautions || cautions.size === 0) return [];
  return [
    `${cautionMarker} ${cautionText([...cautions.keys()], cautions)} (below the reliability gate of coding.yaml; see coding reliability)`,
  ];
}

/**
 * The table with the machine primary's label (`machineCodedLabel`) as its first note; unchanged
 * without one.
 */
export function withCodedBy<Table extends PaperTable>(table: Table, codedBy: string | undefined): Table {
  return codedBy === undefined ? table : { ...table, notes: [codedBy, ...table.notes] };
}

const aligned = (count: number, right: ReadonlySet<number>, text: ReadonlySet<number> = new Set()) =>
  Array.from(
    { length: count },
    (_, index): ColumnAlign => (right.has(index) ? 'right' : text.has(index) ? 'text' : 'left'),
  );

export function frequencyTable(
  rows: readonly FrequencyRow[],
  cautions: Cautions,
  caption: string,
): ThemeTable {
  const header = ['category', 'code', 'label', 'units', 'documents', 'of units', 'of documents'];
  return {
    caption,
    label: 'tab:frequencies',
    header,
    rows: rows.map((row) => [
      row.code === '' ? row.category : '',
      row.code,
      cautions?.has(row.code) ? `${row.label} ${cautionMarker}` : row.label,
      String(row.units),
      String(row.documents),
      percent(row.unit_share),
      percent(row.document_share),
    ]),
    align: aligned(header.length, new Set([3, 4, 5, 6])),
    notes: flaggedNote(cautions),
    bold: (index) => rows[index]!.code === '',
  };
}

/**
 * Codes × groups as a matrix; `codes` keeps only those codes (the report's cap on large
 * codebooks), with a note saying so.
 */
export function groupMatrixTable(
  table: CrossTable,
  cautions: Cautions,
  caption: string,
  options: { label: string; codes?: ReadonlySet<string>; leftOut?: string } = { label: 'tab:by-group' },
): ThemeTable {
  const keep = options.codes;
  const shown =
    keep === undefined
      ? table
      : { ...table, rows: table.rows.filter((row) => row.code === anyCode || keep.has(row.code)) };
  const matrix = crossMatrix(shown, cautions);
  return {
    caption,
    label: options.label,
    header: matrix.header,
    rows: matrix.rows,
    align: aligned(
      matrix.header.length,
      new Set(matrix.header.map((_, index) => index).filter((index) => index > 0)),
    ),
    notes: [...(options.leftOut === undefined ? [] : [options.leftOut]), ...flaggedNote(cautions)],
    maxCellWidth: 24,
  };
}

/** Code × code: units carrying both, codes numbered in the header. */
export function cooccurrenceTable(
  rows: readonly CooccurrenceRow[],
  codes: readonly string[],
  cautions: Cautions,
  options: { leftOut?: string } = {},
): ThemeTable {
  const units = new Map<string, number>();
  for (const row of rows) units.set(`${row.code_a}\u0000${row.code_b}`, row.units);
  const header = ['', ...codes.map((_, index) => `${index + 1}`)];
  return {
    caption: 'Co-occurrence: units carrying both codes (the diagonal: the code alone)',
    label: 'tab:cooccurrence',
    header,
    rows: codes.map((first, index) => [
      `${index + 1} ${markedCode(first, cautions)}`,
      ...codes.map((second) => String(units.get(`${first}\u0000${second}`) ?? 0)),
    ]),
    align: aligned(header.length, new Set(codes.map((_, index) => index + 1))),
    notes: [...(options.leftOut === undefined ? [] : [options.leftOut]), ...flaggedNote(cautions)],
  };
}

export function exemplarsTable(rows: readonly ExemplarRow[], cautions: Cautions): ThemeTable {
  const header = ['code', '#', 'unit', 'actor', 'date', 'basis', 'text'];
  return {
    caption: 'Exemplars',
    label: 'tab:exemplars',
    header,
    rows: rows.map((row) => [
      markedCode(row.code, cautions),
      String(row.rank),
      row.unit_id,
      row.actor,
      row.date,
      row.basis,
      row.text,
    ]),
    align: aligned(header.length, new Set(), new Set([2, 3, 6])),
    notes: flaggedNote(cautions),
    long: true,
    maxCellWidth: 80,
  };
}

export function triangulationTable(rows: readonly TriangulationRow[], cautions: Cautions): ThemeTable {
  const header = ['code', 'primary units', 'primary docs', 'secondary units', 'secondary docs', 'status'];
  return {
    caption: 'Triangulation: primary against secondary sources',
    label: 'tab:triangulation',
    header,
    rows: rows.map((row) => [
      markedCode(row.code, cautions),
      String(row.primary_units),
      String(row.primary_documents),
      String(row.secondary_units),
      String(row.secondary_documents),
      row.status,
    ]),
    align: aligned(header.length, new Set([1, 2, 3, 4])),
    notes: flaggedNote(cautions),
  };
}

export function rhetoricTable(
  rows: readonly ActorTableRow[],
  category: string,
  cautions: Cautions,
): ThemeTable {
  const header = ['actor', 'code', 'units', 'audience', 'exemplar'];
  return {
    caption: `Actors and ${category} codes (the paper's table 4.3)`,
    label: 'tab:rhetoric',
    header,
    rows: rows.map((row) => [
      row.actor,
      markedCode(row.code, cautions),
      String(row.units),
      row.audience,
      row.exemplar,
    ]),
    align: aligned(header.length, new Set([2]), new Set([0, 3, 4])),
    notes: flaggedNote(cautions),
    long: true,
    maxCellWidth: 60,
  };
}
