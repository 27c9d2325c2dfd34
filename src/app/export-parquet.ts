/**
 * `coding export --format parquet`: the long and wide tables of `coding export` as a typed Parquet
 * file, for pandas, R arrow, Polars, DuckDB and Spark. The same rows as the CSV export, with types:
 * texts are UTF-8 strings, the 0/1 code columns INT32, the documents' `date` a DATE when every
 * document has a full calendar date (YYYY-MM-DD) and a string otherwise (as it was given), and a
 * missing value (no code on a reviewed unit; metadata a document lacks) is null where the CSV has
 * an empty cell. Written a row group at a time (50,000 cells), so memory holds one row group.
 */

import { AtomicWriteStream } from '../io/atomic.js';
import { daysSinceEpoch, type ParquetColumn, ParquetStreamWriter, type ParquetValue } from '../io/parquet.js';
import { toolVersion } from '../version.js';
import { type ExportLayout, type ExportTable, exportTable, wideMetadataColumns } from './export.js';
import type { AnalysisOptions } from './final.js';

export interface ParquetExportOptions extends AnalysisOptions {
  layout: ExportLayout;
  /** The file to write (atomically: a temporary file renamed at the end); undefined: `stdout`. */
  output?: string | undefined;
  /** Where the bytes go when there is no output file. */
  stdout?: { write(bytes: Uint8Array): Promise<void> };
  /** Rows per row group (default: see `defaultRowGroupSize`). */
  rowGroupSize?: number;
}

export interface ParquetExportResult {
  table: ExportTable;
  columns: ParquetColumn[];
  rows: number;
}

/** Whether every document with a date has a full calendar date, so `date` can be a DATE column. */
function datesAreCalendarDates(dates: Iterable<string | undefined>): boolean {
  for (const date of dates)
    if (date !== undefined && date !== '' && daysSinceEpoch(date) === undefined) return false;
  return true;
}

/** The Parquet columns of an export table, and how to turn a CSV-style row into typed cells. */
export function parquetColumnsOf(
  table: ExportTable,
  layout: ExportLayout,
): { columns: ParquetColumn[]; typed(row: Array<string | number>): ParquetValue[] } {
  const blankIsNull = (value: string | number): ParquetValue => (value === '' ? null : value);
  if (layout === 'long') {
    const columns: ParquetColumn[] = [
      { name: 'unit_id', type: 'STRING', nullable: false },
      { name: 'doc_id', type: 'STRING', nullable: false },
      { name: 'coder', type: 'STRING', nullable: false },
      { name: 'code', type: 'STRING', nullable: true },
      { name: 'basis', type: 'STRING', nullable: false },
    ];
    return { columns, typed: (row) => [row[0]!, row[1]!, row[2]!, blankIsNull(row[3]!), row[4]!] };
  }
  const dateAsDays = datesAreCalendarDates(table.documentDates?.() ?? []);
  // The columns: unit_id, doc_id, metadata, attributes, coder, basis, then the codes (0/1).
  const firstCode = table.firstCodeColumn!;
  const columns = table.header.map((name, index): ParquetColumn => {
    if (index < 2 || index === firstCode - 2 || index === firstCode - 1)
      return { name, type: 'STRING', nullable: false };
    if (index >= firstCode) return { name, type: 'INT32', nullable: false };
    if (name === 'date' && index < 2 + wideMetadataColumns.length && dateAsDays)
      return { name, type: 'DATE', nullable: true };
    return { name, type: 'STRING', nullable: true };
  });
  return {
    columns,
    typed: (row) =>
      row.map((value, index) => {
        const column = columns[index]!;
        if (!column.nullable) return value;
        if (value === '') return null;
        return column.type === 'DATE' ? daysSinceEpoch(String(value))! : value;
      }),
  };
}

/** Write the export as Parquet to `output` (atomically) or to `stdout`. */
export async function exportParquet(options: ParquetExportOptions): Promise<ParquetExportResult> {
  const table = await exportTable(options);
  const { columns, typed } = parquetColumnsOf(table, options.layout);
  const file = options.output === undefined ? undefined : new AtomicWriteStream(options.output);
  const sink = file ? { write: (bytes: Uint8Array) => file.writeBytes(bytes) } : options.stdout;
  if (sink === undefined) throw new Error('exportParquet: neither an output file nor standard output');
  const writer = new ParquetStreamWriter(sink, columns, {
    createdBy: `coding ${toolVersion}`,
    metadata: { 'coding.layout': options.layout, 'coding.coder': table.data.coder },
    ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
  });
  try {
    for (const row of table.rows()) await writer.append(typed(row));
    await writer.close();
    await file?.commit();
  } catch (error) {
    await file?.abort();
    throw error;
  }
  return { table, columns, rows: writer.rows };
}
