import type { Command } from 'commander';
import { makeSheet } from '../../app/sheet.js';
import { UsageError } from '../../errors.js';
import { addWorkspaceOption } from '../common.js';
import { writeData, writeErr } from '../output.js';

export function registerSheet(program: Command): void {
  const command = program
    .command('sheet')
    .description('write a coding sheet (CSV) for a coder who works in a spreadsheet')
    .requiredOption('--coder <name>', 'the coder the sheet is for (their codes so far are filled in)')
    .option('--sample', 'only the units of the double-coding sample')
    .option('--uncoded', 'only units the coder has not reviewed yet')
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .option('--force', 'overwrite the output file if it exists')
    .option('--bom', 'start with a UTF-8 byte order mark, so Excel reads accents correctly')
    .option('--delimiter <char>', 'field delimiter, e.g. ";" for spreadsheets set to a European locale', ',');
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
Mark a code with 1 (or x, yes, true); mark "none" when you reviewed a unit and no code applies;
leave a row empty for a unit you have not reviewed. Cells that a spreadsheet would run as a
formula are prefixed with '.

Example:
  coding sheet --coder coder2 --sample --bom -o sheet-coder2.csv
  coding import --coder coder2 sheet-coder2.csv`,
  );
  command.action(
    async (flags: {
      workspace?: string;
      coder: string;
      sample?: boolean;
      uncoded?: boolean;
      output?: string;
      force?: boolean;
      bom?: boolean;
      delimiter: string;
    }) => {
      if (flags.delimiter.length !== 1)
        throw new UsageError(`--delimiter must be one character, received "${flags.delimiter}"`);
      const result = await makeSheet({
        cwd: process.cwd(),
        workspace: flags.workspace,
        coder: flags.coder,
        sample: flags.sample === true,
        uncoded: flags.uncoded === true,
        output: flags.output,
        force: flags.force === true,
        bom: flags.bom === true,
        delimiter: flags.delimiter,
      });
      if (result.output === undefined) writeData(result.text);
      else writeErr(`wrote ${result.rows} units to ${result.output}\n`);
    },
  );
}
