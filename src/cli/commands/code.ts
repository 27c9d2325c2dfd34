/**
 * `coding code --coder NAME`: code units in the terminal, one screen per unit. On a terminal it
 * reads single keys (raw mode); with stdin from a pipe or file it reads one key or command per line,
 * so it can be scripted. Every decision is in the journal before the next screen; signals (Ctrl-C,
 * SIGTERM, a closed terminal) fold the journal and release the lock before the process ends.
 */
import os from 'node:os';
import chalk from 'chalk';
import type { Command } from 'commander';
import { type OpenedCodeSession, openCodeSession } from '../../app/code-session.js';
import type { FoldResult } from '../../app/journal-fold.js';
import { InputError } from '../../errors.js';
import { runLines } from '../code/lines.js';
import { type Ending, type Stopper, scopeLabel } from '../code/session-model.js';
import { runTerminal } from '../code/terminal.js';
import { addWorkspaceOption } from '../common.js';
import { count, printFinding, writeErr } from '../output.js';

function summary(opened: OpenedCodeSession, result: FoldResult | undefined): string {
  const { session } = opened;
  const made = opened.decisionsMade;
  const { total, left } = session.progress;
  const lines: string[] = [];
  const stored = result?.stored;
  if (stored?.written) {
    lines.push(
      `${count(made, 'decision')} this session → ${opened.shown.csv} (${stored.units.added} unit${stored.units.added === 1 ? '' : 's'} added, ${stored.units.replaced} changed)`,
    );
    if (stored.backup) lines.push(`the previous file is kept in ${stored.backup}`);
  } else lines.push(`${count(made, 'decision')} this session; ${opened.shown.csv} is unchanged`);
  lines.push(`${total - left} of ${count(total, 'unit')} ${scopeLabel(opened)} reviewed, ${left} left`);
  return `${lines.join('\n')}\n`;
}

function resumeHint(
  opened: OpenedCodeSession,
  flags: { sample?: boolean; uncoded?: boolean; workspace?: string },
): string {
  const parts = ['coding code', '--coder', opened.coder];
  if (flags.sample) parts.push('--sample');
  if (flags.uncoded) parts.push('--uncoded');
  if (flags.workspace !== undefined) parts.push('-w', flags.workspace);
  return `go on with: ${parts.join(' ')}\n`;
}

export function registerCode(program: Command): void {
  const command = program
    .command('code')
    .description('code units in the terminal, one screen per unit; every decision is on disk as it is made')
    .requiredOption('--coder <name>', 'who codes: the codes go to annotations/<name>.csv')
    .option('--sample', 'only the units of the double-coding sample (annotations/sample.csv)')
    .option('--from <unit>', 'start at this unit (default: where the last session stopped)')
    .option('--uncoded', 'only the units you had not reviewed when the session starts');
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
Keys (shown on screen): 1–9 and letters toggle a code (in an exclusive category a second code
replaces the first); 0 marks "reviewed, no code applies"; n or Enter saves and goes on; p goes
back; g jumps to a unit; u goes to the next unit not reviewed; m sets the unit's memo; : toggles a
code by id; ? shows the whole unit and the codes' definitions and rules; q saves and quits.
n on a unit with nothing marked skips it: it stays "not reviewed", which is not "no code".

Every decision is appended to annotations/<name>.journal (flushed to disk) before the next screen,
and folded into annotations/<name>.csv when the session ends and when the next one starts; killing
the terminal loses at most the unit on screen. annotations/<name>.lock keeps a second session for
the same coder out.

With stdin not a terminal, each line is one key or command: 1, n, 0, p, u, q, ?, "g UNIT",
"m MEMO TEXT", or a code id. A line that cannot be carried out stops the session (exit 2).

Examples:
  coding code --coder ana --sample
  coding code --coder ana --from call:3
  printf '1\\nn\\n0\\nn\\nq\\n' | coding code --coder ana`,
  );
  command.action(
    async (flags: {
      coder: string;
      sample?: boolean;
      from?: string;
      uncoded?: boolean;
      workspace?: string;
    }) => {
      const opened = await openCodeSession({
        cwd: process.cwd(),
        workspace: flags.workspace,
        coder: flags.coder,
        sample: flags.sample === true,
        from: flags.from,
        uncoded: flags.uncoded === true,
      });
      const onExit = (): void => opened.releaseSync();
      process.on('exit', onExit);
      for (const notice of opened.notices) writeErr(`${chalk.cyan('note:')} ${notice}\n`);
      for (const warning of opened.warnings) printFinding(warning);
      const configured = opened.study.workspace.config.coders.names;
      if (configured.length > 0 && !configured.includes(opened.coder))
        writeErr(
          `${chalk.cyan('note:')} ${opened.coder} is not among the coders of coding.yaml (${configured.join(', ')}); add the name there for the commands that read the coders from it\n`,
        );
      if (opened.session.units.length === 0) {
        await opened.finish();
        writeErr(
          `nothing to code: every unit in ${opened.scope === 'sample' ? 'the sample' : 'the corpus'} is reviewed already (leave out --uncoded to revisit them)\n`,
        );
        return;
      }

      const output = process.stdout.isTTY
        ? process.stdout
        : process.stderr.isTTY
          ? process.stderr
          : undefined;
      const terminal = process.stdin.isTTY === true && output !== undefined;
      const stopper: Stopper = { inFlight: Promise.resolve(), stopping: false, terminalGone: false };
      let leaveScreen = (): void => {};

      const interrupt = (signal: NodeJS.Signals): void => {
        if (stopper.stopping) return;
        stopper.stopping = true;
        if (signal === 'SIGHUP') stopper.terminalGone = true;
        void (async () => {
          const unsaved = opened.session.changed ? opened.session.currentUnit : undefined;
          await stopper.inFlight.catch(() => {});
          leaveScreen();
          let result: FoldResult | undefined;
          let failure: unknown;
          try {
            result = await opened.finish();
          } catch (error) {
            failure = error;
          }
          if (!stopper.terminalGone) {
            writeErr(
              `\nstopped (${signal})${unsaved ? `: the changes to ${unsaved} on screen were not saved` : ''}\n`,
            );
            if (failure)
              writeErr(
                `the journal could not be folded: ${failure instanceof Error ? failure.message : String(failure)}; it is kept in ${opened.shown.journal} and folded at the next start\n`,
              );
            else writeErr(summary(opened, result));
          }
          process.exit(128 + (os.constants.signals[signal] ?? 1));
        })();
      };
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
      const handlers = signals.map((signal) => {
        const handler = (): void => interrupt(signal);
        process.on(signal, handler);
        return [signal, handler] as const;
      });

      let ending: Ending;
      try {
        if (terminal && output) {
          output.write('\x1b[?1049h\x1b[?25l');
          leaveScreen = () => {
            leaveScreen = () => {};
            if (stopper.terminalGone) return;
            try {
              process.stdin.setRawMode(false);
            } catch {
              // The terminal is gone.
            }
            output.write('\x1b[?25h\x1b[?1049l');
          };
          try {
            ending = await runTerminal(opened, output, stopper, interrupt);
          } finally {
            if (!stopper.stopping) {
              leaveScreen();
              process.stdin.pause();
            }
          }
        } else ending = await runLines(opened, stopper);
      } catch (error) {
        if (!stopper.stopping) {
          // Signals from here on wait for the fold instead of starting another.
          stopper.stopping = true;
          try {
            await opened.finish();
          } catch (foldError) {
            writeErr(
              `the journal could not be folded (${foldError instanceof Error ? foldError.message : String(foldError)}); it is kept in ${opened.shown.journal} and folded at the next start\n`,
            );
          } finally {
            for (const [signal, handler] of handlers) process.off(signal, handler);
          }
        }
        throw error;
      }
      if (stopper.stopping) return new Promise<void>(() => {}); // the interrupt ends the process
      stopper.stopping = true;
      const unsaved = opened.session.changed ? opened.session.currentUnit : undefined;
      let result: FoldResult;
      try {
        result = await opened.finish();
      } finally {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      }
      process.off('exit', onExit);
      writeErr(summary(opened, result));
      if (ending.kind === 'refused') {
        throw new InputError(ending.text, {
          location: { file: '<stdin>', line: ending.line },
          hint: `the session stopped there so that no code lands on the wrong unit; the decisions before it are saved. ${resumeHint(opened, flags).trim()}`,
        });
      }
      if (ending.kind === 'eof') {
        if (unsaved !== undefined) {
          throw new InputError(
            `the input ended (after line ${ending.line}) with changes to ${unsaved} that were not saved`,
            {
              hint: `end each unit with n (or an empty line) and the input with q; the decisions before it are saved. ${resumeHint(opened, flags).trim()}`,
            },
          );
        }
        writeErr('the input ended: stopped as with q\n');
      }
    },
  );
}
