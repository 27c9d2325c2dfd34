import path from 'node:path';
import chalk from 'chalk';
import { type Command, Option } from 'commander';
import { type MergeRow, mergeCoders, mergeColumns } from '../../app/merge.js';
import { InputError } from '../../errors.js';
import { AtomicWriteStream, exists } from '../../io/atomic.js';
import { csvLine } from '../../io/csv-write.js';
import { addWorkspaceOption, collect, parseList } from '../common.js';
import { count, printFinding, renderTable, visibleLine, writeData, writeErr, writeOut } from '../output.js';

function rowCells(row: MergeRow, coderA: string, coderB: string): string[] {
  return [
    row.unit_id,
    row.doc_id,
    row.text,
    coderA,
    row.codes_a.join(' '),
    coderB,
    row.codes_b.join(' '),
    row.agree ? '1' : '0',
    row.only_a.join(' '),
    row.only_b.join(' '),
  ];
}

const percent = (value: number | null): string => (value === null ? '—' : `${(100 * value).toFixed(1)} %`);

export function registerMerge(program: Command): void {
  const command = program
    .command('merge')
    .description(
      "two coders side by side: each unit's codes, agreement per code, and the disagreements for adjudication",
    )
    .option(
      '--coders <a,b>',
      'the two coders (default: coding.yaml coders, or the two in the files)',
      parseList,
    )
    .option(
      '--annotations <file>',
      'explicit annotation files instead of the workspace (repeatable; long unit_id,coder,code or one file per coder; - for stdin)',
      collect,
    )
    .option('--codebook <file>', 'codebook for --annotations files')
    .option('--codes <a,b,c>', 'the codes, for --annotations files without a codebook', parseList)
    .option('--disagreements', 'only units where the coders differ')
    .option('-o, --output <file>', 'write the per-unit table as CSV to this file')
    .option('--force', 'overwrite the output file')
    .addOption(
      new Option('-f, --format <format>', 'output format on stdout')
        .choices(['table', 'csv', 'json'])
        .default('table'),
    );
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
The per-unit CSV has the columns ${mergeColumns.join(', ')}
(codes separated by spaces; agree is 1 when both coders gave exactly the same codes).
Disagreements come in corpus order: document by document, in reading order.

Examples:
  coding merge --coders coder1,coder2
  coding merge --disagreements -o reports/disagreements.csv
  coding merge --annotations coder-a.csv --annotations coder-b.csv --codes ntb,tariffs --format json`,
  );
  command.action(
    async (flags: {
      workspace?: string;
      coders?: string[];
      annotations?: string[];
      codebook?: string;
      codes?: string[];
      disagreements?: boolean;
      output?: string;
      force?: boolean;
      format: 'table' | 'csv' | 'json';
    }) => {
      let outputFile: string | undefined;
      if (flags.output !== undefined) {
        outputFile = path.resolve(flags.output);
        if ((await exists(outputFile)) && !flags.force)
          throw new InputError(`${flags.output} exists already`, {
            hint: 'choose another file, or pass --force.',
          });
      }
      const merge = await mergeCoders({
        cwd: process.cwd(),
        workspace: flags.workspace,
        coders: flags.coders,
        annotations: flags.annotations,
        codebook: flags.codebook,
        codes: flags.codes,
      });
      for (const warning of merge.set.warnings) printFinding(warning);
      const { coderA, coderB, summary } = merge;
      const wanted = (row: MergeRow): boolean => !flags.disagreements || !row.agree;
      // One pass over the units feeds every output asked for.
      const output = outputFile ? new AtomicWriteStream(outputFile) : undefined;
      const jsonUnits: MergeRow[] = [];
      const shown: MergeRow[] = [];
      let disagreementCount = 0;
      if (flags.format === 'csv') writeData(csvLine(mergeColumns));
      try {
        await output?.write(csvLine(mergeColumns));
        for await (const row of merge.rows()) {
          if (!row.agree) {
            disagreementCount++;
            if (shown.length < 100) shown.push(row);
          }
          if (!wanted(row)) continue;
          const line =
            output || flags.format === 'csv'
              ? csvLine(rowCells(row, coderA, coderB), { neutraliseFormulas: true })
              : '';
          if (output) await output.write(line);
          if (flags.format === 'csv') writeData(line);
          else if (flags.format === 'json') jsonUnits.push(row);
        }
        await output?.commit();
      } catch (error) {
        await output?.abort();
        throw error;
      }
      if (output) writeErr(`wrote ${visibleLine(flags.output)}\n`);
      if (flags.format === 'csv') return;
      if (flags.format === 'json') {
        writeData(
          `${JSON.stringify({ coders: [coderA, coderB], n_units: summary.n, identical: summary.identical, only_a: summary.onlyA, only_b: summary.onlyB, codes: merge.codes, units: jsonUnits }, null, 2)}\n`,
        );
        return;
      }
      writeOut(
        `${chalk.bold(`${visibleLine(coderA)} and ${visibleLine(coderB)}`)}: ${summary.n} units reviewed by both, ${summary.identical} coded identically (${percent(summary.identical / summary.n)}); ` +
          `${summary.onlyA} reviewed by ${visibleLine(coderA)} only, ${summary.onlyB} by ${visibleLine(coderB)} only\n\n`,
      );
      writeOut(
        renderTable(
          ['code', 'both', `only ${coderA}`, `only ${coderB}`, 'neither', 'agreement'],
          merge.codes.map((code) => [
            code.code,
            code.both,
            code.only_a,
            code.only_b,
            code.neither,
            percent(code.agreement),
          ]),
          { right: new Set([1, 2, 3, 4, 5]) },
        ),
      );
      writeOut(
        `\n${chalk.bold(count(disagreementCount, 'disagreement'))}${disagreementCount > 0 ? ' (corpus order)' : ''}\n`,
      );
      if (shown.length > 0) {
        writeOut(
          renderTable(
            ['unit', `only ${coderA}`, `only ${coderB}`, 'text'],
            shown.map((row) => [
              row.unit_id,
              row.only_a.join(' ') || '—',
              row.only_b.join(' ') || '—',
              row.text,
            ]),
            { maxCellWidth: 70 },
          ),
        );
      }
      if (disagreementCount > shown.length) {
        writeOut(
          chalk.dim(
            `… and ${disagreementCount - shown.length} more: write them all with -o FILE --disagreements\n`,
          ),
        );
      }
    },
  );
}
