/**
 * Folding a coder's journal (`annotations/<coder>.journal.jsonl`, written by `coding code` and
 * `coding serve` as each decision is made) into the coder's file, `annotations/<coder>.csv`.
 */
import { type JournalRecord, latestDecisions, stoppedAt, unitMemo } from '../core/code-session.js';
import { Codings, packKey } from '../core/codings.js';
import { closest, didYouMean } from '../core/suggest.js';
import { type Finding, InputError } from '../errors.js';
import { exclusivityFindings } from '../io/annotations.js';
import { readJournal, rewriteJournal, sessionFiles } from '../io/journal.js';
import { withWorkspaceLock } from '../io/workspace-lock.js';
import { storeCodings } from './import-annotations.js';
import { documentOfUnit, loadCoder, relativeTo, type Study } from './study.js';

type StoreResult = Awaited<ReturnType<typeof storeCodings>>;

export interface FoldResult {
  /** Units whose decisions the journal held. */
  units: number;
  /** What storing them did (undefined when the journal held no decision). */
  stored: StoreResult | undefined;
  warnings: Finding[];
}

export const timestamp = (now: () => Date): string => now().toISOString();

/** The keys under which a unit's memo is stored: one per code, or the "no code" key. */
export function memoKeys(unitIndex: number, codes: ArrayLike<number>): number[] {
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

type DecisionRecord = Extract<JournalRecord, { kind: 'decision' }>;
type Decision = { unitIndex: number; codes: number[]; record: DecisionRecord };

/**
 * The journal's last decision on each unit as unit and code indexes, in corpus order.
 *
 * @throws InputError naming every line whose unit or code the study no longer has
 */
function resolveDecisions(
  study: Study,
  latest: Iterable<DecisionRecord>,
  shownAs: string,
  coder: string,
): Decision[] {
  const problems: Finding[] = [];
  const decisions: Decision[] = [];
  for (const record of latest) {
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
  return decisions.sort((left, right) => left.unitIndex - right.unitIndex);
}

/**
 * The decisions as codings, with their memos: a memo the coder did not edit stays on the codes
 * it was on (those still applied); an edited one goes on the unit's first code.
 */
function decisionCodings(
  decisions: readonly Decision[],
  previous: { codings: Codings; memos: ReadonlyMap<number, string> } | undefined,
): { codings: Codings; memos: Map<number, string> } {
  const keys: number[] = [];
  const memos = new Map<number, string>();
  const oldMemos = previous?.memos ?? new Map<number, string>();
  for (const { unitIndex, codes, record } of decisions) {
    if (codes.length === 0) keys.push(packKey(unitIndex, -1));
    for (const code of codes) keys.push(packKey(unitIndex, code));
    const newKeys = memoKeys(unitIndex, codes);
    const oldCodes = previous?.codings.codesOf(unitIndex);
    const oldKeys = oldCodes === undefined ? [] : memoKeys(unitIndex, oldCodes);
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
  return { codings: Codings.fromSortedKeys(Float64Array.from(keys)), memos };
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
    const decisions = resolveDecisions(study, latest.values(), shownAs, coder);
    const previous = await loadCoder(study, coder, { required: false });
    const { codings, memos } = decisionCodings(decisions, previous);
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
export function foldUnderLock(study: Study, coder: string, now: () => Date): ReturnType<typeof foldJournal> {
  return withWorkspaceLock(study.workspace.root, `coding code --coder ${coder} (saving the journal)`, () =>
    foldJournal(study, coder, now),
  );
}
