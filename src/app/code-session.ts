/**
 * `coding code`: a coder's session in the terminal, on disk. Opening it takes the coder's lock,
 * folds what a previous session left in the journal, and loads the units with their text and the
 * coder's own codes (never another coder's: coding is blind). Every decision is appended to the
 * journal before the next screen; the journal is folded into `annotations/<coder>.csv` through
 * `storeCodings` when the session ends and when the next one starts.
 */

import {
  assignCodeKeys,
  CodingSession,
  type MessageTone,
  type SessionCommand,
  type SessionEffect,
  startPosition,
  type UnitDecision,
  unitMemo,
} from '../core/code-session.js';
import { type SessionSnapshot, snapshotOf } from '../core/code-view.js';
import type { CodebookModel } from '../core/codebook.js';
import type { Codings } from '../core/codings.js';
import { sliceCodePoints } from '../core/segment.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { coderFiles } from '../io/coder-files.js';
import { corpusPaths, loadCorpus } from '../io/corpus-store.js';
import { isSystemError, systemErrorCause } from '../io/fs-errors.js';
import { acquireLock, type HeldLock, JournalWriter, journalLine, sessionFiles } from '../io/journal.js';
import { type FoldResult, foldUnderLock, memoKeys, timestamp, unknownUnitMessage } from './journal-fold.js';
import { readSample } from './sample.js';
import { checkCoderName, loadCoder, openStudy, relativeTo, type Study } from './study.js';

export interface CodeSessionOptions {
  cwd: string;
  workspace?: string | undefined;
  coder: string;
  /** Only the units of the double-coding sample. */
  sample: boolean;
  /** Start at this unit. */
  from?: string | undefined;
  /** Only the units the coder had not reviewed when the session started. */
  uncoded: boolean;
  /** The clock, for tests. */
  now?: () => Date;
}

/** What the screen shows of a unit: its document's metadata, its text, and the units around it. */
export interface UnitView {
  unitId: string;
  docId: string;
  title: string;
  actor: string;
  date: string;
  role: string;
  genre: string;
  before: string;
  text: string;
  after: string;
}

/** What a command did, once its effects are on disk. */
export interface ActResult {
  message?: { text: string; tone: MessageTone } | undefined;
  /** The session ended (q). */
  quit: boolean;
  /** Units whose decisions this command saved: on disk when `act` resolves. */
  saved: string[];
  /** Another unit (or the end screen) is now on screen. */
  moved: boolean;
}

export interface OpenedCodeSession {
  study: Study;
  coder: string;
  /** `sample` or `corpus`. */
  scope: 'sample' | 'corpus';
  uncoded: boolean;
  session: CodingSession;
  /** The key of each code (by code index). */
  keys: Array<string | undefined>;
  /** Paths relative to the workspace, for messages. */
  shown: { csv: string; journal: string; lock: string };
  /** What the start did that the coder should know: a stale lock taken over, a journal folded. */
  notices: string[];
  warnings: Finding[];
  startFold: FoldResult;
  view(unitId: string): UnitView;
  /** Write the effects of a command to the journal (on the disk when this resolves). */
  record(effects: readonly SessionEffect[]): Promise<void>;
  /**
   * Carry out a command and write what it changed to the journal: when this resolves, every unit
   * in `saved` is on disk. The one entry point of a view (terminal or browser): actions in, state
   * and "saved" confirmations out.
   */
  act(command: SessionCommand): Promise<ActResult>;
  /** The state of the session as data, with the unit on screen (undefined on the end screen). */
  snapshot(): SessionSnapshot & { unit: UnitView | undefined };
  /** Decisions written to the journal by this session. */
  readonly decisionsMade: number;
  /**
   * Fold the journal into the coder's file while the session goes on (a long-running view, such as
   * `coding serve`, does this when the coder pauses, so that other commands see the codes). The
   * session keeps its lock; when the fold fails the journal is kept and appended to as before.
   */
  checkpoint(): Promise<FoldResult>;
  /** End the session: fold the journal into the coder's file and release the lock. */
  finish(): Promise<FoldResult>;
  /** Release the lock synchronously (for `process.on('exit')`, when `finish` could not run). */
  releaseSync(): void;
}

/** The units a session may show (the corpus or the sample, in corpus order), checked with --from. */
async function sessionScope(
  study: Study,
  options: CodeSessionOptions,
): Promise<{ scopeUnits: string[]; inScope: (unitId: string) => boolean }> {
  let scopeUnits: string[];
  let inScope: (unitId: string) => boolean;
  if (options.sample) {
    const sample = await readSample(study.workspace);
    if (sample === undefined) {
      throw new UsageError('--sample: this workspace has no sample (annotations/sample.csv does not exist)', {
        hint: 'draw one with: coding sample --fraction 0.2 --seed 2026 — or leave out --sample to code every unit.',
      });
    }
    const unknown = sample.unitIds.filter((id) => study.units.indexOf(id) < 0);
    if (unknown.length > 0) {
      throw new InputError(
        `the sample names ${unknown.length === 1 ? 'a unit' : `${unknown.length} units`} that the corpus does not have: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
        {
          location: { file: 'annotations/sample.csv' },
          hint: 'the corpus changed after the sample was drawn; draw it again with coding sample … --force.',
        },
      );
    }
    const indices = [...new Set(sample.unitIds.map((id) => study.units.indexOf(id)))].sort((a, b) => a - b);
    scopeUnits = indices.map((index) => study.units.idAt(index));
    const members = new Set(scopeUnits);
    inScope = (unitId) => members.has(unitId);
  } else {
    scopeUnits = Array.from({ length: study.units.size }, (_, index) => study.units.idAt(index));
    inScope = () => true;
  }
  if (options.from !== undefined) {
    if (study.units.indexOf(options.from) < 0)
      throw new UsageError(`--from: ${unknownUnitMessage(study, options.from)}`, {
        hint: 'list the units with: coding corpus units',
      });
    if (!inScope(options.from))
      throw new UsageError(`--from: unit ${options.from} is not in the sample`, {
        hint: `the sample begins with ${scopeUnits[0]}; leave out --sample to code units outside it.`,
      });
  }
  return { scopeUnits, inScope };
}

/** The coder's decision on each unit reviewed before, as the session shows it (codes and memo). */
function decidedUnits(
  study: Study,
  previous: { codings: Codings; memos: ReadonlyMap<number, string> } | undefined,
): Map<string, UnitDecision> {
  const decided = new Map<string, UnitDecision>();
  if (previous === undefined) return decided;
  const { codings, memos } = previous;
  for (let position = 0; position < codings.size; position++) {
    const unitIndex = codings.units[position]!;
    const codes = Array.from(codings.codesAt(position));
    const memo = unitMemo(memoKeys(unitIndex, codes).map((key) => memos.get(key) ?? ''));
    decided.set(study.units.idAt(unitIndex), { codes, memo });
  }
  return decided;
}

/** What the screen shows of a unit: its document's metadata, its text and its neighbours' texts. */
function unitViewer(corpus: Awaited<ReturnType<typeof loadCorpus>>): (unitId: string) => UnitView {
  const positionInDocument = new Map<string, number>();
  for (const units of corpus.unitsByDocument.values())
    for (const [index, unit] of units.entries()) positionInDocument.set(unit.id, index);
  return (unitId) => {
    const unit = corpus.unitById.get(unitId);
    if (unit === undefined) throw new Error(`unit ${unitId} is not in the loaded corpus`);
    const document = corpus.documentById.get(unit.docId)!;
    const siblings = corpus.unitsByDocument.get(unit.docId)!;
    const index = positionInDocument.get(unitId)!;
    const textOf = (other: { start: number; end: number } | undefined): string =>
      other === undefined ? '' : sliceCodePoints(document.text, other.start, other.end);
    return {
      unitId,
      docId: document.id,
      title: document.title ?? document.id,
      actor: document.actor ?? '',
      date: document.date ?? '',
      role: document.role ?? '',
      genre: document.genre ?? '',
      before: textOf(siblings[index - 1]),
      text: textOf(unit),
      after: textOf(siblings[index + 1]),
    };
  };
}

/**
 * The session's journal: each command's effects appended (on the disk when `record` resolves),
 * reopened after a fold replaced the file, closed at the end.
 */
class JournalRecorder {
  decisionsMade = 0;
  finished = false;

  private constructor(
    private writer: JournalWriter,
    private readonly file: string,
    private readonly header: { coder: string; codebook_hash: string },
    private readonly context: { codebook: CodebookModel; shownAs: string; now: () => Date },
  ) {}

  static async open(
    file: string,
    header: { coder: string; codebook_hash: string },
    context: { codebook: CodebookModel; shownAs: string; now: () => Date },
  ): Promise<JournalRecorder> {
    return new JournalRecorder(await JournalWriter.open(file, header), file, header, context);
  }

  async record(effects: readonly SessionEffect[]): Promise<void> {
    if (effects.length === 0) return;
    if (this.finished) throw new Error('the coding session has ended');
    const time = timestamp(this.context.now);
    let text = '';
    for (const effect of effects) {
      if (effect.kind === 'decide') {
        text += journalLine({
          kind: 'decision',
          unitId: effect.unitId,
          codes: effect.decision.codes.map((code) => this.context.codebook.codes[code]!.id),
          memo: effect.decision.memo,
          time,
        });
        this.decisionsMade++;
      } else text += journalLine({ kind: 'at', unitId: effect.unitId, time });
    }
    try {
      await this.writer.append(text);
    } catch (error) {
      throw this.notSaved(effects, error);
    }
  }

  /** Close the journal while `fold` replaces it, then append to the new file. */
  async around<T>(fold: () => Promise<T>): Promise<T> {
    await this.writer.close();
    try {
      return await fold();
    } finally {
      this.writer = await JournalWriter.open(this.file, this.header);
    }
  }

  async close(): Promise<void> {
    this.finished = true;
    await this.writer.close();
  }

  /** Which decision was not saved, why, and that the ones before it are (each was on the disk before the next screen). */
  private notSaved(effects: readonly SessionEffect[], error: unknown): InputError {
    const { codebook, shownAs } = this.context;
    const decisions = effects.flatMap((effect) => (effect.kind === 'decide' ? [effect] : []));
    const what =
      decisions.length > 0
        ? decisions
            .map(
              (effect) =>
                `the decision on ${effect.unitId} (${effect.decision.codes.length === 0 ? 'no code applies' : effect.decision.codes.map((code) => codebook.codes[code]!.id).join(', ')})`,
            )
            .join(' and ')
        : `the position (unit ${effects[0]?.kind === 'at' ? (effects[0].unitId ?? 'end') : '?'} on screen)`;
    const cause = isSystemError(error)
      ? systemErrorCause(error)
      : error instanceof Error
        ? error.message
        : String(error);
    return new InputError(`${what} was NOT saved: cannot write ${shownAs}: ${cause}`, {
      hint: `every decision before it is saved in ${shownAs}. ${isSystemError(error) && error.code === 'ENOSPC' ? 'Free space on the disk' : "Fix the cause (disk space, the folder's permissions)"}, then run coding code --coder ${this.header.coder} again and decide that unit again.`,
      cause: error,
    });
  }
}

/**
 * Open a coder's session: check the scope and --from, take the coder's lock, fold what a previous
 * session left in the journal, load the coder's decisions and the corpus, and start the journal.
 */
export async function openCodeSession(options: CodeSessionOptions): Promise<OpenedCodeSession> {
  const now = options.now ?? (() => new Date());
  checkCoderName(options.coder);
  const study = await openStudy(options);
  const { coder } = options;
  const { files, shown } = coderSessionFiles(study, coder);

  // Everything that can be refused is checked before the lock is taken and anything is written.
  const scope = await sessionScope(study, options);
  const lock: HeldLock = await acquireLock(files.lock, shown.lock, coder, { now: now() });
  try {
    const startFold = await foldUnderLock(study, coder, now);
    const notices = startNotices(lock, startFold, shown);
    const previous = await loadCoder(study, coder, { required: false });
    const warnings = [...startFold.warnings, ...(previous?.warnings ?? [])];
    const decided = decidedUnits(study, previous);
    const view = unitViewer(await loadCorpus(corpusPaths(study.workspace.paths.corpus)));
    const session = startCodingSession(study, options, scope, decided, startFold.stopped);

    const journal = await JournalRecorder.open(
      files.journal,
      { coder, codebook_hash: study.codebook.hash },
      { codebook: study.codebook, shownAs: shown.journal, now },
    );
    await journal.record(session.enter().effects);
    return openedSession(
      {
        study,
        coder,
        scope: options.sample ? 'sample' : 'corpus',
        uncoded: options.uncoded,
        session,
        keys: assignCodeKeys(study.codebook.codes.length),
        shown,
        notices,
        warnings,
        startFold,
        view,
      },
      { now, journal, lock },
    );
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** The coder's file, journal and lock: their paths, and the same relative to the workspace for messages. */
function coderSessionFiles(
  study: Study,
  coder: string,
): { files: { csv: string; journal: string; lock: string }; shown: OpenedCodeSession['shown'] } {
  const annotations = study.workspace.paths.annotations;
  const files = { ...sessionFiles(annotations, coder), csv: coderFiles(annotations, coder).csv };
  const shown = {
    csv: relativeTo(study.workspace, files.csv),
    journal: relativeTo(study.workspace, files.journal),
    lock: relativeTo(study.workspace, files.lock),
  };
  return { files, shown };
}

/** What the start did that the coder should know: a stale lock taken over, a journal folded. */
function startNotices(lock: HeldLock, startFold: FoldResult, shown: OpenedCodeSession['shown']): string[] {
  const notices: string[] = [];
  if (lock.tookOver) {
    notices.push(
      `took over ${shown.lock}: the session of process ${lock.tookOver.pid} (started ${lock.tookOver.started}) no longer runs`,
    );
  }
  if (startFold.stored?.written) {
    const units = startFold.stored.units;
    notices.push(
      `recovered ${startFold.units} decision${startFold.units === 1 ? '' : 's'} from ${shown.journal} into ${shown.csv} (${units.added} added, ${units.replaced} changed)${startFold.stored.backup ? `; previous file in ${startFold.stored.backup}` : ''}`,
    );
  }
  return notices;
}

/**
 * The session over the units in scope (only those not reviewed yet with --uncoded), starting at
 * --from, else where the last session stopped; a unit outside the list is refused with the reason.
 */
function startCodingSession(
  study: Study,
  options: CodeSessionOptions,
  scope: { scopeUnits: string[]; inScope: (unitId: string) => boolean },
  decided: Map<string, UnitDecision>,
  stopped: Parameters<typeof startPosition>[0]['stopped'],
): CodingSession {
  const { scopeUnits, inScope } = scope;
  const listed = options.uncoded ? scopeUnits.filter((unit) => !decided.has(unit)) : scopeUnits;
  const members = new Set(listed);
  return new CodingSession({
    codebook: study.codebook,
    units: listed,
    decided,
    start: startPosition({
      units: listed,
      decided,
      corpusOrder: (unitId) => study.units.indexOf(unitId),
      from: options.from,
      stopped,
    }),
    explainOutside: (unitId) => {
      if (members.has(unitId)) return undefined;
      if (study.units.indexOf(unitId) < 0) return unknownUnitMessage(study, unitId);
      if (!inScope(unitId)) return `unit ${unitId} is not in the sample (leave out --sample to code it)`;
      return `unit ${unitId} was reviewed before this session began (leave out --uncoded to revisit it)`;
    },
  });
}

/** What an open session is, apart from what it does. */
type SessionFacts = Pick<
  OpenedCodeSession,
  | 'study'
  | 'coder'
  | 'scope'
  | 'uncoded'
  | 'session'
  | 'keys'
  | 'shown'
  | 'notices'
  | 'warnings'
  | 'startFold'
  | 'view'
>;

/**
 * The open session as its views use it: act on commands (their effects journaled), read its
 * state, fold the journal while it goes on, and end it (fold, then release the lock).
 */
function openedSession(
  facts: SessionFacts,
  parts: { now: () => Date; journal: JournalRecorder; lock: HeldLock },
): OpenedCodeSession {
  const { study, coder, session, view } = facts;
  const { now, journal, lock } = parts;
  const record = (effects: readonly SessionEffect[]): Promise<void> => journal.record(effects);
  const act = async (command: SessionCommand): Promise<ActResult> => {
    const outcome = session.apply(command);
    await record(outcome.effects);
    const saved: string[] = [];
    let moved = false;
    for (const effect of outcome.effects) {
      if (effect.kind === 'decide') saved.push(effect.unitId);
      else moved = true;
    }
    return { message: outcome.message, quit: outcome.quit, saved, moved };
  };
  const snapshot = (): SessionSnapshot & { unit: UnitView | undefined } => {
    const state = snapshotOf(session, study.codebook);
    return { ...state, unit: state.unitId === null ? undefined : view(state.unitId) };
  };
  const fold = async (): Promise<FoldResult> => {
    const { stopped: _stopped, ...result } = await foldUnderLock(study, coder, now);
    return result;
  };
  return {
    ...facts,
    record,
    act,
    snapshot,
    get decisionsMade() {
      return journal.decisionsMade;
    },
    async checkpoint() {
      if (journal.finished) throw new Error('the coding session has ended');
      // The fold replaces the journal by a new file: the writer must append to that one after it.
      return journal.around(fold);
    },
    async finish() {
      if (journal.finished) throw new Error('the coding session has already ended');
      try {
        await journal.close();
        return await fold();
      } finally {
        await lock.release();
      }
    },
    releaseSync() {
      lock.releaseSync();
    },
  };
}
