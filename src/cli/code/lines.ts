/**
 * The line mode of `coding code` (stdin is not a terminal): one key or command a line, so a
 * session can be scripted; a refused command stops the run, so a script never codes the wrong unit.
 */
import { createInterface } from 'node:readline';
import type { OpenedCodeSession } from '../../app/code-session.js';
import { parseLine } from '../../core/code-session.js';
import { writeErr } from '../output.js';
import { helpLines, keyLegend, renderScreen, type ScreenModel } from './screen.js';
import { type Ending, modelOf, type Stopper } from './session-model.js';

function printUnit(opened: OpenedCodeSession, width: number, message?: ScreenModel['message']): void {
  const lines = renderScreen(
    modelOf(opened, { message }),
    { width, height: Number.POSITIVE_INFINITY },
    { legend: false },
  );
  writeErr(`\n${lines.join('\n')}\n`);
}

function printState(opened: OpenedCodeSession): void {
  const { session } = opened;
  const unit = session.currentUnit;
  if (unit === undefined) return;
  const { draft } = session;
  const marked =
    draft.codes.length > 0
      ? draft.codes.map((code) => opened.study.codebook.codes[code]!.id).join(', ')
      : draft.none
        ? 'no code applies'
        : 'nothing marked';
  writeErr(`${unit}: ${marked}${session.changed ? ' (not saved yet: n saves)' : ''}\n`);
}

export async function runLines(opened: OpenedCodeSession, stopper: Stopper): Promise<Ending> {
  const { session } = opened;
  const codebook = opened.study.codebook;
  const width = Math.max(40, Math.min(process.stderr.isTTY ? (process.stderr.columns || 80) - 1 : 80, 120));
  // Lines are read through one buffered iterator, so input piped in all at once is not lost.
  const reader = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = reader[Symbol.asyncIterator]();
  writeErr(
    `keys, one a line: ${keyLegend(opened.keys).join(' · ')}; "g UNIT" goes to a unit, "m TEXT" sets the memo, a code id toggles that code\n`,
  );
  printUnit(opened, width);
  let lineNumber = 0;
  try {
    for (;;) {
      const next = await lines.next();
      if (stopper.stopping) return new Promise<Ending>(() => {}); // the interrupt ends the process
      if (next.done) return { kind: 'eof', line: lineNumber };
      lineNumber++;
      const step = (async (): Promise<Ending | undefined> => {
        const command = parseLine(next.value, codebook, opened.keys);
        if (command.kind === 'help') {
          const unitId = session.currentUnit;
          writeErr(
            `${helpLines(codebook, opened.keys, unitId === undefined ? undefined : opened.view(unitId), width).join('\n')}\n`,
          );
          return undefined;
        }
        if (command.kind === 'unknown') return { kind: 'refused', line: lineNumber, text: command.reason };
        const outcome = await opened.act(command);
        if (outcome.message?.tone === 'refused')
          return { kind: 'refused', line: lineNumber, text: outcome.message.text };
        if (outcome.quit) {
          if (outcome.message) writeErr(`${outcome.message.text}\n`);
          return { kind: 'quit' };
        }
        if (outcome.moved) printUnit(opened, width, outcome.message);
        else {
          if (outcome.message) writeErr(`${outcome.message.text}\n`);
          if (command.kind === 'toggle' || command.kind === 'none') printState(opened);
        }
        return undefined;
      })();
      stopper.inFlight = step;
      const ending = await step;
      if (ending) return ending;
    }
  } finally {
    reader.close();
  }
}
