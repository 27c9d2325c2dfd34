/**
 * The terminal mode of `coding code`: single keys in raw mode → session commands → the screen.
 * Every decision is on disk (`opened.act`) before the next screen is drawn.
 */
import { emitKeypressEvents } from 'node:readline';
import chalk from 'chalk';
import type { OpenedCodeSession } from '../../app/code-session.js';
import { parseLine, type SessionCommand } from '../../core/code-session.js';
import { keyAction, type PromptKind, promptCommand } from '../../core/code-view.js';
import { helpLines, layoutScreen, type ScreenModel } from './screen.js';
import { clip } from './screen-text.js';
import { type Ending, modelOf, type Stopper } from './session-model.js';

interface Prompt {
  label: string;
  text: string;
  submit(text: string): SessionCommand | { refused: string } | undefined;
}

/** A key as readline's keypress event describes it. */
interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  sequence?: string;
}

/** The help screen while it is open: its lines and the page shown. */
interface Help {
  lines: string[];
  page: number;
}

/** The prompts a key opens: the label, the text it starts with, and what its answer does. */
const prompts: Record<PromptKind, (opened: OpenedCodeSession) => Prompt> = {
  goto: () => ({
    label: 'go to unit (Enter: go, Esc: cancel): ',
    text: '',
    submit: (answer) => promptCommand('goto', answer),
  }),
  memo: (opened) => ({
    label: 'memo (Enter: keep, Esc: cancel): ',
    text: opened.session.draft.memo,
    submit: (answer) => promptCommand('memo', answer),
  }),
  code: (opened) => ({
    label: 'code id (Enter: toggle, Esc: cancel): ',
    text: '',
    submit: (answer) => {
      const id = answer.trim();
      if (id === '') return undefined;
      const line = parseLine(`: ${id}`, opened.study.codebook, opened.keys);
      return line.kind === 'toggle'
        ? line
        : { refused: line.kind === 'unknown' ? line.reason : `"${id}" is not a code` };
    },
  }),
};

/** The first note of the start (a stale lock taken over, decisions recovered) for the first screen. */
function startMessage(opened: OpenedCodeSession): ScreenModel['message'] {
  const notes = [...opened.notices, ...opened.warnings.map((warning) => warning.message)];
  return notes.length === 0
    ? undefined
    : {
        text: `${notes[0]}${notes.length > 1 ? ` (+${notes.length - 1} more notes, printed when you quit)` : ''}`,
        tone: 'info',
      };
}

/** One page of the help screen with its status line; a page past the end (after a resize) becomes the last. */
function helpPage(help: Help, width: number, height: number): string[] {
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
  return shown;
}

export async function runTerminal(
  opened: OpenedCodeSession,
  output: NodeJS.WriteStream,
  stopper: Stopper,
  interrupt: (signal: NodeJS.Signals) => void,
): Promise<Ending> {
  return new TerminalSession(opened, output, stopper, interrupt).run();
}

/**
 * One run of the terminal mode: what the screen shows (message, open prompt or help, the page of
 * the unit) and the keys that change it, until the coder quits or an error ends the run.
 */
/** The fewest rows a screen is drawn in: the header, a line of the unit, the codes and the keys. */
const minimumRows = 10;

class TerminalSession {
  private readonly input = process.stdin;
  private message: ScreenModel['message'];
  private prompt: Prompt | undefined;
  private help: Help | undefined;
  // The page of a unit longer than the screen, and how many it has (from the last drawing).
  private unitPage = 0;
  private unitPages = 1;
  private finished = false;
  private resolve: (ending: Ending) => void = () => {};
  private reject: (error: unknown) => void = () => {};

  constructor(
    private readonly opened: OpenedCodeSession,
    private readonly output: NodeJS.WriteStream,
    private readonly stopper: Stopper,
    private readonly interrupt: (signal: NodeJS.Signals) => void,
  ) {
    // What the start did is shown on the first screen too.
    this.message = startMessage(opened);
  }

  /** Listens to the keys and draws the first screen; resolves when the coder quits. */
  run(): Promise<Ending> {
    return new Promise<Ending>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      emitKeypressEvents(this.input);
      this.input.setRawMode(true);
      this.input.on('keypress', this.onKeypress);
      this.input.on('end', this.onEnd);
      this.output.on('resize', this.render);
      this.input.resume();
      this.render();
    });
  }

  /** Stops listening and resolves the run, once. */
  private end(ending: Ending): void {
    if (this.finished) return;
    this.finished = true;
    this.input.off('keypress', this.onKeypress);
    this.input.off('end', this.onEnd);
    this.output.off('resize', this.render);
    this.resolve(ending);
  }

  /** Handles each key after the one before it; an error ends the run with that error. */
  private readonly onKeypress = (text: string | undefined, key: Key | undefined): void => {
    this.stopper.inFlight = this.stopper.inFlight
      .then(() => this.handle(text, key ?? {}))
      .catch((error: unknown) => {
        if (!this.finished) {
          this.finished = true;
          this.reject(error);
        }
      });
  };

  /** The terminal went away without a hangup signal: end as on one. */
  private readonly onEnd = (): void => this.interrupt('SIGHUP');

  private size(): { width: number; height: number } {
    const { output } = this;
    return {
      // One column is left free: a line that fills the last column would wrap on some terminals.
      width: Math.max(20, (output.columns || 80) - 1),
      height: Math.max(minimumRows, output.rows || 24),
    };
  }

  /** A terminal shorter than the screen needs: drawing it would scroll and tear every screen. */
  private tooShort(): boolean {
    const rows = this.output.rows;
    return rows !== undefined && rows > 0 && rows < minimumRows;
  }

  private paint(lines: string[]): void {
    if (this.stopper.terminalGone) return;
    this.output.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\r\n')}\x1b[J`);
  }

  /** Draws the help page or the unit's screen at the terminal's size now. */
  private readonly render = (): void => {
    const { width, height } = this.size();
    if (this.tooShort()) {
      // Every decision so far is saved; the keys still work (q quits), and a taller window redraws.
      this.paint([
        clip(`The terminal has ${this.output.rows} rows; coding needs ${minimumRows}.`, width),
        clip('Make the window taller, or press q to quit.', width),
      ]);
      return;
    }
    if (this.help) {
      this.paint(helpPage(this.help, width, height));
      return;
    }
    const screen = layoutScreen(
      {
        ...modelOf(this.opened, {
          message: this.message,
          prompt: this.prompt ? { label: this.prompt.label, text: this.prompt.text } : undefined,
        }),
        unitPage: this.unitPage,
      },
      { width, height },
    );
    this.unitPages = screen.unitPages;
    this.unitPage = Math.min(this.unitPage, this.unitPages - 1);
    this.paint(screen.lines);
  };

  /** Carries out a command and draws the next screen, or ends the run on quit. */
  private async apply(command: SessionCommand): Promise<void> {
    // On the disk when act resolves, before the next screen.
    const outcome = await this.opened.act(command);
    this.message = outcome.message;
    if (outcome.moved) this.unitPage = 0;
    if (outcome.quit) this.end({ kind: 'quit' });
    else this.render();
  }

  /** One key: Ctrl-C interrupts; otherwise it goes to the open prompt, the help, or the unit. */
  private async handle(text: string | undefined, key: Key): Promise<void> {
    if (this.finished || this.stopper.stopping) return;
    if (key.ctrl && key.name === 'c') {
      this.interrupt('SIGINT');
      return;
    }
    // On a terminal too short to show the screen, a key would act on a unit nobody sees: only q
    // (or Ctrl-D) quits; the others wait for a taller window.
    if (this.tooShort()) {
      if (text === 'q' || (key.ctrl && key.name === 'd')) return this.apply({ kind: 'quit' });
      return;
    }
    if (this.prompt) return this.promptKey(this.prompt, text, key);
    if (this.help) return this.helpKey(this.help, text, key);
    return this.unitKey(text, key);
  }

  /** A key while a prompt is open: Enter submits, Esc cancels, the rest edits the answer. */
  private async promptKey(prompt: Prompt, text: string | undefined, key: Key): Promise<void> {
    if (key.name === 'return' || key.name === 'enter') {
      const answer = prompt.submit(prompt.text);
      this.prompt = undefined;
      if (answer === undefined) this.render();
      else if ('refused' in answer) {
        this.message = { text: answer.refused, tone: 'refused' };
        this.render();
      } else await this.apply(answer);
    } else if (key.name === 'escape') {
      this.prompt = undefined;
      this.render();
    } else if (key.name === 'backspace') {
      prompt.text = Array.from(prompt.text).slice(0, -1).join('');
      this.render();
    } else if (key.ctrl && key.name === 'u') {
      prompt.text = '';
      this.render();
    } else if (text !== undefined && !key.ctrl && !key.meta && /^[^\x00-\x1f\x7f]+$/u.test(text)) {
      prompt.text += text;
      this.render();
    }
  }

  /** A key on the help screen: the next or previous page, or any other key back to the unit. */
  private helpKey(help: Help, text: string | undefined, key: Key): void {
    if (text === ' ' || text === 'n' || key.name === 'pagedown' || key.name === 'down') help.page++;
    else if (text === 'p' || text === 'b' || key.name === 'pageup' || key.name === 'up')
      help.page = Math.max(0, help.page - 1);
    else this.help = undefined;
    this.render();
  }

  /** A key on the unit's screen: move, quit, page through a long unit, or the study's keys. */
  private async unitKey(text: string | undefined, key: Key): Promise<void> {
    this.message = undefined;
    if (key.ctrl && key.name === 'd') return this.apply({ kind: 'quit' });
    if (key.name === 'return' || key.name === 'enter' || key.name === 'right')
      return this.apply({ kind: 'next' });
    if (key.name === 'left') return this.apply({ kind: 'previous' });
    // Paging through a unit longer than the screen.
    if (text === ' ' || key.name === 'pagedown') {
      this.unitPage = Math.min(this.unitPage + 1, Math.max(0, this.unitPages - 1));
      this.render();
      return;
    }
    if (key.name === 'pageup') {
      this.unitPage = Math.max(0, this.unitPage - 1);
      this.render();
      return;
    }
    const action = keyAction(text ?? '', this.opened.keys);
    switch (action.kind) {
      case 'command':
        return this.apply(action.command);
      case 'prompt':
        this.prompt = prompts[action.prompt](this.opened);
        this.render();
        return;
      case 'help':
        this.openHelp();
        return;
      case 'unknown':
        if (text !== undefined && text !== '' && !key.ctrl && key.name !== 'escape') {
          this.message = {
            text: `"${text}" is not a key here: the keys are listed below (? shows the codes)`,
            tone: 'refused',
          };
        }
        this.render();
    }
  }

  /** Opens the help on its first page: the keys and codes, and the unit's codes when there is one. */
  private openHelp(): void {
    const { opened } = this;
    const unitId = opened.session.currentUnit;
    this.help = {
      lines: helpLines(
        opened.study.codebook,
        opened.keys,
        unitId === undefined ? undefined : opened.view(unitId),
        this.size().width,
      ),
      page: 0,
    };
    this.render();
  }
}
