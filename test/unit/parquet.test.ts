/**
 * The streaming Parquet writer (src/io/parquet.ts) and the typing of the export's columns
 * (src/app/export-parquet.ts), read back with hyparquet, a reader separate from the writer.
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { ExportTable } from '../../src/app/export.js';
import { parquetColumnsOf } from '../../src/app/export-parquet.js';
import {
  daysSinceEpoch,
  defaultRowGroupSize,
  type ParquetColumn,
  ParquetStreamWriter,
} from '../../src/io/parquet.js';

/** Write rows with the stream writer into memory; the file's bytes. */
async function writeToMemory(
  columns: ParquetColumn[],
  rows: Array<Array<string | number | bigint | boolean | null>>,
  rowGroupSize: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const writer = new ParquetStreamWriter({ write: async (bytes) => void chunks.push(bytes) }, columns, {
    createdBy: 'coding test',
    rowGroupSize,
  });
  for (const row of rows) await writer.append(row);
  await writer.close();
  expect(writer.rows).toBe(rows.length);
  return Buffer.concat(chunks);
}

const arrayBufferOf = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('ParquetStreamWriter', () => {
  const columns: ParquetColumn[] = [
    { name: 'text', type: 'STRING', nullable: true },
    { name: 'small', type: 'INT32', nullable: false },
    { name: 'large', type: 'INT64', nullable: false },
    { name: 'flag', type: 'BOOLEAN', nullable: false },
    { name: 'day', type: 'DATE', nullable: true },
    { name: 'share', type: 'DOUBLE', nullable: false },
  ];
  const rows = Array.from({ length: 2500 }, (_, index) => [
    index % 7 === 0 ? null : `unit ${index} — ünïcødé ${'✓'.repeat(index % 3)}`,
    index - 1000,
    BigInt(index) * 10_000_000_000n,
    index % 2 === 0,
    index % 5 === 0 ? null : 20_000 + index,
    index / 8,
  ]);

  it('writes row groups of the size asked, and every value reads back', async () => {
    const bytes = await writeToMemory(columns, rows, 1000);
    const metadata = parquetMetadata(arrayBufferOf(bytes));
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([1000, 1000, 500]);
    expect(metadata.created_by).toBe('coding test');
    const read = await parquetReadObjects({ file: arrayBufferOf(bytes) });
    expect(read).toHaveLength(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const [text, small, large, flag, day, share] = rows[index]!;
      expect(read[index]).toEqual({
        text,
        small,
        large,
        flag,
        day: day === null ? null : new Date((day as number) * 86_400_000),
        share,
      });
    }
  });

  it('gives the same bytes for the same rows', async () => {
    expect(
      Buffer.from(await writeToMemory(columns, rows, 1000)).equals(await writeToMemory(columns, rows, 1000)),
    ).toBe(true);
  });
});

describe('defaultRowGroupSize', () => {
  it('keeps a row group near 50,000 cells, between 1,000 and 100,000 rows', () => {
    expect(defaultRowGroupSize(4)).toBe(12_500);
    expect(defaultRowGroupSize(22)).toBe(2_272);
    expect(defaultRowGroupSize(1)).toBe(50_000);
    expect(defaultRowGroupSize(2_000)).toBe(1_000);
  });
});

describe('daysSinceEpoch', () => {
  it('counts calendar dates and refuses anything else', () => {
    expect(daysSinceEpoch('1970-01-01')).toBe(0);
    expect(daysSinceEpoch('2026-01-30')).toBe(20_483); // Python: (date(2026, 1, 30) - date(1970, 1, 1)).days
    expect(daysSinceEpoch('1969-12-31')).toBe(-1);
    expect(daysSinceEpoch('2024-02-29')).toBe(19_782);
    expect(daysSinceEpoch('2025-02-29')).toBeUndefined();
    expect(daysSinceEpoch('2026-01')).toBeUndefined();
    expect(daysSinceEpoch('2026-01-30T10:00:00Z')).toBeUndefined();
  });
});

describe('typed columns of the wide export', () => {
  const tableWith = (dates: Array<string | undefined>): ExportTable =>
    ({
      header: [
        'unit_id',
        'doc_id',
        'actor',
        'source',
        'genre',
        'date',
        'role',
        'language',
        'title',
        'coder',
        'basis',
        'a.b',
      ],
      firstCodeColumn: 11,
      documentDates: () => dates,
    }) as unknown as ExportTable;

  it('date is a DATE when every document has a full date (or none), a string otherwise', () => {
    const full = parquetColumnsOf(tableWith(['2026-01-29', undefined]), 'wide');
    expect(full.columns.find((column) => column.name === 'date')!.type).toBe('DATE');
    expect(full.typed(['d0:1', 'd0', 'A', '', '', '2026-01-29', '', '', '', 'final', 'agreed', 1])).toEqual([
      'd0:1',
      'd0',
      'A',
      null,
      null,
      20_482,
      null,
      null,
      null,
      'final',
      'agreed',
      1,
    ]);
    const partial = parquetColumnsOf(tableWith(['2026-01-29', '2026-01']), 'wide');
    expect(partial.columns.find((column) => column.name === 'date')!.type).toBe('STRING');
    expect(partial.typed(['d1:1', 'd1', '', '', '', '2026-01', '', '', '', 'final', 'machine', 0])[5]).toBe(
      '2026-01',
    );
    expect(partial.columns.map((column) => column.type)).toEqual([
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'INT32',
    ]);
    // coder and basis are never null; the code column is an integer.
    expect(partial.columns.slice(9).map((column) => column.nullable)).toEqual([false, false, false]);
  });
});
