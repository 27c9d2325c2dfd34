import type { Command } from 'commander';
import { loadAnalysisData } from '../../app/final.js';
import { documentOfUnit } from '../../app/study.js';
import { UsageError } from '../../errors.js';
import { addFormatOption, addWorkspaceOption, asFormat } from '../common.js';
import { printFinding, renderRecords, writeData, writeOut } from '../output.js';

export function registerCodes(program: Command): void {
  const command = program
    .command('codes')
    .description(
      "each unit's codes: the final ones (adjudicated, else agreed, else the primary coder's) or one coder's",
    )
    .option('--final', 'final codes (the default)')
    .option('--coder <name>', "one coder's codes instead");
  addWorkspaceOption(command);
  addFormatOption(command, ['table', 'csv', 'json'], 'csv');
  command.addHelpText(
    'after',
    `
Columns: unit_id, doc_id, code (empty: reviewed, no code applies), source (adjudicated, agreed,
primary, single — coded by one coder only —, other, machine — a machine coder named coders.primary,
on a unit no person coded —, or coder).

Example:
  coding codes --final --format csv > final-codes.csv`,
  );
  command.action(async (flags: { workspace?: string; final?: boolean; coder?: string; format: string }) => {
    if (flags.final && flags.coder !== undefined)
      throw new UsageError('give --final or --coder NAME, not both');
    const data = await loadAnalysisData({
      cwd: process.cwd(),
      workspace: flags.workspace,
      coder: flags.coder,
    });
    for (const warning of data.set.warnings) printFinding(warning);
    const { codings, set } = data;
    const records: Array<Record<string, unknown>> = [];
    for (let position = 0; position < codings.size; position++) {
      const unitIndex = codings.units[position]!;
      const base = {
        unit_id: set.units.idAt(unitIndex),
        doc_id: documentOfUnit(set.units.idAt(unitIndex)),
        source: data.sources[position]!,
      };
      const codes = codings.codesAt(position);
      if (codes.length === 0) records.push({ ...base, code: '' });
      for (const code of codes) records.push({ ...base, code: set.codebook.codes[code]!.id });
    }
    const format = asFormat(flags.format);
    (format === 'table' ? writeOut : writeData)(
      renderRecords(records, ['unit_id', 'doc_id', 'code', 'source'], format),
    );
  });
}
