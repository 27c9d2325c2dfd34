/**
 * Issue 15, point 5: `coding export --format parquet`, read back with an independent reader
 * (hyparquet, a separate package and version from the writer's) and compared value by value with
 * the CSV export of the same study, in both layouts; typed columns; deterministic bytes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, type FileMetaData, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, runCli, snapshot, temporaryFolder } from '../helpers.js';

type Row = Record<string, unknown>;

async function readParquet(file: string): Promise<{ rows: Row[]; metadata: FileMetaData }> {
  const buffer = await asyncBufferFromFile(file);
  return { rows: await parquetReadObjects({ file: buffer }), metadata: await parquetMetadataAsync(buffer) };
}

/** A Parquet cell as the CSV export writes it: null is an empty cell, a DATE is YYYY-MM-DD. */
function asCsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** Export the bundled study (read only) as CSV and as Parquet; both files' rows. */
async function bothExports(args: string[]): Promise<{ csv: Row[]; parquet: Row[]; metadata: FileMetaData }> {
  const folder = await temporaryFolder();
  const run = (more: string[]) => runCli(['export', '-w', repositoryRoot, ...args, ...more], { cwd: folder });
  const csvRun = await run(['-o', 'out.csv']);
  expect(csvRun.code, csvRun.stderr).toBe(0);
  const parquetRun = await run(['--format', 'parquet', '-o', 'out.parquet']);
  expect(parquetRun.code, parquetRun.stderr).toBe(0);
  const csv = parse(await fs.readFile(path.join(folder, 'out.csv'), 'utf8'), { columns: true }) as Row[];
  const { rows, metadata } = await readParquet(path.join(folder, 'out.parquet'));
  expect(parquetRun.stderr).toContain(`wrote ${rows.length} rows`);
  return { csv, parquet: rows, metadata };
}

function expectSameValues(csv: Row[], parquet: Row[]): void {
  expect(parquet.length).toBe(csv.length);
  expect(Object.keys(parquet[0]!)).toEqual(Object.keys(csv[0]!));
  for (let index = 0; index < csv.length; index++) {
    const fromParquet = Object.fromEntries(
      Object.entries(parquet[index]!).map(([name, value]) => [name, asCsvCell(value)]),
    );
    expect(fromParquet, `row ${index + 1}`).toEqual(csv[index]);
  }
}

const schemaOf = (metadata: FileMetaData, name: string) =>
  metadata.schema.find((element) => element.name === name)!;

describe('coding export --format parquet', () => {
  it('long layout: every value equals the CSV export, "no code" is null, strings are UTF-8', async () => {
    const { csv, parquet, metadata } = await bothExports(['--layout', 'long']);
    expectSameValues(csv, parquet);
    expect(parquet.some((row) => row['code'] === null)).toBe(true);
    expect(parquet.some((row) => typeof row['code'] === 'string' && row['code'] !== '')).toBe(true);
    for (const name of ['unit_id', 'doc_id', 'coder', 'code', 'basis']) {
      expect(schemaOf(metadata, name).type).toBe('BYTE_ARRAY');
      expect(schemaOf(metadata, name).converted_type).toBe('UTF8');
    }
    expect(schemaOf(metadata, 'unit_id').repetition_type).toBe('REQUIRED');
    expect(schemaOf(metadata, 'code').repetition_type).toBe('OPTIONAL');
  });

  it('wide layout: every value equals the CSV export; code columns INT32, date DATE, metadata as columns', async () => {
    const { csv, parquet, metadata } = await bothExports(['--layout', 'wide']);
    expectSameValues(csv, parquet);
    expect(schemaOf(metadata, 'date')).toMatchObject({ type: 'INT32', converted_type: 'DATE' });
    expect(parquet[0]!['date']).toBeInstanceOf(Date);
    expect(schemaOf(metadata, 'trade.ntb')).toMatchObject({ type: 'INT32', repetition_type: 'REQUIRED' });
    expect(schemaOf(metadata, 'actor')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    // Where each unit's final codes come from: text, never null; the bundled study has adjudicated units.
    expect(schemaOf(metadata, 'basis')).toMatchObject({ type: 'BYTE_ARRAY', repetition_type: 'REQUIRED' });
    expect(new Set(parquet.map((row) => row['basis']))).toContain('adjudicated');
    // The bundled study's documents have attributes of their own (audience, note, …): columns too.
    expect(Object.keys(parquet[0]!)).toContain('note');
    expect(parquet.some((row) => row['audience'] === null)).toBe(true);
    expect(metadata.key_value_metadata).toEqual([
      { key: 'coding.layout', value: 'wide' },
      { key: 'coding.coder', value: 'final' },
    ]);
  });

  it("one coder's codes, as in the CSV export", async () => {
    const { csv, parquet } = await bothExports(['--layout', 'wide', '--coder', 'coder2']);
    expectSameValues(csv, parquet);
    expect(new Set(parquet.map((row) => row['coder']))).toEqual(new Set(['coder2']));
  });

  it('the same study gives the same bytes (no time in the file), to a file or to standard output', async () => {
    const folder = await temporaryFolder();
    const run = (more: string[]) =>
      runCli(['export', '-w', repositoryRoot, '--format', 'parquet', ...more], { cwd: folder });
    expect((await run(['-o', 'a.parquet'])).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await run(['-o', 'b.parquet'])).code).toBe(0);
    const first = await fs.readFile(path.join(folder, 'a.parquet'));
    expect((await fs.readFile(path.join(folder, 'b.parquet'))).equals(first)).toBe(true);
    const piped = await runCli(['export', '-w', repositoryRoot, '--format', 'parquet'], { cwd: folder });
    expect(piped.code).toBe(0);
    expect(piped.stdout.startsWith('PAR1')).toBe(true);
    const { metadata } = await readParquet(path.join(folder, 'a.parquet'));
    expect(metadata.created_by).toMatch(/^coding \d+\.\d+\.\d+/);
  });

  it('refuses an existing file without --force, --bom, and a missing folder, writing nothing', async () => {
    const folder = await temporaryFolder();
    await fs.writeFile(path.join(folder, 'taken.parquet'), 'keep');
    const run = (more: string[]) =>
      runCli(['export', '-w', repositoryRoot, '--format', 'parquet', ...more], { cwd: folder });
    const before = await snapshot(folder);
    const taken = await run(['-o', 'taken.parquet']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('taken.parquet exists already');
    const bom = await run(['--bom', '-o', 'x.parquet']);
    expect(bom.code).toBe(2);
    expect(bom.stderr).toContain('--bom goes with --format csv');
    const missing = await run(['-o', path.join('no-such-folder', 'x.parquet')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot write .*x\.parquet: no such file or folder/);
    expect(await snapshot(folder)).toEqual(before);
  });
});
