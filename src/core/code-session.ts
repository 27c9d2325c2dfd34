/**
 * The logic of coding units in the terminal (`coding code`), without any I/O: which key toggles
 * which code, how exclusive categories replace codes, what "save and go on" means for a unit the
 * coder did or did not touch, navigation, where to resume, and how a journal of decisions folds
 * into one decision per unit. The command renders the state and writes the effects to disk.
 */
import type { CodebookModel } from './codebook.js';
import { didYouMean } from './suggest.js';

/**
 * A coder's decision on a unit: code indices in codebook order (none = "reviewed, no code
 * applies") and the unit's memo ('' for none).
 */
export interface UnitDecision {
  codes: readonly number[];
  memo: string;
}

/** The part of the codebook model that toggling needs. */
export type ExclusivityModel = Pick<CodebookModel, 'codes' | 'categoryById' | 'exclusive'>;

/** Letters that are commands; they never toggle a code. */
export const commandLetters = ['n', 'p', 'g', 'u', 'm', 'q'] as const;

/**
 * The keys that toggle codes, in order: 1–9, then letters that are not commands. l and o are left
 * out as well, because they are easily read as 1 and 0. Letters are case-insensitive.
 */
export const codeKeyAlphabet: readonly string[] = [...'123456789', ...'abcdefhijkrstvwxyz'];

/** The key of each code of the codebook (undefined beyond the 27th: those are toggled by id with `:`). */
export function assignCodeKeys(codeCount: number): Array<string | undefined> {
  return Array.from({ length: codeCount }, (_, index) => codeKeyAlphabet[index]);
}

/**
 * The codes after toggling one: a code already applied is removed; a new one is added, replacing
 * the other code of its category when the category is exclusive, and every other code when the
 * codebook is exclusive. The result is in codebook order.
 *
 * @example toggleCode([0], 1, model) // → [0, 1], or [1] when codes 0 and 1 share an exclusive category
 */
export function toggleCode(
  codes: readonly number[],
  codeIndex: number,
  codebook: ExclusivityModel,
): number[] {
  if (codes.includes(codeIndex)) return codes.filter((code) => code !== codeIndex);
  const code = codebook.codes[codeIndex];
  if (code === undefined) throw new RangeError(`no code with index ${codeIndex}`);
  let kept: number[];
  if (codebook.exclusive) kept = [];
  else if (codebook.categoryById.get(code.categoryId)?.exclusive)
    kept = codes.filter((other) => codebook.codes[other]!.categoryId !== code.categoryId);
  else kept = [...codes];
  kept.push(codeIndex);
  return kept.sort((left, right) => left - right);
}

/** What the coder has on screen for the current unit, before it is saved. */
export interface Draft {
  codes: number[];
  /** Marked "reviewed, no code applies" (key 0). */
  none: boolean;
  memo: string;
}

export function draftOf(decision: UnitDecision | undefined): Draft {
  if (decision === undefined) return { codes: [], none: false, memo: '' };
  return { codes: [...decision.codes], none: decision.codes.length === 0, memo: decision.memo };
}

/** The draft as a decision: undefined when it is none (no code toggled and 0 not pressed). */
export function decisionOf(draft: Draft): UnitDecision | undefined {
  if (draft.codes.length > 0) return { codes: [...draft.codes], memo: draft.memo };
  if (draft.none) return { codes: [], memo: draft.memo };
  return undefined;
}

export function sameDecision(left: UnitDecision | undefined, right: UnitDecision | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  return (
    left.memo === right.memo &&
    left.codes.length === right.codes.length &&
    left.codes.every((code, index) => code === right.codes[index])
  );
}

/** What a key or line asks the session to do. Prompts (unit id, memo, code id) are answered by the UI first. */
export type SessionCommand =
  | { kind: 'toggle'; codeIndex: number }
  | { kind: 'none' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'goto'; unitId: string }
  | { kind: 'next-unreviewed' }
  | { kind: 'memo'; text: string }
  | { kind: 'quit' };

/** What must be on disk before the next screen: a decision, or the unit now on screen (null: the end screen). */
export type SessionEffect =
  | { kind: 'decide'; unitId: string; decision: UnitDecision }
  | { kind: 'at'; unitId: string | null };

/**
 * `saved`: a decision was made; `info`: nothing went wrong; `refused`: the command was not carried
 * out (the non-interactive mode stops there, so a script never codes the wrong unit).
 */
export type MessageTone = 'info' | 'saved' | 'refused';

export interface SessionOutcome {
  effects: SessionEffect[];
  message?: { text: string; tone: MessageTone };
  quit: boolean;
}

export interface CodingSessionOptions {
  codebook: ExclusivityModel;
  /** The units of the session, in the order they are shown. */
  units: readonly string[];
  /** The coder's decisions so far, by unit id (from the stored file and the journal). */
  decided: Map<string, UnitDecision>;
  /** Position to start at (0 … units.length; units.length is the end screen). */
  start: number;
  /** Why a unit id outside the session is not there, e.g. "it is not in the sample" (undefined: unknown unit). */
  explainOutside?: (unitId: string) => string | undefined;
}

type LeavingCommand = 'next' | 'previous' | 'goto' | 'next-unreviewed' | 'quit';

/** The state of a coding session and the rules that move it; every change is returned as effects to write. */
export class CodingSession {
  readonly units: readonly string[];
  readonly decided: Map<string, UnitDecision>;
  private readonly codebook: ExclusivityModel;
  private readonly positionOf: Map<string, number>;
  private readonly explainOutside: ((unitId: string) => string | undefined) | undefined;
  position: number;
  draft: Draft;
  /** A leaving command refused once because the unit's changes are not a decision; the same again discards them. */
  private awaitingConfirmation: LeavingCommand | undefined;

  constructor(options: CodingSessionOptions) {
    this.units = options.units;
    this.decided = options.decided;
    this.codebook = options.codebook;
    this.positionOf = new Map(options.units.map((id, index) => [id, index]));
    this.explainOutside = options.explainOutside;
    this.position = Math.max(0, Math.min(options.start, options.units.length));
    this.draft = draftOf(this.currentUnit === undefined ? undefined : this.decided.get(this.currentUnit));
  }

  /** The unit on screen; undefined on the end screen. */
  get currentUnit(): string | undefined {
    return this.units[this.position];
  }

  /** The stored decision of the unit on screen. */
  get stored(): UnitDecision | undefined {
    const unit = this.currentUnit;
    return unit === undefined ? undefined : this.decided.get(unit);
  }

  /** The draft differs from what is stored (a decision not saved yet, or changes that are not one). */
  get changed(): boolean {
    if (this.currentUnit === undefined) return false;
    const decision = decisionOf(this.draft);
    if (decision === undefined) return this.stored !== undefined || this.draft.memo !== '';
    return !sameDecision(decision, this.stored);
  }

  /** 1-based position, number of units, and how many of them are not reviewed. */
  get progress(): { position: number; total: number; left: number } {
    let left = 0;
    for (const unit of this.units) if (!this.decided.has(unit)) left++;
    return { position: Math.min(this.position + 1, this.units.length), total: this.units.length, left };
  }

  /** The first screen: its position must be recorded. */
  enter(): SessionOutcome {
    return { effects: [{ kind: 'at', unitId: this.currentUnit ?? null }], quit: false };
  }

  apply(command: SessionCommand): SessionOutcome {
    const confirming = this.awaitingConfirmation;
    this.awaitingConfirmation = undefined;
    switch (command.kind) {
      case 'toggle':
        if (this.currentUnit === undefined)
          return this.refuse('no unit on screen: p goes back, g jumps to a unit');
        if (!this.draft.codes.includes(command.codeIndex)) {
          const code = this.codebook.codes[command.codeIndex];
          if (code?.codable === false)
            return this.refuse(
              `${code.id} is a grouping code (codable: false in the codebook): coders cannot apply it; choose one of its sub-codes`,
            );
        }
        this.draft = {
          ...this.draft,
          codes: toggleCode(this.draft.codes, command.codeIndex, this.codebook),
          none: false,
        };
        return { effects: [], quit: false };
      case 'none':
        if (this.currentUnit === undefined)
          return this.refuse('no unit on screen: p goes back, g jumps to a unit');
        this.draft = this.draft.none
          ? { ...this.draft, none: false }
          : { ...this.draft, codes: [], none: true };
        return { effects: [], quit: false };
      case 'memo': {
        if (this.currentUnit === undefined)
          return this.refuse('no unit on screen: p goes back, g jumps to a unit');
        const text = command.text.replace(/\s+/g, ' ').trim();
        this.draft = { ...this.draft, memo: text };
        return this.info(
          text === '' ? 'memo removed; n saves the unit' : 'memo set; n saves it with the unit',
        );
      }
      case 'next': {
        if (this.currentUnit === undefined) {
          const { left } = this.progress;
          return this.refuse(
            left > 0
              ? `this is the end of the list; ${left} not reviewed yet: u goes to the next one`
              : 'this is the end of the list: every unit is reviewed; q quits',
          );
        }
        return this.leaveThen('next', confirming, () => this.position + 1);
      }
      case 'previous':
        if (this.position === 0) return this.refuse('this is the first unit');
        return this.leaveThen('previous', confirming, () => this.position - 1);
      case 'goto': {
        const unitId = command.unitId.trim();
        const target = this.positionOf.get(unitId);
        if (target === undefined) {
          const outside = this.explainOutside?.(unitId);
          return this.refuse(
            outside ?? `no unit "${unitId}" in this session${didYouMean(unitId, this.units)}`,
          );
        }
        return this.leaveThen('goto', confirming, () => target);
      }
      case 'next-unreviewed':
        return this.leaveThen('next-unreviewed', confirming, () => this.nextUnreviewed());
      case 'quit':
        return this.leaveThen('quit', confirming, () => undefined);
    }
  }

  /** Position of the next unit not reviewed after the current one (wrapping round), or undefined. */
  private nextUnreviewed(): number | undefined {
    const count = this.units.length;
    for (let step = 1; step <= count; step++) {
      const candidate = (this.position + step) % (count + 1);
      if (candidate < count && !this.decided.has(this.units[candidate]!)) return candidate;
    }
    return undefined;
  }

  /**
   * Leave the unit on screen: save the draft when it is a decision that differs from the stored
   * one; refuse (once) when it holds changes that are not a decision; then move.
   */
  private leaveThen(
    command: LeavingCommand,
    confirming: LeavingCommand | undefined,
    target: () => number | undefined,
  ): SessionOutcome {
    const effects: SessionEffect[] = [];
    const unit = this.currentUnit;
    let note: { text: string; tone: MessageTone } | undefined;
    if (unit !== undefined && this.changed) {
      const decision = decisionOf(this.draft);
      if (decision !== undefined) {
        this.decided.set(unit, decision);
        effects.push({ kind: 'decide', unitId: unit, decision });
        note = { text: `saved ${unit}: ${this.describe(decision)}`, tone: 'saved' };
      } else if (confirming === command) {
        note = {
          text:
            this.stored === undefined
              ? `${unit} left not reviewed; its memo was dropped`
              : `${unit} left as it was: ${this.describe(this.stored)}`,
          tone: 'info',
        };
        this.draft = draftOf(this.stored);
      } else {
        this.awaitingConfirmation = command;
        const again =
          command === 'next' ? 'n' : command === 'previous' ? 'p' : command === 'quit' ? 'q' : 'the same';
        return this.refuse(
          this.stored === undefined
            ? `${unit} has a memo but no code: press a code's key, or 0 for "no code applies" (press ${again} again to drop the memo)`
            : `no code is marked on ${unit}: press a code's key, or 0 for "no code applies" (press ${again} again to keep ${this.describe(this.stored)})`,
        );
      }
    } else if (unit !== undefined && command === 'next' && this.stored === undefined) {
      note = { text: `${unit} skipped, not reviewed (0 records "no code applies")`, tone: 'info' };
    }
    if (command === 'quit') return { effects, ...(note ? { message: note } : {}), quit: true };
    const destination = target();
    if (destination === undefined) {
      // Nothing left to go to: the unit stays on screen, which a script must not take for the next one.
      const text = 'every unit of the session is reviewed';
      return {
        effects,
        message: { text: note ? `${note.text}; ${text}` : text, tone: 'refused' },
        quit: false,
      };
    }
    this.position = destination;
    this.draft = draftOf(this.stored);
    effects.push({ kind: 'at', unitId: this.currentUnit ?? null });
    return { effects, ...(note ? { message: note } : {}), quit: false };
  }

  /** `trade.ntb, tone.positive` or `no code applies`. */
  describe(decision: UnitDecision): string {
    return decision.codes.length === 0
      ? 'no code applies'
      : decision.codes.map((code) => this.codebook.codes[code]!.id).join(', ');
  }

  private refuse(text: string): SessionOutcome {
    return { effects: [], message: { text, tone: 'refused' }, quit: false };
  }

  private info(text: string): SessionOutcome {
    return { effects: [], message: { text, tone: 'info' }, quit: false };
  }
}

/** One line of a journal, as read back: a decision on a unit, or the unit that was on screen. */
export type JournalRecord =
  | { kind: 'decision'; unitId: string; codes: string[]; memo: string; time: string; line: number }
  | { kind: 'at'; unitId: string | null; after?: boolean; time: string; line: number };

/** The last decision of each unit (later lines win), in the order the units were first decided. */
export function latestDecisions(
  records: readonly JournalRecord[],
): Map<string, Extract<JournalRecord, { kind: 'decision' }>> {
  const latest = new Map<string, Extract<JournalRecord, { kind: 'decision' }>>();
  for (const record of records) if (record.kind === 'decision') latest.set(record.unitId, record);
  return latest;
}

/**
 * Where a session stopped, from its journal: the unit on screen when the journal ends with one
 * (null for the end screen), else the unit after the last decision; undefined without either.
 */
export function stoppedAt(
  records: readonly JournalRecord[],
): { unitId: string | null; after: boolean } | undefined {
  const last = records[records.length - 1];
  if (last === undefined) return undefined;
  return last.kind === 'at'
    ? { unitId: last.unitId, after: last.after === true }
    : { unitId: last.unitId, after: true };
}

/**
 * The position to start at: `from` when given, else where the last session stopped, else the first
 * unit not reviewed (the end screen when every unit is). A unit outside the list (left out by
 * --uncoded, or not in the sample) starts at the first unit after it in corpus order.
 */
export function startPosition(options: {
  units: readonly string[];
  decided: ReadonlyMap<string, UnitDecision>;
  /** Position of a unit in the corpus (−1 when unknown). */
  corpusOrder: (unitId: string) => number;
  from?: string | undefined;
  stopped?: { unitId: string | null; after: boolean } | undefined;
}): number {
  const { units, decided, corpusOrder } = options;
  const firstUnreviewed = (): number => {
    const index = units.findIndex((unit) => !decided.has(unit));
    return index < 0 ? units.length : index;
  };
  const atOrAfter = (unitId: string, after: boolean): number | undefined => {
    const order = corpusOrder(unitId);
    if (order < 0) return undefined;
    const index = units.findIndex((unit) => {
      const candidate = corpusOrder(unit);
      return after ? candidate > order : candidate >= order;
    });
    return index < 0 ? units.length : index;
  };
  if (options.from !== undefined) return atOrAfter(options.from, false) ?? 0;
  const stopped = options.stopped;
  if (stopped === undefined || stopped.unitId === null) return firstUnreviewed();
  const position = atOrAfter(stopped.unitId, stopped.after);
  if (position === undefined) return firstUnreviewed();
  // Past the end with units still to do: begin with those rather than on the end screen.
  return position === units.length && units.some((unit) => !decided.has(unit)) ? firstUnreviewed() : position;
}

/**
 * A unit's memo as the session shows it: the memos of its rows (a file may hold one per code),
 * in code order, joined with " | ".
 */
export function unitMemo(memos: readonly string[]): string {
  return memos.filter((memo) => memo !== '').join(' | ');
}

/** What one line of the non-interactive mode asks for. */
export type LineCommand =
  | SessionCommand
  | { kind: 'help' }
  | { kind: 'unknown'; text: string; reason: string };

/**
 * Parse a line of the non-interactive mode: one key (`1`, `n`, `0`, `p`, `u`, `q`, `?`), an empty
 * line (= n), `g UNIT`, `m MEMO TEXT` (`m` alone removes the memo), or a code id (`trade.ntb`,
 * also as `: trade.ntb`).
 */
export function parseLine(
  line: string,
  codebook: Pick<CodebookModel, 'codes' | 'codeById'>,
  keys: ReadonlyArray<string | undefined>,
): LineCommand {
  const text = line.trim();
  if (text === '' || text === 'n') return { kind: 'next' };
  const word = text.split(/\s+/, 1)[0]!;
  const rest = text.slice(word.length).trim();
  switch (word) {
    case 'p':
    case 'u':
    case 'q':
    case '0':
    case '?':
      if (rest !== '')
        return {
          kind: 'unknown',
          text,
          reason: `"${word}" takes nothing after it: one key or command a line`,
        };
      return word === 'p'
        ? { kind: 'previous' }
        : word === 'u'
          ? { kind: 'next-unreviewed' }
          : word === 'q'
            ? { kind: 'quit' }
            : word === '0'
              ? { kind: 'none' }
              : { kind: 'help' };
    case 'g':
      if (rest === '') return { kind: 'unknown', text, reason: 'g needs a unit id, as in "g call:3"' };
      return { kind: 'goto', unitId: rest };
    case 'm':
      return { kind: 'memo', text: rest };
    case ':':
      return codeCommand(rest, text, codebook);
  }
  if (rest !== '') return { kind: 'unknown', text, reason: 'one key or command a line' };
  const keyIndex = keys.indexOf(word.toLowerCase());
  if (keyIndex >= 0) return { kind: 'toggle', codeIndex: keyIndex };
  return codeCommand(word, text, codebook);
}

function codeCommand(
  id: string,
  text: string,
  codebook: Pick<CodebookModel, 'codes' | 'codeById'>,
): LineCommand {
  const code = codebook.codeById.get(id);
  if (code !== undefined) return { kind: 'toggle', codeIndex: code.index };
  return {
    kind: 'unknown',
    text,
    reason: `"${id}" is neither a key nor a code${didYouMean(
      id,
      codebook.codes.map((candidate) => candidate.id),
    )}`,
  };
}
