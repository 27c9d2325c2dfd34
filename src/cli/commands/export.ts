import path from 'node:path';
import { type Command, Option } from 'commander';
import { type ExportLayout, exportLayouts, exportTable } from '../../app/export.js';
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
    .option('--bom', 'start with a UTF-8 byte order mark (for Excel)');
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

parquet: the same rows, typed: 0/1 code columns as INT32, date as DATE when every document has a
full date (YYYY-MM-DD), else as given; an empty cell of the CSV is null.

qdpx: the corpus, the codebook and every coder's annotations as one REFI-QDA project (one user per
coder, one text selection per reviewed unit and coder); docs/refi-qda-projects.md says what is kept.`,
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
    }) => {
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
        // The REFI-QDA writer (XML, zip) is loaded only for a .qdpx.
        const { exportQdpx } = await import('../../app/qdpx.js');
        const project = await exportQdpx({ cwd: process.cwd(), workspace: flags.workspace });
        for (const warning of project.warnings) printFinding(warning);
        if (target === undefined) process.stdout.write(project.bytes);
        else {
          await writeFileAtomic(target, project.bytes);
          writeErr(
            `wrote ${flags.output}: ${project.documents} documents, ${project.coders.length} coders (${project.coders.join(', ')}), ${project.selections} selections with ${project.codings} codings\n`,
          );
        }
        return;
      }
      if (flags.format === 'parquet') return runParquetExport(flags);
      if (flags.format !== 'csv') throw new UsageError(`unknown format ${flags.format}`);
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
    },
  );
}
