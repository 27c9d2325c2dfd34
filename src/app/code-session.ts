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
  type JournalRecord,
  latestDecisions,
  type MessageTone,
  type SessionCommand,
  type SessionEffect,
  startPosition,
  stoppedAt,
  type UnitDecision,
  unitMemo,
} from '../core/code-session.js';
import { type SessionSnapshot, snapshotOf } from '../core/code-view.js';
import { Codings, packKey } from '../core/codings.js';
import { sliceCodePoints } from '../core/segment.js';
import { closest, didYouMean } from '../core/suggest.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { coderFiles, exclusivityFindings } from '../io/annotations.js';
import { corpusPaths, loadCorpus } from '../io/corpus-store.js';
import { isSystemError, systemErrorCause } from '../io/fs-errors.js';
import {
  acquireLock,
  type HeldLock,
  JournalWriter,
  journalLine,
  readJournal,
  rewriteJournal,
  sessionFiles,
} from '../io/journal.js';
import { withWorkspaceLock } from '../io/workspace-lock.js';
import { storeCodings } from './import-annotations.js';
import { readSample } from './sample.js';
import { checkCoderName, documentOfUnit, loadCoder, openStudy, relativeTo, type Study } from './study.js';

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

type StoreResult = Awaited<ReturnType<typeof storeCodings>>;

export interface FoldResult {
  /** Units whose decisions the journal held. */
  units: number;
  /** What storing them did (undefined when the journal held no decision). */
  stored: StoreResult | undefined;
  warnings: Finding[];
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

const timestamp = (now: () => Date): string => now().toISOString();

function memoKeys(unitIndex: number, codes: ArrayLike<number>): number[] {
  return codes.length === 0
    ? [packKey(unitIndex, -1)]
    : Array.from(codes, (code) => packKey(unitIndex, code));
}

/**
 * Why a unit id is not in the corpus: the range of units of its document, or the closest unit id
 * ("did you mean").
 */
export function unknownUnitMessage(study: Study, unitId: string): string {
  const highest = new Map<string, number>();
  for (let index = 0; index < study.units.size; index++) {
    const id = study.units.idAt(index);
    const document = documentOfUnit(id);
    highest.set(document, Math.max(highest.get(document) ?? 0, Number(id.slice(document.length + 1))));
  }
  const document = unitId.includes(':') ? documentOfUnit(unitId) : unitId;
  const count = highest.get(document);
  if (count !== undefined)
    return `no unit "${unitId}" in the corpus (document ${document} has units ${document}:1 to ${document}:${count})`;
  const closeDocument = closest(document, highest.keys());
  let suggestion: string | undefined;
  if (closeDocument !== undefined) {
    const ordinal = unitId.includes(':') ? unitId.slice(document.length + 1) : '1';
    suggestion =
      study.units.indexOf(`${closeDocument}:${ordinal}`) >= 0
        ? `${closeDocument}:${ordinal}`
        : `${closeDocument}:1`;
  }
  return `no unit "${unitId}" in the corpus${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`;
}

/**
 * Fold a coder's journal into `annotations/<coder>.csv`: the last decision of each unit, as an
 * explicit change (`replace`, so the old file is backed up once), then rewrite the journal to its
 * header and where the session stopped. Lines cut off by a kill are ignored with a warning.
 *
 * @throws InputError when a decision names a unit or code that the corpus or codebook no longer has
 */
export async function foldJournal(
  study: Study,
  coder: string,
  now: () => Date = () => new Date(),
): Promise<FoldResult & { stopped: ReturnType<typeof stoppedAt> }> {
  const files = sessionFiles(study.workspace.paths.annotations, coder);
  const shownAs = relativeTo(study.workspace, files.journal);
  const journal = await readJournal(files.journal, shownAs, coder);
  if (journal === undefined) return { units: 0, stored: undefined, warnings: [], stopped: undefined };
  const warnings = [...journal.warnings];
  const latest = latestDecisions(journal.records);
  const stopped = stoppedAt(journal.records);
  if (latest.size > 0 && journal.header && journal.header.codebook_hash !== study.codebook.hash) {
    warnings.push({
      code: 'CODEBOOK_CHANGED',
      severity: 'warning',
      file: shownAs,
      message: `these decisions were made with another version of the codebook (${study.codebookFile} changed since); check that the codes still mean what they meant`,
    });
  }
  let stored: StoreResult | undefined;
  if (latest.size > 0) {
    const problems: Finding[] = [];
    const keys: number[] = [];
    const decisions: Array<{
      unitIndex: number;
      codes: number[];
      record: Extract<JournalRecord, { kind: 'decision' }>;
    }> = [];
    for (const record of latest.values()) {
      const unitIndex = study.units.indexOf(record.unitId);
      if (unitIndex < 0) {
        problems.push({
          code: 'UNKNOWN_UNIT',
          severity: 'error',
          file: shownAs,
          line: record.line,
          message: unknownUnitMessage(study, record.unitId),
        });
        continue;
      }
      const codes: number[] = [];
      for (const id of record.codes) {
        const code = study.codebook.codeById.get(id);
        if (code === undefined) {
          problems.push({
            code: 'UNKNOWN_CODE',
            severity: 'error',
            file: shownAs,
            line: record.line,
            message: `unit ${record.unitId}: unknown code "${id}"${didYouMean(id, study.codebook.codeById.keys())}`,
          });
        } else if (!codes.includes(code.index)) codes.push(code.index);
      }
      codes.sort((left, right) => left - right);
      decisions.push({ unitIndex, codes, record });
    }
    if (problems.length > 0) {
      throw new InputError(
        `cannot fold ${shownAs} into annotations/${coder}.csv: it names units or codes the study no longer has`,
        {
          findings: problems,
          hint: `put the codes back in the codebook (or the documents in the corpus), or delete those lines from ${shownAs}; the other decisions are kept until then.`,
        },
      );
    }
    decisions.sort((left, right) => left.unitIndex - right.unitIndex);
    const previous = await loadCoder(study, coder, { required: false });
    const memos = new Map<number, string>();
    for (const { unitIndex, codes, record } of decisions) {
      if (codes.length === 0) keys.push(packKey(unitIndex, -1));
      for (const code of codes) keys.push(packKey(unitIndex, code));
      const newKeys = memoKeys(unitIndex, codes);
      const oldCodes = previous?.codings.codesOf(unitIndex);
      const oldKeys = oldCodes === undefined ? [] : memoKeys(unitIndex, oldCodes);
      const oldMemos = previous?.memos ?? new Map<number, string>();
      const shownBefore = unitMemo(oldKeys.map((key) => oldMemos.get(key) ?? ''));
      let carried = false;
      if (record.memo === shownBefore) {
        // The memo was not edited: keep the memos of the codes that are still applied, where they were.
        for (const key of newKeys) {
          const memo = oldMemos.get(key);
          if (memo !== undefined && memo !== '') {
            memos.set(key, memo);
            carried = true;
          }
        }
      }
      if (!carried && record.memo !== '') memos.set(newKeys[0]!, record.memo);
    }
    const codings = Codings.fromSortedKeys(Float64Array.from(keys));
    const exclusive = exclusivityFindings(codings, study.codebook, study.units, undefined, shownAs);
    if (exclusive.length > 0) {
      throw new InputError(`cannot fold ${shownAs}: decisions break the codebook's exclusive categories`, {
        findings: exclusive,
        hint: `the codebook changed during the session; delete those lines from ${shownAs}, then code the units again.`,
      });
    }
    stored = await storeCodings(study, { coder, codings, memos, shownAs, replace: true });
  }
  const position =
    stopped === undefined
      ? undefined
      : { unitId: stopped.unitId, ...(stopped.after ? { after: true } : {}), time: timestamp(now) };
  await rewriteJournal(files.journal, { coder, codebook_hash: study.codebook.hash }, position);
  return { units: latest.size, stored, warnings, stopped };
}

/** Fold the journal holding the workspace's write lock: the coder's file is changed like any other write. */
function foldUnderLock(study: Study, coder: string, now: () => Date): ReturnType<typeof foldJournal> {
  return withWorkspaceLock(study.workspace.root, `coding code --coder ${coder} (saving the journal)`, () =>
    foldJournal(study, coder, now),
  );
}

export async function openCodeSession(options: CodeSessionOptions): Promise<OpenedCodeSession> {
  const now = options.now ?? (() => new Date());
  checkCoderName(options.coder);
  const study = await openStudy(options);
  const { coder } = options;
  const annotations = study.workspace.paths.annotations;
  const files = { ...sessionFiles(annotations, coder), csv: coderFiles(annotations, coder).csv };
  const shown = {
    csv: relativeTo(study.workspace, files.csv),
    journal: relativeTo(study.workspace, files.journal),
    lock: relativeTo(study.workspace, files.lock),
  };

  // Everything that can be refused is checked before the lock is taken and anything is written.
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

  const lock: HeldLock = await acquireLock(files.lock, shown.lock, coder, { now: now() });
  try {
    const notices: string[] = [];
    if (lock.tookOver) {
      notices.push(
        `took over ${shown.lock}: the session of process ${lock.tookOver.pid} (started ${lock.tookOver.started}) no longer runs`,
      );
    }
    const startFold = await foldUnderLock(study, coder, now);
    if (startFold.stored?.written) {
      const units = startFold.stored.units;
      notices.push(
        `recovered ${startFold.units} decision${startFold.units === 1 ? '' : 's'} from ${shown.journal} into ${shown.csv} (${units.added} added, ${units.replaced} changed)${startFold.stored.backup ? `; previous file in ${startFold.stored.backup}` : ''}`,
      );
    }
    const previous = await loadCoder(study, coder, { required: false });
    const warnings = [...startFold.warnings, ...(previous?.warnings ?? [])];
    const decided = new Map<string, UnitDecision>();
    if (previous) {
      const { codings, memos } = previous;
      for (let position = 0; position < codings.size; position++) {
        const unitIndex = codings.units[position]!;
        const codes = Array.from(codings.codesAt(position));
        const memo = unitMemo(memoKeys(unitIndex, codes).map((key) => memos.get(key) ?? ''));
        decided.set(study.units.idAt(unitIndex), { codes, memo });
      }
    }
    const listed = options.uncoded ? scopeUnits.filter((unit) => !decided.has(unit)) : scopeUnits;
    const members = new Set(listed);
    const corpus = await loadCorpus(corpusPaths(study.workspace.paths.corpus));
    const positionInDocument = new Map<string, number>();
    for (const units of corpus.unitsByDocument.values())
      for (const [index, unit] of units.entries()) positionInDocument.set(unit.id, index);

    const session = new CodingSession({
      codebook: study.codebook,
      units: listed,
      decided,
      start: startPosition({
        units: listed,
        decided,
        corpusOrder: (unitId) => study.units.indexOf(unitId),
        from: options.from,
        stopped: startFold.stopped,
      }),
      explainOutside: (unitId) => {
        if (members.has(unitId)) return undefined;
        if (study.units.indexOf(unitId) < 0) return unknownUnitMessage(study, unitId);
        if (!inScope(unitId)) return `unit ${unitId} is not in the sample (leave out --sample to code it)`;
        return `unit ${unitId} was reviewed before this session began (leave out --uncoded to revisit it)`;
      },
    });

    const header = { coder, codebook_hash: study.codebook.hash };
    let writer = await JournalWriter.open(files.journal, header);
    let decisionsMade = 0;
    let finished = false;
    const record = async (effects: readonly SessionEffect[]): Promise<void> => {
      if (effects.length === 0) return;
      if (finished) throw new Error('the coding session has ended');
      const time = timestamp(now);
      let text = '';
      for (const effect of effects) {
        if (effect.kind === 'decide') {
          text += journalLine({
            kind: 'decision',
            unitId: effect.unitId,
            codes: effect.decision.codes.map((code) => study.codebook.codes[code]!.id),
            memo: effect.decision.memo,
            time,
          });
          decisionsMade++;
        } else text += journalLine({ kind: 'at', unitId: effect.unitId, time });
      }
      try {
        await writer.append(text);
      } catch (error) {
        throw notSaved(effects, error);
      }
    };
    /** Which decision was not saved, why, and that the ones before it are (each was on the disk before the next screen). */
    const notSaved = (effects: readonly SessionEffect[], error: unknown): InputError => {
      const decisions = effects.flatMap((effect) => (effect.kind === 'decide' ? [effect] : []));
      const what =
        decisions.length > 0
          ? decisions
              .map(
                (effect) =>
                  `the decision on ${effect.unitId} (${effect.decision.codes.length === 0 ? 'no code applies' : effect.decision.codes.map((code) => study.codebook.codes[code]!.id).join(', ')})`,
              )
              .join(' and ')
          : `the position (unit ${effects[0]?.kind === 'at' ? (effects[0].unitId ?? 'end') : '?'} on screen)`;
      const cause = isSystemError(error)
        ? systemErrorCause(error)
        : error instanceof Error
          ? error.message
          : String(error);
      return new InputError(`${what} was NOT saved: cannot write ${shown.journal}: ${cause}`, {
        hint: `every decision before it is saved in ${shown.journal}. ${isSystemError(error) && error.code === 'ENOSPC' ? 'Free space on the disk' : "Fix the cause (disk space, the folder's permissions)"}, then run coding code --coder ${coder} again and decide that unit again.`,
        cause: error,
      });
    };
    await record(session.enter().effects);

    const view = (unitId: string): UnitView => {
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

    return {
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
      record,
      act,
      snapshot,
      get decisionsMade() {
        return decisionsMade;
      },
      async checkpoint() {
        if (finished) throw new Error('the coding session has ended');
        // The fold replaces the journal by a new file: the writer must append to that one after it.
        await writer.close();
        try {
          const { stopped: _stopped, ...result } = await foldUnderLock(study, coder, now);
          return result;
        } finally {
          writer = await JournalWriter.open(files.journal, header);
        }
      },
      async finish() {
        if (finished) throw new Error('the coding session has already ended');
        finished = true;
        try {
          await writer.close();
          const { stopped: _stopped, ...result } = await foldUnderLock(study, coder, now);
          return result;
        } finally {
          await lock.release();
        }
      },
      releaseSync() {
        lock.releaseSync();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
