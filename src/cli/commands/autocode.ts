import { type Command, Option } from 'commander';
import { autocodeDictionary, type DictionaryResult } from '../../app/autocode/dictionary.js';
import { autocodeMethods } from '../../app/autocode/store.js';
import { UsageError } from '../../errors.js';
import { addWorkspaceOption, writesWorkspace } from '../common.js';
import { count, renderTable, visibleLine, writeErr, writeOut } from '../output.js';

interface AutocodeFlags {
  workspace?: string;
  method: (typeof autocodeMethods)[number];
  as: string;
  ignoreAccents?: boolean;
  format: string;
}

function printDictionary(result: DictionaryResult, format: string): void {
  if (format === 'json') {
    writeOut(
      `${JSON.stringify(
        {
          coder: result.coder,
          method: 'dictionary',
          file: result.file,
          backup: result.backup ?? null,
          units: result.units,
          coded_units: result.codedUnits,
          exclusive_conflicts: result.exclusiveConflicts,
          codes: result.perCode,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  writeOut(
    renderTable(
      ['code', 'units'],
      result.perCode.map((row) => [row.code, row.units]),
      { right: new Set([1]) },
    ),
  );
  writeErr(
    `dictionary coder ${visibleLine(result.coder)}: ${count(result.units, 'unit')} reviewed, ${result.codedUnits} given a code → ${visibleLine(result.file)}\n`,
  );
  if (result.exclusiveConflicts > 0)
    writeErr(
      `note: in ${count(result.exclusiveConflicts, 'unit')} an exclusive category matched more than one code; the first in codebook order was kept (the memo names the others)\n`,
    );
  if (result.backup) writeErr(`the previous codes are in ${visibleLine(result.backup)}\n`);
}

export function registerAutocode(program: Command): void {
  const command = program
    .command('autocode')
    .description('code units by machine (dictionary patterns), stored as the annotations of a machine coder')
    .addOption(
      new Option('--method <method>', 'how to code').choices([...autocodeMethods]).makeOptionMandatory(),
    )
    .requiredOption('--as <name>', 'the machine coder’s name: its codes go to annotations/NAME.csv')
    .option('--ignore-accents', 'dictionary: match "mexico" to "México" (accents ignored on both sides)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    );
  addWorkspaceOption(command);
  writesWorkspace(command);
  command.addHelpText(
    'after',
    `
A machine coder is a coder like any other: merge, reliability, themes and report read its
annotations/NAME.csv. It never replaces a person's codes: NAME must be new, or a machine coder of the
same method (whose previous file is then kept in annotations/.backup/). annotations/NAME.autocode.json
records the method, its parameters and provenance.

Examples:
  coding autocode --method dictionary --as dictionary
  coding reliability --coders coder1,dictionary`,
  );
  command.action(async (flags: AutocodeFlags) => {
    const base = { cwd: process.cwd(), workspace: flags.workspace, coder: flags.as };
    if (flags.method === 'dictionary') {
      printDictionary(
        await autocodeDictionary({ ...base, ignoreAccents: flags.ignoreAccents === true }),
        flags.format,
      );
      return;
    }
    throw new UsageError(`--method ${flags.method} is not available yet`);
  });
}
