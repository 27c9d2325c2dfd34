import path from 'node:path';
import { type Command, Option } from 'commander';
import { type ExportLayout, exportLayouts, exportTable } from '../../app/export.js';
import { type SelectionMode, selectionModes } from '../../core/export-positions.js';
import { type CrlfCount, crlfCounts, type OffsetUnit, offsetUnits } from '../../core/overlap.js';
import { InputError, UsageError } from '../../errors.js';
import { AtomicWriteStream, exists, writeFileAtomic } from '../../io/atomic.js';
import { csvLine } from '../../io/csv-write.js';
import { addWorkspaceOption } from '../common.js';
import { runParquetExport } from '../export/parquet.js';
import { printFinding, writeData, writeErr } from '../output.js';

export const exportFormats = ['csv', 'parquet', 'qdpx'] as const;

export function registerExport(program: Command): void {
  const command = program
    .command('export')
    .description(
      "the analysis data set (final codes, or one coder's) as CSV or Parquet for R, pandas or SPSS; or the whole study as a REFI-QDA project (--format qdpx)",
    )
    .addOption(
      new Option(
        '--layout <layout>',
        'long: a row per unit and code; wide: a row per unit, a 0/1 column per code',
      )
        .choices(exportLayouts)
        .default('long'),
    )
    .addOption(
      new Option(
        '--format <format>',
        'file format: csv; parquet (typed columns, for pandas, R arrow, Polars, DuckDB, Spark); or qdpx (a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder)',
      )
        .choices(exportFormats)
        .default('csv'),
    )
    .option('--coder <name>', "one coder's codes instead of the final ones")
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .option('--force', 'overwrite the output file')
    .option('--bom', 'start with a UTF-8 byte order mark (for Excel)')
    .addOption(
      new Option(
        '--selections <rule>',
        'qdpx: original: imported selections as they were, codes applied in coding one selection per unit; units: one selection per unit for everything (default: original)',
      ).choices(selectionModes),
    )
    .addOption(
      new Option(
        '--offsets <unit>',
        'qdpx: what positions count, as the target program reads them: code points or UTF-16 code units (NVivo) (default: what the imported project counted, else codepoints)',
      ).choices(offsetUnits),
    )
    .addOption(
      new Option(
        '--crlf <count>',
        "qdpx: write texts with CRLF line ends, a CRLF counting one character (ATLAS.ti) or two (NVivo) (default: the imported project's line ends and counting, else LF as stored)",
      ).choices(crlfCounts),
    );
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
Long columns: unit_id, doc_id, coder, code (coder is "final" for the final codes; an empty code
means the unit was reviewed and no code applies). Wide columns: unit_id, doc_id, the document's
actor, source, genre, date, role, language, title and attributes, coder, then one 0/1 column per
code in codebook order. Only reviewed units appear.

Examples:
  coding export --layout wide -o final-wide.csv
  coding export --layout long --coder coder2
  coding export --format parquet --layout wide -o final-wide.parquet
  coding export --format qdpx -o study.qdpx
  coding export --format qdpx --offsets utf16 --crlf two -o for-nvivo.qdpx

parquet: the same rows, typed: 0/1 code columns as INT32, date as DATE when every document has a
full date (YYYY-MM-DD), else as given; an empty cell of the CSV is null.

qdpx: the corpus, the codebook and every coder's annotations as one REFI-QDA project (one user per
coder). Selections imported from a project (annotations/selections.json) go back as they were, with
their GUIDs, users and dates; codes applied in coding become one selection per unit and coder
(--selections units: every selection a unit). Positions count as the imported project counted
(NVivo: UTF-16 code units, CRLF as two), else code points; the summary names imported codings the
team removed. docs/refi-qda-projects.md says what is kept.`,
  );
  command.action(
    async (flags: {
      workspace?: string;
      layout: ExportLayout;
      format: string;
      coder?: string;
      output?: string;
      force?: boolean;
      bom?: boolean;
      selections?: SelectionMode;
      offsets?: OffsetUnit;
      crlf?: CrlfCount;
    }) => {
      if (flags.format !== 'qdpx' && (flags.selections ?? flags.offsets ?? flags.crlf) !== undefined)
        throw new UsageError('--selections, --offsets and --crlf go with --format qdpx');
      if (flags.format === 'qdpx') {
        if (flags.coder !== undefined || flags.bom)
          throw new UsageError('--coder and --bom go with --format csv; a .qdpx holds every coder');
        const toFile = flags.output !== undefined && flags.output !== '-';
        const target = toFile ? path.resolve(flags.output!) : undefined;
        if (target !== undefined && (await exists(target)) && !flags.force)
          throw new InputError(`${flags.output} exists already`, {
            hint: 'choose another file, or pass --force.',
          });
        if (target === undefined && process.stdout.isTTY === true)
          throw new UsageError('a .qdpx is a binary file: name it with -o FILE (or pipe the output)', {
            hint: 'for example: coding export --format qdpx -o study.qdpx',
          });
        await runQdpxExport(flags, target);
        return;
      }
      if (flags.format === 'parquet') return runParquetExport(flags);
      if (flags.format !== 'csv') throw new UsageError(`unknown format ${flags.format}`);
      await runCsvExport(flags);
    },
  );
}

/** `--format qdpx`: the project to a file or standard output, and what was kept, changed and left out to stderr. */
async function runQdpxExport(
  flags: {
    workspace?: string;
    output?: string;
    selections?: SelectionMode;
    offsets?: OffsetUnit;
    crlf?: CrlfCount;
  },
  target: string | undefined,
): Promise<void> {
  // The REFI-QDA writer (XML, zip) is loaded only for a .qdpx.
  const { exportQdpx, renderQdpxExportSummary } = await import('../../app/qdpx.js');
  const project = await exportQdpx({
    cwd: process.cwd(),
    workspace: flags.workspace,
    selections: flags.selections,
    offsets: flags.offsets,
    crlf: flags.crlf,
  });
  for (const warning of project.warnings) printFinding(warning);
  if (target === undefined) process.stdout.write(project.bytes);
  else await writeFileAtomic(target, project.bytes);
  writeErr(renderQdpxExportSummary(project, target === undefined ? undefined : flags.output));
}

/** `--format csv`: the rows to a file (atomically) or standard output. */
async function runCsvExport(flags: {
  workspace?: string;
  layout: ExportLayout;
  coder?: string;
  output?: string;
  force?: boolean;
  bom?: boolean;
}): Promise<void> {
  let outputFile: string | undefined;
  if (flags.output !== undefined && flags.output !== '-') {
    outputFile = path.resolve(flags.output);
    if ((await exists(outputFile)) && !flags.force)
      throw new InputError(`${flags.output} exists already`, {
        hint: 'choose another file, or pass --force.',
      });
  }
  const table = await exportTable({
    cwd: process.cwd(),
    workspace: flags.workspace,
    coder: flags.coder,
    layout: flags.layout,
  });
  for (const warning of table.data.set.warnings) printFinding(warning);
  const output = outputFile ? new AtomicWriteStream(outputFile) : undefined;
  const emit = async (text: string): Promise<void> => {
    if (output) await output.write(text);
    else writeData(text);
  };
  try {
    await emit(`${flags.bom ? '\uFEFF' : ''}${csvLine(table.header)}`);
    let rows = 0;
    for (const row of table.rows()) {
      await emit(csvLine(row, { neutraliseFormulas: true }));
      rows++;
    }
    await output?.commit();
    if (output) writeErr(`wrote ${rows} rows to ${flags.output}\n`);
  } catch (error) {
    await output?.abort();
    throw error;
  }
}
