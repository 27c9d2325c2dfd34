/**
 * The `coding` command line: one subcommand per step of a content analysis. Commands parse their
 * flags, call one function, and print; the one catch below maps errors to exit codes
 * (0 ok, 1 a check the user asked for failed, 2 bad input or usage).
 */
import { Command, CommanderError } from 'commander';
import { CodingError } from '../errors.js';
import { fileSystemError, isSystemError, systemErrorCause } from '../io/fs-errors.js';
import { toolVersion } from '../version.js';
import { registerAdjudicate } from './commands/adjudicate.js';
import { registerCode } from './commands/code.js';
import { registerCodebook } from './commands/codebook.js';
import { registerCodes } from './commands/codes.js';
import { registerCorpus } from './commands/corpus.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerMerge } from './commands/merge.js';
import { registerPlan } from './commands/plan.js';
import { registerReliability } from './commands/reliability.js';
import { registerReport } from './commands/report.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerSample } from './commands/sample.js';
import { registerServe } from './commands/serve.js';
import { registerSheet } from './commands/sheet.js';
import { registerThemes } from './commands/themes.js';
import { printError, visibleBlock, writeErr } from './output.js';
import { installWriteLock } from './write-lock.js';

export function buildProgram(): Command {
  const program = new Command('coding');
  program
    .description(
      'Reproducible qualitative content analysis: corpus, codebook, double coding, reliability, themes, reports.',
    )
    .version(toolVersion, '-V, --version')
    .option('--verbose', 'show stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerInit(program);
  registerImport(program);
  registerCorpus(program);
  registerCodebook(program);
  registerPlan(program);
  registerSample(program);
  registerSheet(program);
  registerMerge(program);
  registerReliability(program);
  registerAdjudicate(program);
  registerCodes(program);
  registerCode(program);
  registerServe(program);
  registerExport(program);
  registerThemes(program);
  registerReport(program);
  registerReproduce(program);
  return program;
}

function handleOutputErrors(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // A reader that stops early (`coding corpus units | head`) is not a failure.
    if (error.code === 'EPIPE') process.exit(0);
    // A full disk or device (`> /dev/full`): say so, and fail.
    const cause = isSystemError(error) ? systemErrorCause(error) : error.message;
    if (name === 'standard output')
      process.stderr.write(
        `error: cannot write to ${name}: ${cause}\nhint: what was printed is incomplete; free space on the device it goes to, or send it elsewhere.\n`,
      );
    process.exit(2);
  });
}

export async function main(argv: string[]): Promise<number> {
  handleOutputErrors(process.stdout, 'standard output');
  handleOutputErrors(process.stderr, 'standard error');
  const program = buildProgram();
  const writeLock = installWriteLock(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (caught) {
    // Node's file system errors that a person can fix (a full disk, a read-only study…) are input errors.
    const error = isSystemError(caught) ? fileSystemError(caught) : caught;
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (error instanceof CodingError) {
      printError(error);
      if (program.opts()['verbose'] && error.stack) writeErr(`${error.stack}\n`);
      return error.exitCode;
    }
    const shown =
      error instanceof Error ? (program.opts()['verbose'] ? error.stack : error.message) : String(error);
    writeErr(
      `internal error: ${visibleBlock(shown ?? '')}\nThis is a bug in coding ${toolVersion}; please report it with the command you ran${program.opts()['verbose'] ? '' : ' and the output of --verbose'}.\n`,
    );
    return 70;
  } finally {
    await writeLock.release();
  }
}

const code = await main(process.argv);
process.exitCode = code;
