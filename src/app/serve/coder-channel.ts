/**
 * One coder's session as the browser sees it: the same session core, journal, lock and folding as
 * `coding code` (`openCodeSession`), behind a small request/response protocol.
 *
 * - The page sends commands (`toggle`, `none`, `next`, …) with the `version` of the state it shows
 *   and a request id of its own. A command against a state the page does not show (another tab
 *   moved on) is refused with the current state, so no code lands on a unit the coder does not see.
 * - A request sent again after a lost connection (same id) gets the answer it had the first time:
 *   a retried toggle is not applied twice.
 * - The answer to a command that saved a decision is sent only once the decision is in the journal
 *   on the disk (`act` resolves after fdatasync): the page says "saved" on that answer only.
 * - Commands run one at a time; when the coder pauses, the journal is folded into
 *   `annotations/<coder>.csv` (a checkpoint), so that other commands see the codes.
 */
import { commandLetters, type SessionCommand } from '../../core/code-session.js';
import { keyAction } from '../../core/code-view.js';
import type { CodebookModel } from '../../core/codebook.js';
import { visibleText } from '../../core/visible-text.js';
import { CodingError, InputError } from '../../errors.js';
import type { OpenedCodeSession, UnitView } from '../code-session.js';
import type { FoldResult } from '../journal-fold.js';

/** A command as the page sends it: codes by id, not by index. */
export type PageCommand =
  | { kind: 'toggle'; code: string }
  | { kind: 'none' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'goto'; unit: string }
  | { kind: 'next-unreviewed' }
  | { kind: 'memo'; text: string };

export interface CommandRequest {
  /** The page's id for this request (the same when it is sent again). */
  request: string;
  /** The version of the state the page shows. */
  version: number;
  command: PageCommand;
}

/** The codebook as the page shows it (text made visible: no control or bidi characters). */
export interface PageCodebook {
  name: string;
  exclusive: boolean;
  categories: Array<{
    id: string;
    label: string;
    description: string;
    exclusive: boolean;
    codes: Array<{
      id: string;
      label: string;
      key: string | null;
      depth: number;
      definition: string;
      include: string;
      exclude: string;
      examples: string[];
    }>;
  }>;
}

/** A unit as the page gets it: the session's view of it, with its ids named for the page. */
export type PageUnit = Omit<UnitView, 'unitId' | 'docId'> & { id: string; document: string };

/** What the page draws: the session's state (the coder's own codes only). */
export interface PageState {
  version: number;
  coder: string;
  scope: string;
  unit: PageUnit | null;
  progress: { position: number; total: number; left: number; reviewed: number };
  /** The decision on disk for the unit on screen (codes by id). */
  stored: { codes: string[]; memo: string } | null;
  draft: { codes: string[]; none: boolean; memo: string };
  changed: boolean;
  status: string;
}

export interface CommandAnswer {
  state: PageState;
  /** The decisions this command saved: in the journal on the disk. */
  saved: Array<{ unit: string; codes: string[]; memo: string }>;
  message: { text: string; tone: 'info' | 'saved' | 'refused' } | null;
  /** The command was not applied because the page showed an older state. */
  conflict?: true;
}

/** Text for the page: control and bidi characters made visible, line feeds and tabs kept. */
export const pageText = (value: string): string =>
  visibleText(value, { keepLineFeeds: true, keepTabs: true });
/** One line for the page: every control character made visible. */
export const pageLine = (value: string): string => visibleText(value);
const text = pageText;
const line = pageLine;

/** The codebook for a page; `keys` gives each code's key (by code index), if it has one. */
export function pageCodebook(
  codebook: CodebookModel,
  keys: ReadonlyArray<string | undefined> = [],
): PageCodebook {
  return {
    name: line(codebook.codebook.name),
    exclusive: codebook.exclusive,
    categories: codebook.categories.map((category) => ({
      id: line(category.id),
      label: line(category.label),
      description: text(category.description ?? ''),
      exclusive: category.exclusive,
      codes: category.codeIds.map((id) => {
        const code = codebook.codeById.get(id)!;
        return {
          id: line(code.id),
          label: line(code.label),
          key: keys[code.index] ?? null,
          depth: code.depth,
          definition: text(code.definition ?? ''),
          include: text(code.include ?? ''),
          exclude: text(code.exclude ?? ''),
          examples: code.examples.map(text),
        };
      }),
    })),
  };
}

function pageUnit(view: UnitView): PageUnit {
  return {
    id: line(view.unitId),
    document: line(view.docId),
    title: line(view.title),
    actor: line(view.actor),
    date: line(view.date),
    role: line(view.role),
    genre: line(view.genre),
    before: text(view.before),
    text: text(view.text),
    after: text(view.after),
  };
}

/** What a key does on the page: a command to send, a field to fill in first, or the list of keys. */
export type PageKeyAction =
  | { kind: 'command'; command: PageCommand }
  | { kind: 'prompt'; prompt: 'goto' | 'memo' }
  | { kind: 'help' };

/**
 * The keys of the page, from the same `keyAction` as the terminal's: code keys toggle their code,
 * 0 n p u are commands, g and m ask for a unit or a memo, ? shows the keys. q (quit) and : (a
 * code by id) have no use on a page, where every code can be clicked and the tab closed.
 */
export function pageKeys(
  codebook: Pick<CodebookModel, 'codes'>,
  keys: ReadonlyArray<string | undefined>,
): Record<string, PageKeyAction> {
  const typed = new Set<string>(['0', '?', 'g', 'm', ...commandLetters]);
  for (const key of keys) if (key !== undefined) typed.add(key);
  const table: Record<string, PageKeyAction> = {};
  for (const key of [...typed].sort()) {
    const action = keyAction(key, keys);
    if (action.kind === 'help') table[key] = { kind: 'help' };
    else if (action.kind === 'prompt' && action.prompt !== 'code')
      table[key] = { kind: 'prompt', prompt: action.prompt };
    else if (action.kind === 'command') {
      const command = action.command;
      if (command.kind === 'toggle')
        table[key] = {
          kind: 'command',
          command: { kind: 'toggle', code: codebook.codes[command.codeIndex]!.id },
        };
      else if (
        command.kind === 'none' ||
        command.kind === 'next' ||
        command.kind === 'previous' ||
        command.kind === 'next-unreviewed'
      )
        table[key] = { kind: 'command', command: { kind: command.kind } };
    }
  }
  return table;
}

/** Requests remembered for answering a retry: more than a page can have in flight. */
const rememberedRequests = 64;

export class CoderChannel {
  private version = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly answers = new Map<string, CommandAnswer>();
  private checkpointTimer: NodeJS.Timeout | undefined;
  private unfolded = 0;
  private closed = false;
  private broken: CodingError | undefined;
  /** Problems of the last checkpoint (kept in the journal; folded at the next one or at the end). */
  lastCheckpointError: string | undefined;

  constructor(
    readonly opened: OpenedCodeSession,
    private readonly options: { checkpointAfterMs: number; onCheckpoint?: (result: FoldResult) => void },
  ) {}

  get coder(): string {
    return this.opened.coder;
  }

  state(): PageState {
    const snapshot = this.opened.snapshot();
    const { progress } = snapshot;
    return {
      version: this.version,
      coder: this.opened.coder,
      scope: `${this.opened.scope === 'sample' ? 'the sample' : 'the corpus'}${this.opened.uncoded ? ', not reviewed at start' : ''}`,
      unit: snapshot.unit === undefined ? null : pageUnit(snapshot.unit),
      progress: { ...progress, reviewed: progress.total - progress.left },
      stored: snapshot.stored ?? null,
      draft: snapshot.draft,
      changed: snapshot.changed,
      status: snapshot.status,
    };
  }

  /** Carry out a command from the page, one at a time; see the module comment for the rules. */
  command(request: CommandRequest): Promise<CommandAnswer> {
    const run = this.queue.then(() => this.apply(request));
    this.queue = run.catch(() => {});
    return run;
  }

  private async apply(request: CommandRequest): Promise<CommandAnswer> {
    const earlier = this.answers.get(request.request);
    if (earlier !== undefined) return earlier;
    if (this.closed) throw new InputError('coding serve is stopping: nothing more is saved');
    if (this.broken)
      throw new InputError(`this session stopped: ${this.broken.message}`, {
        hint: 'restart coding serve once the cause is fixed; the decisions saved before are kept',
      });
    if (request.version !== this.version) {
      return {
        state: this.state(),
        saved: [],
        message: {
          text: 'the session moved on in another window: shown again as it is now',
          tone: 'refused',
        },
        conflict: true,
      };
    }
    const command = this.sessionCommand(request.command);
    let answer: CommandAnswer;
    if ('refused' in command) {
      answer = { state: this.state(), saved: [], message: { text: command.refused, tone: 'refused' } };
    } else {
      // On the disk when `act` resolves. When it throws (a full disk), the decision is not saved and
      // the session stops, as `coding code` does: its state would no longer match the journal.
      let result: Awaited<ReturnType<OpenedCodeSession['act']>>;
      try {
        result = await this.opened.act(command);
      } catch (error) {
        this.broken = error instanceof CodingError ? error : new InputError(String(error));
        throw this.broken;
      }
      this.version++;
      answer = {
        state: this.state(),
        saved: result.saved.map((unitId) => {
          const decision = this.opened.session.decided.get(unitId)!;
          return {
            unit: line(unitId),
            codes: decision.codes.map((code) => this.opened.study.codebook.codes[code]!.id),
            memo: decision.memo,
          };
        }),
        message: result.message ? { text: line(result.message.text), tone: result.message.tone } : null,
      };
      if (result.saved.length > 0) {
        this.unfolded += result.saved.length;
        this.scheduleCheckpoint();
      }
    }
    this.answers.set(request.request, answer);
    if (this.answers.size > rememberedRequests) this.answers.delete(this.answers.keys().next().value!);
    return answer;
  }

  private sessionCommand(command: PageCommand): SessionCommand | { refused: string } {
    switch (command.kind) {
      case 'toggle': {
        const code = this.opened.study.codebook.codeById.get(command.code);
        return code === undefined
          ? { refused: `"${line(command.code)}" is not a code of the codebook` }
          : { kind: 'toggle', codeIndex: code.index };
      }
      case 'goto':
        return command.unit.trim() === ''
          ? { refused: 'type a unit id' }
          : { kind: 'goto', unitId: command.unit };
      case 'memo':
        return { kind: 'memo', text: command.text };
      case 'none':
      case 'next':
      case 'previous':
      case 'next-unreviewed':
        return { kind: command.kind };
    }
  }

  private scheduleCheckpoint(): void {
    if (this.checkpointTimer !== undefined) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined;
      void this.checkpoint();
    }, this.options.checkpointAfterMs);
    this.checkpointTimer.unref();
  }

  /** Fold the journal into the coder's file now (in the queue, between commands). */
  checkpoint(): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closed || this.unfolded === 0) return;
      try {
        const result = await this.opened.checkpoint();
        this.unfolded = 0;
        this.lastCheckpointError = undefined;
        this.options.onCheckpoint?.(result);
      } catch (error) {
        // The decisions stay in the journal; the next checkpoint or the end folds them.
        this.lastCheckpointError = error instanceof Error ? error.message : String(error);
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** End the session once the commands in flight are done: fold the journal, release the lock. */
  async close(): Promise<FoldResult> {
    if (this.checkpointTimer !== undefined) clearTimeout(this.checkpointTimer);
    await this.queue;
    this.closed = true;
    return this.opened.finish();
  }
}
