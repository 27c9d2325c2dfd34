import type { Command } from 'commander';
import { writeReport } from '../../app/report.js';
import { isValidated } from '../../core/machine-primary.js';
import { addWorkspaceOption, parseInteger, writesWorkspace } from '../common.js';
import { printFinding, writeErr } from '../output.js';

export function registerReport(program: Command): void {
  const command = program
    .command('report')
    .description(
      'every table as CSV, the reliability tables, and a self-contained report.html, with a manifest of hashes',
    )
    .option('-o, --output <dir>', 'output folder (default: reports/ in the workspace)')
    .option(
      '--coder <name>',
      "the tables of one coder's codes instead of the final ones (no reliability section)",
    )
    .option('--exemplars <n>', 'quotations per code', parseInteger('--exemplars', { min: 1, max: 100 }), 3);
  addWorkspaceOption(command);
  writesWorkspace(command, (flags) =>
    typeof flags['output'] === 'string' ? { output: flags['output'] } : true,
  );
  command.addHelpText(
    'after',
    `
Files: frequencies.csv, by-<field>.csv (actor, source, genre, document, role, date by month; fields
no document has are left out, and by-document when there are over 2000 documents),
cooccurrence.csv, exemplars.csv, triangulation.csv, rhetoric.csv (with a category "rhetoric"),
reliability.csv and reliability.json, disagreements.csv, report.html and manifest.json. The same
inputs give byte-identical files; manifest.json lists the inputs' and outputs' SHA-256.

Example:
  coding report -o reports/`,
  );
  command.action(
    async (flags: { workspace?: string; output?: string; coder?: string; exemplars: number }) => {
      const result = await writeReport({
        cwd: process.cwd(),
        workspace: flags.workspace,
        output: flags.output,
        coder: flags.coder,
        exemplars: flags.exemplars,
      });
      if (result.data.reliability_note && flags.coder === undefined)
        printFinding({
          code: 'NO_RELIABILITY',
          severity: 'warning',
          message: `no reliability section: ${result.data.reliability_note}`,
        });
      const machine = result.data.machine_primary;
      if (machine !== undefined && !isValidated(machine))
        printFinding({
          code: 'MACHINE_NOT_VALIDATED',
          severity: 'warning',
          message: `final codes ${machine.label}`,
        });
      writeErr(
        `wrote ${result.files.length + 1} files to ${result.folder}: ${[...result.files.map((file) => file.name), 'manifest.json'].join(', ')}\n`,
      );
    },
  );
}
