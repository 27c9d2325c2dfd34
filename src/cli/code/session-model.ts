/** What both modes of `coding code` share: the screen model of the session, and how a run ends. */
import type { OpenedCodeSession } from '../../app/code-session.js';
import type { ScreenModel } from './screen.js';

export function scopeLabel(opened: OpenedCodeSession): string {
  return `in ${opened.scope}${opened.uncoded ? ', not reviewed at start' : ''}`;
}

export function modelOf(
  opened: OpenedCodeSession,
  extra: { message?: ScreenModel['message']; prompt?: ScreenModel['prompt'] },
): ScreenModel {
  const { session } = opened;
  const unitId = session.currentUnit;
  return {
    coder: opened.coder,
    scopeLabel: scopeLabel(opened),
    progress: session.progress,
    unit: unitId === undefined ? undefined : opened.view(unitId),
    stored: session.stored,
    draft: session.draft,
    changed: session.changed,
    codebook: opened.study.codebook,
    keys: opened.keys,
    message: extra.message,
    prompt: extra.prompt,
  };
}

/** Hooks shared by both modes: an interrupt (signal or Ctrl-C) ends the session from outside the loop. */
export interface Stopper {
  /** Resolves when the key or line being handled is done (its decision on disk). */
  inFlight: Promise<unknown>;
  stopping: boolean;
  /** The terminal is gone (SIGHUP, or its input ended): write nothing more to it. */
  terminalGone: boolean;
}

export type Ending =
  | { kind: 'quit' }
  | { kind: 'eof'; line: number }
  | { kind: 'refused'; line: number; text: string };
