import chalk from 'chalk';
import type { Command } from 'commander';
import { reproduce } from '../../app/reproduce.js';
import { CheckFailed } from '../../errors.js';
import { addWorkspaceOption, writesWorkspace } from '../common.js';
import { renderTable, writeOut } from '../output.js';

const mark = { ok: chalk.green('✓'), failed: chalk.red('✗'), skipped: chalk.yellow('–') };

export function registerReproduce(program: Command): void {
  const command = program
    .command('reproduce')
    .description(
      "run the study end to end — corpus, codebook, sample, merge, reliability, adjudication, themes, report — and compare with the paper's figures",
    )
    .option('-o, --output <dir>', 'folder of the report (default: reports/ in the workspace)');
  addWorkspaceOption(command);
  writesWorkspace(command, (flags) =>
    typeof flags['output'] === 'string' ? { output: flags['output'] } : true,
  );
  command.addHelpText(
    'after',
    `
Exits 1 when a step fails or a figure the paper reports (coding.yaml, paper:) is not reproduced.

Example (the bundled study, from the repository root):
  coding reproduce`,
  );
  command.action(async (flags: { workspace?: string; output?: string }) => {
    const result = await reproduce({
      cwd: process.cwd(),
      workspace: flags.workspace,
      output: flags.output,
      onStep: (step) => writeOut(`${mark[step.status]} ${chalk.bold(step.name.padEnd(13))}${step.detail}\n`),
    });
    writeOut(`\n${chalk.bold('Paper and reproduction')}\n`);
    writeOut(
      renderTable(
        ['figure', 'paper', 'reproduced', ''],
        result.comparisons.map((comparison) => [
          comparison.figure,
          comparison.paper,
          comparison.reproduced,
          comparison.matches === undefined ? '' : comparison.matches ? 'same' : 'DIFFERENT',
        ]),
        { maxCellWidth: 60 },
      ),
    );
    if (!result.reproduced) {
      throw new CheckFailed('the study was not reproduced: see the steps and figures above');
    }
    writeOut(
      chalk.green(
        `\nreproduced${result.reportFolder ? `; the report is in ${result.reportFolder}/report.html` : ''}\n`,
      ),
    );
  });
}
