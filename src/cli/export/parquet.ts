/** `coding export --format parquet`: check the flags, write the file (src/app/export-parquet.ts), say what was written. */
import path from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { exists } from '../../io/atomic.js';
import { printFinding, writeErr } from '../output.js';

export interface ParquetExportFlags {
  workspace?: string | undefined;
  layout: 'long' | 'wide';
  coder?: string | undefined;
  output?: string | undefined;
  force?: boolean | undefined;
  bom?: boolean | undefined;
}

/** Bytes to standard output, waiting until each chunk is handed over (memory stays bounded). */
function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(bytes, () => resolve());
  });
}

export async function runParquetExport(flags: ParquetExportFlags): Promise<void> {
  if (flags.bom) throw new UsageError('--bom goes with --format csv; a Parquet file has no byte order mark');
  const toFile = flags.output !== undefined && flags.output !== '-';
  const target = toFile ? path.resolve(flags.output!) : undefined;
  if (target !== undefined && (await exists(target)) && !flags.force)
    throw new InputError(`${flags.output} exists already`, { hint: 'choose another file, or pass --force.' });
  if (target === undefined && process.stdout.isTTY === true)
    throw new UsageError('a Parquet file is binary: name it with -o FILE (or pipe the output)', {
      hint: 'for example: coding export --format parquet --layout wide -o final-wide.parquet',
    });
  // The Parquet writer is loaded only for this format.
  const { exportParquet } = await import('../../app/export-parquet.js');
  const result = await exportParquet({
    cwd: process.cwd(),
    workspace: flags.workspace,
    coder: flags.coder,
    layout: flags.layout,
    output: target,
    stdout: { write: writeStdout },
  });
  for (const warning of result.table.data.set.warnings) printFinding(warning);
  if (target !== undefined)
    writeErr(`wrote ${result.rows} rows (${result.columns.length} columns) to ${flags.output}\n`);
}
