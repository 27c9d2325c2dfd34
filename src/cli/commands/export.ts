import path from 'node:path';
import { type Command, Option } from 'commander';
import { type ExportLayout, exportLayouts, exportTable } from '../../app/export.js';
import { InputError, UsageError } from '../../errors.js';
import { AtomicWriteStream, exists } from '../../io/atomic.js';
import { csvLine } from '../../io/csv-write.js';
import { addWorkspaceOption } from '../common.js';
import { printFinding, writeErr, writeOut } from '../output.js';

export const exportFormats = ['csv'] as const;

export function registerExport(program: Command): void {
  const command = program
    .command('export')
    .description("the analysis data set (final codes, or one coder's) as CSV for R, pandas or SPSS")
    .addOption(
      new Option(
        '--layout <layout>',
        'long: a row per unit and code; wide: a row per unit, a 0/1 column per code',
      )
        .choices(exportLayouts)
        .default('long'),
    )
    .addOption(new Option('--format <format>', 'file format').choices(exportFormats).default('csv'))
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
  coding export --layout long --coder coder2`,
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
        else writeOut(text);
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
