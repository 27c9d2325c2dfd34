/**
 * The theme tables of `coding report` (frequencies, code × group tables, co-occurrence,
 * triangulation, exemplars, rhetoric by actor) and their CSV files.
 */

import type { ExemplarRow } from '../core/exemplars.js';
import {
  type ActorTableRow,
  type CooccurrenceRow,
  type CrossTable,
  crossTable,
  type FrequencyRow,
  groupFields,
  someDocumentHas,
  type TriangulationRow,
} from '../core/themes.js';
import type { FolderContent } from '../io/report-folder.js';
import {
  actorCsv,
  type Cautions,
  cooccurrenceCsv,
  crossCsv,
  exemplarCsv,
  frequencyCsv,
  triangulationCsv,
} from '../report/themes.js';
import {
  cooccurrence,
  exemplarAndActorTables,
  frequencies,
  rhetoricCategory,
  type ThemeData,
  triangulation,
} from './themes.js';

/** Documents above which the per-document table is left out of the report (it would have a row per document and code). */
export const maxDocumentsInReport = 2000;

/** The theme tables of the report, as rows (report.html and the LaTeX tables show them too). */
export interface ReportThemeTables {
  frequencies: FrequencyRow[];
  /** Code × month tables, by field name; only fields that some document has. */
  groups: Record<string, CrossTable>;
  cooccurrence: CooccurrenceRow[];
  triangulation: TriangulationRow[];
  exemplars: ExemplarRow[];
  /** The per-actor table of the rhetoric category, when the codebook has one. */
  rhetoric: { category: string; rows: ActorTableRow[] } | undefined;
}

/**
 * Compute every theme table. The texts of the exemplars and of the actors' exemplars are read in
 * one pass over the corpus.
 */
export async function reportThemeTables(
  themes: ThemeData,
  exemplarCount: number,
): Promise<ReportThemeTables> {
  const { input } = themes;
  const frequencyRows = frequencies(input);
  const groups: Record<string, CrossTable> = {};
  for (const field of groupFields) {
    if (field === 'document' && input.documents.length > maxDocumentsInReport) continue;
    if (!someDocumentHas(input.documents, field, 'month')) continue;
    groups[field] = crossTable(input, field, 'month');
  }
  const cooccurrenceRows = cooccurrence(input);
  const triangulationRows = triangulation(input);
  const category = rhetoricCategory(themes, undefined);
  const quoted = await exemplarAndActorTables(themes, exemplarCount, category);
  const rhetoric =
    category === undefined || quoted.actors === undefined ? undefined : { category, rows: quoted.actors };
  return {
    frequencies: frequencyRows,
    groups,
    cooccurrence: cooccurrenceRows,
    triangulation: triangulationRows,
    exemplars: quoted.exemplars,
    rhetoric,
  };
}

/**
 * Put the CSV file of every theme table into `files`, replacing the ones there. With `cautions`
 * (a reliability gate), each table gets its `caution` column; with `codedBy` (a machine coder as
 * primary), its `coded_by` column.
 */
export function setThemeCsvFiles(
  files: Map<string, FolderContent>,
  tables: ReportThemeTables,
  cautions: Cautions,
  codedBy: string | undefined,
): void {
  files.set('frequencies.csv', frequencyCsv(tables.frequencies, cautions, codedBy));
  for (const [field, table] of Object.entries(tables.groups))
    files.set(`by-${field}.csv`, crossCsv(table, cautions, codedBy));
  files.set('cooccurrence.csv', cooccurrenceCsv(tables.cooccurrence, cautions, codedBy));
  files.set('triangulation.csv', triangulationCsv(tables.triangulation, cautions, codedBy));
  files.set('exemplars.csv', exemplarCsv(tables.exemplars, cautions, codedBy));
  if (tables.rhetoric) files.set('rhetoric.csv', actorCsv(tables.rhetoric.rows, cautions, codedBy));
}
