/**
 * The terminal mode of `coding code`: single keys in raw mode → session commands → the screen.
 * Every decision is on disk (`opened.act`) before the next screen is drawn.
 */
import { emitKeypressEvents } from 'node:readline';
import chalk from 'chalk';
import type { OpenedCodeSession } from '../../app/code-session.js';
import { parseLine, type SessionCommand } from '../../core/code-session.js';
import { keyAction, type PromptKind, promptCommand } from '../../core/code-view.js';
import { clip, helpLines, layoutScreen, type ScreenModel } from './screen.js';
import { type Ending, modelOf, type Stopper } from './session-model.js';

interface Prompt {
  label: string;
  text: string;
  submit(text: string): SessionCommand | { refused: string } | undefined;
}

export async function runTerminal(
  opened: OpenedCodeSession,
  output: NodeJS.WriteStream,
  stopper: Stopper,
  interrupt: (signal: NodeJS.Signals) => void,
): Promise<Ending> {
  const { session } = opened;
  const codebook = opened.study.codebook;
  const input = process.stdin;
  // What the start did (a stale lock taken over, decisions recovered) is shown on the first screen too.
  const notes = [...opened.notices, ...opened.warnings.map((warning) => warning.message)];
  let message: ScreenModel['message'] =
    notes.length === 0
      ? undefined
      : {
          text: `${notes[0]}${notes.length > 1 ? ` (+${notes.length - 1} more notes, printed when you quit)` : ''}`,
          tone: 'info',
        };
  let prompt: Prompt | undefined;
  let help: { lines: string[]; page: number } | undefined;
  // The page of a unit longer than the screen, and how many it has (from the last drawing).
  let unitPage = 0;
  let unitPages = 1;
  const prompts: Record<PromptKind, () => Prompt> = {
    goto: () => ({
      label: 'go to unit (Enter: go, Esc: cancel): ',
      text: '',
      submit: (answer) => promptCommand('goto', answer),
    }),
    memo: () => ({
      label: 'memo (Enter: keep, Esc: cancel): ',
      text: session.draft.memo,
      submit: (answer) => promptCommand('memo', answer),
    }),
    code: () => ({
      label: 'code id (Enter: toggle, Esc: cancel): ',
      text: '',
      submit: (answer) => {
        const id = answer.trim();
        if (id === '') return undefined;
        const line = parseLine(`: ${id}`, codebook, opened.keys);
        return line.kind === 'toggle'
          ? line
          : { refused: line.kind === 'unknown' ? line.reason : `"${id}" is not a code` };
      },
    }),
  };

  const size = (): { width: number; height: number } => ({
    // One column is left free: a line that fills the last column would wrap on some terminals.
    width: Math.max(20, (output.columns || 80) - 1),
    height: Math.max(10, output.rows || 24),
  });
  const paint = (lines: string[]): void => {
    if (stopper.terminalGone) return;
    output.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\r\n')}\x1b[J`);
  };
  const render = (): void => {
    const { width, height } = size();
    if (help) {
      const pageSize = height - 1;
      const pages = Math.max(1, Math.ceil(help.lines.length / pageSize));
      help.page = Math.min(help.page, pages - 1);
      const shown = help.lines.slice(help.page * pageSize, (help.page + 1) * pageSize);
      while (shown.length < pageSize) shown.push('');
      shown.push(
        chalk.inverse(
          clip(
            `page ${help.page + 1} / ${pages} · space next page · p previous · any other key: back to the unit`,
            width,
          ),
        ),
      );
      paint(shown);
      return;
    }
    const screen = layoutScreen(
      {
        ...modelOf(opened, {
          message,
          prompt: prompt ? { label: prompt.label, text: prompt.text } : undefined,
        }),
        unitPage,
      },
      { width, height },
    );
    unitPages = screen.unitPages;
    unitPage = Math.min(unitPage, unitPages - 1);
    paint(screen.lines);
  };

  return new Promise<Ending>((resolve, reject) => {
    let finished = false;
    const end = (ending: Ending): void => {
      if (finished) return;
      finished = true;
      input.off('keypress', onKeypress);
      input.off('end', onEnd);
      output.off('resize', render);
      resolve(ending);
    };
    const apply = async (command: SessionCommand): Promise<void> => {
      // On the disk when act resolves, before the next screen.
      const outcome = await opened.act(command);
      message = outcome.message;
      if (outcome.moved) unitPage = 0;
      if (outcome.quit) end({ kind: 'quit' });
      else render();
    };
    const handle = async (
      text: string | undefined,
      key: { name?: string; ctrl?: boolean; meta?: boolean; sequence?: string },
    ): Promise<void> => {
      if (finished || stopper.stopping) return;
      if (key.ctrl && key.name === 'c') {
        interrupt('SIGINT');
        return;
      }
      if (prompt) {
        if (key.name === 'return' || key.name === 'enter') {
          const answer = prompt.submit(prompt.text);
          prompt = undefined;
          if (answer === undefined) render();
          else if ('refused' in answer) {
            message = { text: answer.refused, tone: 'refused' };
            render();
          } else await apply(answer);
        } else if (key.name === 'escape') {
          prompt = undefined;
          render();
        } else if (key.name === 'backspace') {
          prompt.text = Array.from(prompt.text).slice(0, -1).join('');
          render();
        } else if (key.ctrl && key.name === 'u') {
          prompt.text = '';
          render();
        } else if (text !== undefined && !key.ctrl && !key.meta && /^[^\x00-\x1f\x7f]+$/u.test(text)) {
          prompt.text += text;
          render();
        }
        return;
      }
      if (help) {
        if (text === ' ' || text === 'n' || key.name === 'pagedown' || key.name === 'down') help.page++;
        else if (text === 'p' || text === 'b' || key.name === 'pageup' || key.name === 'up')
          help.page = Math.max(0, help.page - 1);
        else help = undefined;
        render();
        return;
      }
      message = undefined;
      if (key.ctrl && key.name === 'd') return apply({ kind: 'quit' });
      if (key.name === 'return' || key.name === 'enter' || key.name === 'right')
        return apply({ kind: 'next' });
      if (key.name === 'left') return apply({ kind: 'previous' });
      // Paging through a unit longer than the screen.
      if (text === ' ' || key.name === 'pagedown') {
        unitPage = Math.min(unitPage + 1, Math.max(0, unitPages - 1));
        render();
        return;
      }
      if (key.name === 'pageup') {
        unitPage = Math.max(0, unitPage - 1);
        render();
        return;
      }
      const action = keyAction(text ?? '', opened.keys);
      switch (action.kind) {
        case 'command':
          return apply(action.command);
        case 'prompt':
          prompt = prompts[action.prompt]();
          render();
          return;
        case 'help': {
          const unitId = session.currentUnit;
          help = {
            lines: helpLines(
              codebook,
              opened.keys,
              unitId === undefined ? undefined : opened.view(unitId),
              size().width,
            ),
            page: 0,
          };
          render();
          return;
        }
        case 'unknown':
          if (text !== undefined && text !== '' && !key.ctrl && key.name !== 'escape') {
            message = {
              text: `"${text}" is not a key here: the keys are listed below (? shows the codes)`,
              tone: 'refused',
            };
          }
          render();
      }
    };
    const onKeypress = (
      text: string | undefined,
      key: { name?: string; ctrl?: boolean; meta?: boolean; sequence?: string } | undefined,
    ): void => {
      stopper.inFlight = stopper.inFlight
        .then(() => handle(text, key ?? {}))
        .catch((error: unknown) => {
          if (!finished) {
            finished = true;
            reject(error);
          }
        });
    };
    // The terminal went away without a hangup signal: end as on one.
    const onEnd = (): void => interrupt('SIGHUP');
    emitKeypressEvents(input);
    input.setRawMode(true);
    input.on('keypress', onKeypress);
    input.on('end', onEnd);
    output.on('resize', render);
    input.resume();
    render();
  });
}
