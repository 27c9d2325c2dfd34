/**
 * What any view of a coding session needs besides drawing, without I/O: which key asks for what
 * (shared by the terminal and the browser of `coding serve`), and the state of the session
 * as plain data with code ids — what a view shows, and what a page can be sent as JSON.
 */

import type { CodingSession, SessionCommand } from './code-session.js';
import type { CodebookModel } from './codebook.js';

/** A question a view asks before a command: the unit to go to, the memo, or a code by id. */
export type PromptKind = 'goto' | 'memo' | 'code';

/** What a key asks for. */
export type KeyAction =
  | { kind: 'command'; command: SessionCommand }
  | { kind: 'prompt'; prompt: PromptKind }
  | { kind: 'help' }
  | { kind: 'unknown'; key: string };

/**
 * The action of a typed key (case-insensitive): the code keys of `keys` toggle codes, `0` marks "no
 * code applies", `n` saves and goes on, `p` back, `u` next not reviewed, `q` quits; `g`, `m` and
 * `:` ask for a unit, a memo or a code id; `?` shows the codebook.
 *
 * @example keyAction('2', ['1', '2']) // { kind: 'command', command: { kind: 'toggle', codeIndex: 1 } }
 */
export function keyAction(typed: string, keys: ReadonlyArray<string | undefined>): KeyAction {
  const key = typed.toLowerCase();
  switch (key) {
    case 'n':
      return { kind: 'command', command: { kind: 'next' } };
    case 'p':
      return { kind: 'command', command: { kind: 'previous' } };
    case 'u':
      return { kind: 'command', command: { kind: 'next-unreviewed' } };
    case '0':
      return { kind: 'command', command: { kind: 'none' } };
    case 'q':
      return { kind: 'command', command: { kind: 'quit' } };
    case 'g':
      return { kind: 'prompt', prompt: 'goto' };
    case 'm':
      return { kind: 'prompt', prompt: 'memo' };
    case ':':
      return { kind: 'prompt', prompt: 'code' };
    case '?':
      return { kind: 'help' };
  }
  const codeIndex = key === '' ? -1 : keys.indexOf(key);
  if (codeIndex >= 0) return { kind: 'command', command: { kind: 'toggle', codeIndex } };
  return { kind: 'unknown', key: typed };
}

/** The command a prompt's answer makes (undefined: nothing to do, e.g. an empty unit id). */
export function promptCommand(
  prompt: Exclude<PromptKind, 'code'>,
  answer: string,
): SessionCommand | undefined {
  if (prompt === 'memo') return { kind: 'memo', text: answer };
  const unitId = answer.trim();
  return unitId === '' ? undefined : { kind: 'goto', unitId };
}

/** The state of a session as a view shows it: plain data, code ids rather than indices. */
export interface SessionSnapshot {
  /** The unit on screen; null on the end screen. */
  unitId: string | null;
  /** 1-based position, the number of units of the session, and how many are not reviewed. */
  progress: { position: number; total: number; left: number };
  /** The stored decision of the unit (codes by id), undefined when it is not reviewed. */
  stored: { codes: string[]; memo: string } | undefined;
  /** What is marked on screen: codes by id, "no code applies", the memo. */
  draft: { codes: string[]; none: boolean; memo: string };
  /** The draft differs from what is stored. */
  changed: boolean;
  /** `not reviewed`, `reviewed: trade.ntb`, `changed, not saved yet: n saves`; '' on the end screen. */
  status: string;
}

/** The snapshot of a session's current state. */
export function snapshotOf(session: CodingSession, codebook: Pick<CodebookModel, 'codes'>): SessionSnapshot {
  const ids = (codes: readonly number[]): string[] => codes.map((code) => codebook.codes[code]!.id);
  const stored = session.stored;
  const unitId = session.currentUnit ?? null;
  const changed = session.changed;
  let status = '';
  if (unitId !== null) {
    if (changed) status = 'changed, not saved yet: n saves';
    else if (stored === undefined) status = 'not reviewed';
    else status = `reviewed: ${session.describe(stored)}`;
  }
  return {
    unitId,
    progress: session.progress,
    stored: stored === undefined ? undefined : { codes: ids(stored.codes), memo: stored.memo },
    draft: { codes: ids(session.draft.codes), none: session.draft.none, memo: session.draft.memo },
    changed,
    status,
  };
}
