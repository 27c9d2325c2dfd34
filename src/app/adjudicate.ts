/**
 * `coding adjudicate`: settling the two coders' disagreements, one decision per unit, each saved
 * the moment it is made (so an interrupted session loses nothing and resumes where it stopped),
 * or all at once from a file of decisions.
 */
import path from 'node:path';
import type { CodebookModel } from '../core/codebook.js';
import { codesOnlyIn } from '../core/compare.js';
import { didYouMean } from '../core/suggest.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { adjudicationText, readAdjudication } from '../io/adjudication.js';
import { backupFile, exists, writeFileAtomic } from '../io/atomic.js';
import { scanCsv } from '../io/csv-scan.js';
import { type AdjudicationRecord, type Decision, decisions } from '../schema/adjudication.js';
import { type AnnotationSet, loadAnnotationSet } from './annotation-set.js';
import { iterateUnits } from './corpus.js';
import { relativeTo } from './study.js';

export interface Disagreement {
  unitIndex: number;
  unitId: string;
  docId: string;
  text: string;
  /** The units before and after in the same document, for context. */
  before: string;
  after: string;
  codesA: string[];
  codesB: string[];
}

export interface AdjudicationSession {
  set: AnnotationSet;
  coderA: string;
  coderB: string;
  file: string;
  shownAs: string;
  disagreements: Disagreement[];
  /** Decisions so far, by unit id (also decisions on units that no longer disagree). */
  decided: Map<string, AdjudicationRecord>;
  /** Record a decision and save the file at once. */
  decide(record: AdjudicationRecord): Promise<void>;
  /** Save the decisions as they are now. */
  save(): Promise<void>;
}

export interface OpenAdjudicationOptions {
  cwd: string;
  workspace?: string | undefined;
  coders?: string[] | undefined;
}

export function adjudicationFile(set: AnnotationSet): string {
  return path.join(set.study!.workspace.paths.annotations, 'adjudication.csv');
}

/** Open the workspace's disagreements and the decisions taken so far. */
export async function openAdjudication(options: OpenAdjudicationOptions): Promise<AdjudicationSession> {
  const set = await loadAnnotationSet({ ...options, annotations: undefined });
  if (set.coders.length !== 2)
    throw new UsageError(
      `adjudication settles two coders' disagreements; name them with --coders A,B (there are ${set.coders.length})`,
    );
  const [coderA, coderB] = set.coders as [string, string];
  const a = set.byCoder.get(coderA)!.codings;
  const b = set.byCoder.get(coderB)!.codings;
  const ids = (codes: ArrayLike<number>): string[] =>
    Array.from(codes, (code) => set.codebook.codes[code]!.id);
  const disagreements: Disagreement[] = [];
  let unitIndex = 0;
  let previous: { docId: string; text: string } | undefined;
  let waiting: Disagreement | undefined;
  for await (const unit of iterateUnits({
    cwd: set.study!.workspace.root,
    workspace: set.study!.workspace.root,
  })) {
    if (waiting && waiting.docId === unit.doc_id) waiting.after = unit.text;
    waiting = undefined;
    const codesA = a.codesOf(unitIndex);
    const codesB = b.codesOf(unitIndex);
    if (
      codesA &&
      codesB &&
      (codesOnlyIn(codesA, codesB).length > 0 || codesOnlyIn(codesB, codesA).length > 0)
    ) {
      waiting = {
        unitIndex,
        unitId: unit.unit_id,
        docId: unit.doc_id,
        text: unit.text,
        before: previous?.docId === unit.doc_id ? previous.text : '',
        after: '',
        codesA: ids(codesA),
        codesB: ids(codesB),
      };
      disagreements.push(waiting);
    }
    previous = { docId: unit.doc_id, text: unit.text };
    unitIndex++;
  }
  const file = adjudicationFile(set);
  const shownAs = relativeTo(set.study!.workspace, file);
  const decided = new Map<string, AdjudicationRecord>();
  for (const record of await readAdjudication(file, shownAs)) decided.set(record.unitId, record);
  const order = new Map(disagreements.map((disagreement, index) => [disagreement.unitId, index]));
  const save = async (): Promise<void> => {
    const records = [...decided.values()].sort(
      (left, right) =>
        set.units.indexOf(left.unitId) - set.units.indexOf(right.unitId) ||
        (order.get(left.unitId) ?? 0) - (order.get(right.unitId) ?? 0),
    );
    await writeFileAtomic(file, adjudicationText(records));
  };
  return {
    set,
    coderA,
    coderB,
    file,
    shownAs,
    disagreements,
    decided,
    async decide(record) {
      decided.set(record.unitId, record);
      await save();
    },
    save,
  };
}

/** The final codes a decision gives, checked against the codebook (unknown codes, exclusive categories). */
export function codesForDecision(
  decision: Decision,
  disagreement: Disagreement,
  edited: string[],
  codebook: CodebookModel,
): { codes: string[]; problems: string[] } {
  let codes: string[];
  switch (decision) {
    case 'a':
      codes = disagreement.codesA;
      break;
    case 'b':
      codes = disagreement.codesB;
      break;
    case 'both':
      codes = [...new Set([...disagreement.codesA, ...disagreement.codesB])];
      break;
    case 'neither':
      codes = [];
      break;
    case 'edit':
      codes = [...new Set(edited)];
      break;
  }
  const problems: string[] = [];
  const known = codebook.codes.map((code) => code.id);
  for (const code of codes)
    if (!codebook.codeById.has(code)) problems.push(`unknown code "${code}"${didYouMean(code, known)}`);
  const perCategory = new Map<string, string[]>();
  for (const code of codes) {
    const info = codebook.codeById.get(code);
    if (!info) continue;
    const list = perCategory.get(info.categoryId) ?? [];
    list.push(code);
    perCategory.set(info.categoryId, list);
  }
  for (const [category, list] of perCategory) {
    if (list.length > 1 && codebook.categoryById.get(category)?.exclusive)
      problems.push(`${list.join(' and ')} are both in the exclusive category ${category}`);
  }
  if (codebook.exclusive && codes.length > 1)
    problems.push(`the codebook is exclusive: one code per unit, not ${codes.length}`);
  const ordered = codes
    .filter((code) => codebook.codeById.has(code))
    .sort((left, right) => codebook.codeById.get(left)!.index - codebook.codeById.get(right)!.index);
  return { codes: problems.length === 0 ? ordered : codes, problems };
}

export interface FromFileOptions extends OpenAdjudicationOptions {
  file: string;
  by: string;
  replace: boolean;
  now?: () => Date;
}

/** What the rows of a decisions file are checked against, and what a row that gives no decider is recorded with. */
interface DecisionRowContext {
  session: AdjudicationSession;
  /** The disagreements, by unit id. */
  byUnit: Map<string, Disagreement>;
  /** Units decided by the rows read so far. */
  seen: Set<string>;
  /** Who decides when a row has no decided_by. */
  by: string;
  /** The time recorded with every decision of the file. */
  decidedAt: string;
}

/**
 * Decisions from a CSV file (`unit_id,decision[,codes][,rationale][,decided_by]`): all checked
 * before any is saved; a decision that differs from one already taken needs `replace`.
 */
export async function adjudicateFromFile(options: FromFileOptions): Promise<{
  session: AdjudicationSession;
  added: number;
  replaced: number;
  unchanged: number;
  backup?: string;
}> {
  const session = await openAdjudication(options);
  const now = (options.now ?? (() => new Date()))()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  const { records, findings } = await readDecisions(session, options, now);
  const { added, replaced, unchanged } = tallyDecisions(records, session.decided, options, findings);
  if (findings.length > 0) {
    throw new InputError(`no decision saved: ${findings.length} problem${findings.length === 1 ? '' : 's'}`, {
      findings,
      ...(findings.some((finding) => finding.code === 'DECIDED')
        ? { hint: 'to change decisions already taken, run again with --replace (the old file is backed up).' }
        : {}),
    });
  }
  let backup: string | undefined;
  if (added + replaced > 0) backup = await saveDecisions(session, records, replaced > 0);
  return { session, added, replaced, unchanged, ...(backup ? { backup } : {}) };
}

/** Reads a decisions file, each row checked; a row's problems become findings at its line. */
async function readDecisions(
  session: AdjudicationSession,
  options: FromFileOptions,
  decidedAt: string,
): Promise<{ records: AdjudicationRecord[]; findings: Finding[] }> {
  const shownAs = options.file;
  const context: DecisionRowContext = {
    session,
    byUnit: new Map(session.disagreements.map((disagreement) => [disagreement.unitId, disagreement])),
    seen: new Set<string>(),
    by: options.by,
    decidedAt,
  };
  const findings: Finding[] = [];
  const records: AdjudicationRecord[] = [];
  let columns: Record<string, number> = {};
  await scanCsv(path.resolve(options.cwd, options.file), {
    shownAs,
    onHeader(header) {
      columns = decisionColumns(header, shownAs);
    },
    onRow(fields, line) {
      const field = (name: string): string =>
        columns[name] === undefined ? '' : fields[columns[name]!]!.trim();
      const row = decisionFromRow(field, columns['codes'] !== undefined, context);
      if ('record' in row) records.push(row.record);
      else
        for (const message of row.problems)
          findings.push({ code: 'BAD_DECISION', severity: 'error', file: shownAs, line, message });
    },
  });
  return { records, findings };
}

/** The column of each name (lower-cased) in a decisions file's header, which must have unit_id and decision. */
function decisionColumns(header: readonly string[], shownAs: string): Record<string, number> {
  const columns: Record<string, number> = Object.fromEntries(
    header.map((name, index) => [name.toLowerCase(), index]),
  );
  for (const needed of ['unit_id', 'decision']) {
    if (columns[needed] === undefined)
      throw new InputError(`no "${needed}" column; the columns are ${header.join(', ')}`, {
        location: { file: shownAs, line: 1 },
        hint: 'a decisions file has unit_id,decision[,codes][,rationale][,decided_by].',
      });
  }
  return columns;
}

/**
 * One row of a decisions file as a decision, or the problems that keep it from being one: a unit
 * that is not a disagreement or is decided twice, an unknown decision (a coder's name stands for
 * a or b), or final codes the codebook refuses.
 */
function decisionFromRow(
  field: (name: string) => string,
  hasCodesColumn: boolean,
  context: DecisionRowContext,
): { record: AdjudicationRecord } | { problems: string[] } {
  const { session } = context;
  const unitId = field('unit_id');
  const disagreement = context.byUnit.get(unitId);
  if (!disagreement) {
    return {
      problems: [
        session.set.units.indexOf(unitId) < 0
          ? `unknown unit id "${unitId}"`
          : `unit ${unitId} is not a disagreement between ${session.coderA} and ${session.coderB}`,
      ],
    };
  }
  if (context.seen.has(unitId)) return { problems: [`unit ${unitId} is decided twice in this file`] };
  context.seen.add(unitId);
  let decision = field('decision').toLowerCase();
  if (decision === session.coderA.toLowerCase()) decision = 'a';
  if (decision === session.coderB.toLowerCase()) decision = 'b';
  if (!(decisions as readonly string[]).includes(decision)) {
    return {
      problems: [
        `decision "${field('decision')}" is not one of a (${session.coderA}), b (${session.coderB}), both, neither, edit`,
      ],
    };
  }
  const edited = field('codes')
    .split(/[\s;,]+/)
    .filter((code) => code !== '');
  if (decision === 'edit' && !hasCodesColumn) {
    return { problems: ['an "edit" decision needs a codes column with the final codes'] };
  }
  const { codes, problems } = codesForDecision(
    decision as Decision,
    disagreement,
    edited,
    session.set.codebook,
  );
  if (problems.length > 0) return { problems: problems.map((message) => `unit ${unitId}: ${message}`) };
  return {
    record: {
      unitId,
      decision: decision as Decision,
      codes,
      coderA: session.coderA,
      coderB: session.coderB,
      decidedBy: field('decided_by') || context.by,
      decidedAt: context.decidedAt,
      rationale: field('rationale'),
    },
  };
}

/** A decision the same as one taken before: same decision, codes and rationale. */
function sameDecision(earlier: AdjudicationRecord, record: AdjudicationRecord): boolean {
  return (
    earlier.codes.join(' ') === record.codes.join(' ') &&
    earlier.decision === record.decision &&
    earlier.rationale === record.rationale
  );
}

/**
 * Counts the file's decisions that are new, that change one taken before, and that repeat one;
 * without `replace`, each change is a finding.
 */
function tallyDecisions(
  records: readonly AdjudicationRecord[],
  decided: ReadonlyMap<string, AdjudicationRecord>,
  options: { file: string; replace: boolean },
  findings: Finding[],
): { added: number; replaced: number; unchanged: number } {
  let added = 0;
  let replaced = 0;
  let unchanged = 0;
  for (const record of records) {
    const earlier = decided.get(record.unitId);
    if (!earlier) added++;
    else if (sameDecision(earlier, record)) unchanged++;
    else {
      replaced++;
      if (!options.replace) {
        findings.push({
          code: 'DECIDED',
          severity: 'error',
          file: options.file,
          message: `unit ${record.unitId} was decided already (${earlier.decision}: ${earlier.codes.join(' ') || 'no code'}, by ${earlier.decidedBy})`,
        });
      }
    }
  }
  return { added, replaced, unchanged };
}

/**
 * Saves the new and changed decisions, after backing up the decisions file when `backUp` (some
 * decisions are replaced); returns where the backup went.
 */
async function saveDecisions(
  session: AdjudicationSession,
  records: readonly AdjudicationRecord[],
  backUp: boolean,
): Promise<string | undefined> {
  let backup: string | undefined;
  if (backUp && (await exists(session.file))) {
    backup = relativeTo(
      session.set.study!.workspace,
      await backupFile(session.file, path.join(path.dirname(session.file), '.backup')),
    );
  }
  for (const record of records) {
    const earlier = session.decided.get(record.unitId);
    if (!earlier || !sameDecision(earlier, record)) session.decided.set(record.unitId, record);
  }
  await session.save();
  return backup;
}

/** Decisions that still apply (their unit still disagrees) and the disagreements left. */
export function adjudicationStatus(session: AdjudicationSession): {
  disagreements: number;
  decided: number;
  pending: number;
  stale: string[];
} {
  const current = new Set(session.disagreements.map((disagreement) => disagreement.unitId));
  const decided = session.disagreements.filter((disagreement) =>
    session.decided.has(disagreement.unitId),
  ).length;
  const stale = [...session.decided.keys()].filter((unitId) => !current.has(unitId));
  return {
    disagreements: session.disagreements.length,
    decided,
    pending: session.disagreements.length - decided,
    stale,
  };
}
