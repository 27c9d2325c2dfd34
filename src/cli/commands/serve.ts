/**
 * `coding serve`: the coding and adjudication pages in a browser. Prints one link per coder (and
 * one for adjudication), each with its own token; runs until Ctrl-C or SIGTERM, then folds every
 * coder's journal into their file and releases the locks.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import chalk from 'chalk';
import type { Command } from 'commander';
import { isLoopback } from '../../app/serve/security.js';
import { type RunningServer, startServer } from '../../app/serve/server.js';
import { UsageError } from '../../errors.js';
import { addWorkspaceOption, collect } from '../common.js';
import { count, printFinding, writeErr, writeOut } from '../output.js';

function defaultDecider(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`--port ${value}: expected a port number from 0 to 65535 (0: a free one)`);
  return port;
}

/** Open a link in the default browser; a failure is only a note (the link is printed anyway). */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () =>
      writeErr(`${chalk.cyan('note:')} could not open a browser; open the link above\n`),
    );
    child.unref();
  } catch {
    writeErr(`${chalk.cyan('note:')} could not open a browser; open the link above\n`);
  }
}

function printSummary(results: Awaited<ReturnType<RunningServer['close']>>): void {
  for (const { coder, result, decisions, error } of results) {
    if (error !== undefined) {
      writeErr(
        `${coder}: the journal could not be folded (${error}); it is kept in annotations/${coder}.journal and folded at the next start\n`,
      );
      continue;
    }
    const stored = result?.stored;
    writeErr(
      stored?.written
        ? `${coder}: annotations/${coder}.csv saved (${count(stored.units.added, 'unit')} added, ${stored.units.replaced} changed since the last save)\n`
        : decisions === 0
          ? `${coder}: no decision in this session; annotations/${coder}.csv is as it was\n`
          : `${coder}: every decision is in annotations/${coder}.csv\n`,
    );
  }
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('code and adjudicate in the browser: a local web server with one link per coder')
    .option('--coder <name>', 'a coder to serve (repeatable; default: the coders of coding.yaml)', collect)
    .option('--sample', 'only the units of the double-coding sample (annotations/sample.csv)')
    .option('--uncoded', 'only the units each coder had not reviewed when the server starts')
    .option('--port <n>', 'the port (default: a free one)', parsePort, 0)
    .option(
      '--host <address>',
      'the address to listen on (default: 127.0.0.1, this computer only)',
      '127.0.0.1',
    )
    .option('--open', "open the first coder's link in the default browser")
    .option(
      '--by <name>',
      'who decides on the adjudication page (recorded with each decision)',
      defaultDecider(),
    );
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
Each link carries a token of its own: a coder's link opens that coder's page only (coding is
blind: it never shows another coder's codes); the adjudication link shows the disagreements. The
keys are those of coding code: 1–9 and letters toggle a code, 0 "no code applies", n or Enter
saves and goes on, p back, u next not reviewed, m memo, g go to a unit, ? help.

Every decision goes through the journal of coding code (annotations/<name>.journal, on disk before
the page says "saved"), and is folded into annotations/<name>.csv when the coder pauses and when
the server stops (Ctrl-C). While it runs, the coders' locks keep coding code for them out.

Examples:
  coding serve --sample
  coding serve --coder ana --open
  coding serve --port 8080`,
  );
  command.action(
    async (flags: {
      coder?: string[];
      sample?: boolean;
      uncoded?: boolean;
      port: number;
      host: string;
      open?: boolean;
      by: string;
      workspace?: string;
    }) => {
      if (!isLoopback(flags.host))
        writeErr(
          `${chalk.yellow('warning:')} --host ${flags.host}: the pages can be reached from other computers; anyone who has a link can code as that coder. The traffic is not encrypted.\n`,
        );
      const running = await startServer({
        cwd: process.cwd(),
        workspace: flags.workspace,
        coders: flags.coder,
        sample: flags.sample === true,
        uncoded: flags.uncoded === true,
        host: flags.host,
        port: flags.port,
        by: flags.by,
      });
      for (const notice of running.notices) writeErr(`${chalk.cyan('note:')} ${notice}\n`);
      for (const warning of running.warnings) printFinding(warning);
      writeOut(
        `${running.links.map((link) => `${link.role === 'coder' ? `coder ${link.who}` : 'adjudication'}: ${link.url}`).join('\n')}\n`,
      );
      writeErr('each link is for one person; Ctrl-C stops the server and saves every coder’s file\n');
      if (flags.open && running.links[0]) openInBrowser(running.links[0].url);

      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals): void => {
          if (stopping) return;
          stopping = true;
          writeErr(`\nstopping (${signal})…\n`);
          void running.close().then(
            (results) => {
              printSummary(results);
              for (const name of signals) process.off(name, handlers[name]);
              resolve();
            },
            (error: unknown) => {
              writeErr(`could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
              resolve();
            },
          );
        };
        const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
        const handlers = Object.fromEntries(signals.map((name) => [name, () => stop(name)])) as Record<
          (typeof signals)[number],
          () => void
        >;
        for (const name of signals) process.on(name, handlers[name]);
      });
    },
  );
}
