/**
 * `coding import --coder NAME FILE`: a coder's work into `annotations/<NAME>.csv`.
 *
 * Every row is checked before anything is written. Units the coder had not coded before are
 * added; units coded the same way are left alone; units now coded differently are refused unless
 * `--replace` is given, and then the old file is copied to `annotations/.backup/` first.
 */
import path from 'node:path';
import { Codings, packKey } from '../core/codings.js';
import { type Finding, InputError } from '../errors.js';
import { type Layout, readCodings } from '../io/annotations.js';
import { AtomicBatch, backupPath, exists, writeFileAtomic } from '../io/atomic.js';
import { addCoderFiles, coderFiles, metaText } from '../io/coder-files.js';
import { refuseWhileCoding, sessionFiles } from '../io/journal.js';
import {
  type CoderAnnotations,
  checkCoderName,
  loadCoder,
  openStudy,
  relativeTo,
  type Study,
} from './study.js';

export interface ImportAnnotationsOptions {
  cwd: string;
  workspace?: string | undefined;
  coder: string;
  file: string;
  layout?: Layout | undefined;
  delimiter?: string | undefined;
  replace: boolean;
}

export interface ImportAnnotationsResult {
  coder: string;
  file: string;
  layout: Layout;
  rows: number;
  units: { added: number; unchanged: number; replaced: number; kept: number; total: number };
  backup?: string;
  written: boolean;
  /** Nothing changed, but the annotations were checked against a changed codebook, whose hash is now recorded. */
  rechecked?: boolean;
  warnings: Finding[];
}

function sameArray(left: Int32Array, right: Int32Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

function memoKeys(unitIndex: number, codes: Int32Array): number[] {
  return codes.length === 0 ? [packKey(unitIndex, -1)] : [...codes].map((code) => packKey(unitIndex, code));
}

export async function importAnnotations(options: ImportAnnotationsOptions): Promise<ImportAnnotationsResult> {
  checkCoderName(options.coder);
  const study = await openStudy(options);
  const input = path.resolve(options.cwd, options.file);
  const shownAs = options.file === '-' ? '<stdin>' : options.file;
  if (options.file !== '-' && !(await exists(input))) {
    throw new InputError('the file does not exist', { location: { file: shownAs } });
  }
  const read = await readCodings({
    file: options.file === '-' ? '-' : input,
    shownAs,
    layout: options.layout,
    delimiter: options.delimiter,
    units: study.units,
    codebook: study.codebook,
    coder: options.coder,
    onlyCoder: true,
  });
  if (read.findings.length > 0) {
    throw new InputError(
      `nothing imported: ${read.findings.length >= 100 ? 'at least 100' : read.findings.length} problem${read.findings.length === 1 ? '' : 's'} in ${shownAs}`,
      {
        findings: read.findings,
      },
    );
  }
  if (read.codings.size === 0) {
    throw new InputError('the file codes no unit: every row is empty', {
      location: { file: shownAs },
      hint: 'mark at least one code, or "none" for a unit you reviewed where no code applies.',
    });
  }

  const result = await storeCodings(study, {
    coder: options.coder,
    codings: read.codings,
    memos: read.memos,
    shownAs,
    replace: options.replace,
  });
  return { ...result, file: shownAs, layout: read.layout, rows: read.rows };
}

export interface StoreCodingsOptions {
  coder: string;
  codings: Codings;
  memos: Map<number, string>;
  /** Where the codings came from, for messages. */
  shownAs: string;
  replace: boolean;
}

/** Every writer of a coder's file goes through here: a running `coding code` session of the coder keeps it out. */
async function refuseWhileCodingIn(study: Study, coder: string): Promise<void> {
  const annotations = study.workspace.paths.annotations;
  const lock = sessionFiles(annotations, coder).lock;
  await refuseWhileCoding(
    lock,
    relativeTo(study.workspace, lock),
    coder,
    relativeTo(study.workspace, coderFiles(annotations, coder).csv),
  );
}

/** The result of storing codings: what importAnnotations returns, less what only a file has. */
type StoreCodingsResult = Omit<ImportAnnotationsResult, 'file' | 'layout' | 'rows'>;

/**
 * Merge a coder's new codings into `annotations/<coder>.csv`: new units are added, units coded
 * the same are left alone, units coded differently need `replace` (and the old file is backed up
 * first). Used by every way a coder's work comes in: files, REFI-QDA projects, terminal coding.
 */
export async function storeCodings(study: Study, options: StoreCodingsOptions): Promise<StoreCodingsResult> {
  checkCoderName(options.coder);
  await refuseWhileCodingIn(study, options.coder);
  const incoming: CoderCodings = { codings: options.codings, memos: options.memos };
  const shownAs = options.shownAs;
  const existing = await loadCoder(study, options.coder, { required: false });
  const stored: CoderCodings = {
    codings: existing?.codings ?? Codings.empty(),
    memos: existing?.memos ?? new Map<number, string>(),
  };
  const files = coderFiles(study.workspace.paths.annotations, options.coder);
  const storedAs = relativeTo(study.workspace, files.csv);
  const merge = mergeCodings(study, stored, incoming, { shownAs, storedAs });
  const { added, unchanged, replaced, kept } = merge;

  const result: StoreCodingsResult = {
    coder: options.coder,
    units: { added, unchanged, replaced, kept, total: added + unchanged + replaced + kept },
    written: false,
    warnings: [...(existing?.warnings ?? []), ...notCodableWarnings(study, incoming.codings, shownAs)],
  };
  if (replaced > 0 && !options.replace) {
    throw new InputError(
      `nothing imported: ${replaced} unit${replaced === 1 ? ' is' : 's are'} coded differently from ${storedAs}`,
      {
        findings: merge.changes,
        hint: `to replace them, run again with --replace (the current ${storedAs} is copied to annotations/.backup/ first).`,
      },
    );
  }
  if (added === 0 && replaced === 0) {
    // The same codes again, under a codebook that has changed since: they were just checked
    // against it, so record its hash (and stop warning about the change).
    if (existing && existing.codebookHash !== study.codebook.hash) {
      await recordCodebookHash(study, files, options.coder, existing);
      result.rechecked = true;
      result.written = true;
      result.warnings = [];
    }
    return result;
  }
  const backup = await writeMergedCodings(
    study,
    files,
    options.coder,
    merge,
    replaced > 0 && existing !== undefined,
  );
  if (backup !== undefined) result.backup = backup;
  result.written = true;
  return result;
}

/** A coder's codings with their memos (by packed (unit, code) key; code −1 for a unit without codes). */
interface CoderCodings {
  codings: Codings;
  memos: Map<number, string>;
}

/** The stored and the incoming codings merged: sorted (unit, code) keys, memos, and what changed. */
interface CodingsMerge {
  keys: number[];
  memos: Map<number, string>;
  /** A finding per unit coded differently (the first 100). */
  changes: Finding[];
  added: number;
  unchanged: number;
  replaced: number;
  kept: number;
}

/**
 * Walks both sorted unit lists once: a unit only stored is kept, a unit only incoming is added,
 * a unit in both is unchanged when its codes and memos agree, else replaced by the incoming one.
 */
function mergeCodings(
  study: Study,
  stored: CoderCodings,
  incoming: CoderCodings,
  names: { shownAs: string; storedAs: string },
): CodingsMerge {
  const merge: CodingsMerge = {
    keys: [],
    memos: new Map<number, string>(),
    changes: [],
    added: 0,
    unchanged: 0,
    replaced: 0,
    kept: 0,
  };
  const old = stored.codings;
  const read = incoming.codings;
  let oldPosition = 0;
  let newPosition = 0;
  while (oldPosition < old.size || newPosition < read.size) {
    const oldUnit = oldPosition < old.size ? old.units[oldPosition]! : Number.POSITIVE_INFINITY;
    const newUnit = newPosition < read.size ? read.units[newPosition]! : Number.POSITIVE_INFINITY;
    if (oldUnit < newUnit) {
      takeUnit(stored, oldPosition++, merge);
      merge.kept++;
    } else if (newUnit < oldUnit) {
      takeUnit(incoming, newPosition++, merge);
      merge.added++;
    } else {
      const oldCodes = old.codesAt(oldPosition);
      const newCodes = read.codesAt(newPosition);
      const sameCodes = sameArray(oldCodes, newCodes);
      if (sameCodes && memosAgree(newUnit, oldCodes, newCodes, stored.memos, incoming.memos)) {
        merge.unchanged++;
        takeUnit(stored, oldPosition, merge);
      } else {
        merge.replaced++;
        if (merge.changes.length < 100) {
          const unit = study.units.idAt(newUnit);
          const describe = (codes: Int32Array): string =>
            codes.length === 0
              ? '(no code)'
              : [...codes].map((code) => study.codebook.codes[code]!.id).join(' ');
          merge.changes.push({
            code: 'CHANGED_CODES',
            severity: 'error',
            file: names.shownAs,
            message: sameCodes
              ? `unit ${unit}: the memo differs from the one in ${names.storedAs}`
              : `unit ${unit} is coded ${describe(oldCodes)} in ${names.storedAs}, and ${describe(newCodes)} here`,
          });
        }
        takeUnit(incoming, newPosition, merge);
      }
      oldPosition++;
      newPosition++;
    }
  }
  return merge;
}

/** Adds the unit at `position` of `source` to the merge: its (unit, code) keys and its memos. */
function takeUnit(source: CoderCodings, position: number, merge: CodingsMerge): void {
  const unitIndex = source.codings.units[position]!;
  const codes = source.codings.codesAt(position);
  if (codes.length === 0) merge.keys.push(packKey(unitIndex, -1));
  for (const code of codes) merge.keys.push(packKey(unitIndex, code));
  if (source.memos.size > 0)
    for (const key of memoKeys(unitIndex, codes))
      if (source.memos.has(key)) merge.memos.set(key, source.memos.get(key)!);
}

/** Whether a unit's memos, under its stored codes and its incoming ones, are the same on both sides. */
function memosAgree(
  unitIndex: number,
  oldCodes: Int32Array,
  newCodes: Int32Array,
  oldMemos: Map<number, string>,
  newMemos: Map<number, string>,
): boolean {
  if (newMemos.size === 0 && oldMemos.size === 0) return true;
  const agree = (key: number): boolean => (newMemos.get(key) ?? '') === (oldMemos.get(key) ?? '');
  return memoKeys(unitIndex, newCodes).every(agree) && memoKeys(unitIndex, oldCodes).every(agree);
}

/** Records the current codebook's hash in the coder's meta file, the codes being unchanged. */
async function recordCodebookHash(
  study: Study,
  files: { csv: string; meta: string },
  coder: string,
  existing: CoderAnnotations,
): Promise<void> {
  await writeFileAtomic(
    files.meta,
    metaText({
      coder,
      codebook: study.codebookFile,
      codebook_hash: study.codebook.hash,
      units_reviewed: existing.codings.size,
      codings: existing.codings.pairs,
    }),
  );
}

/**
 * Writes the merged codings as the coder's files, with the old files copied to
 * annotations/.backup/ in the same batch when `backUp`; returns where the CSV's backup went.
 */
async function writeMergedCodings(
  study: Study,
  files: { csv: string; meta: string },
  coder: string,
  merge: CodingsMerge,
  backUp: boolean,
): Promise<string | undefined> {
  const batch = new AtomicBatch();
  let backup: string | undefined;
  if (backUp) {
    // The backups appear together with the new files, or not at all.
    const backupFolder = path.join(study.workspace.paths.annotations, '.backup');
    const csvBackup = await backupPath(files.csv, backupFolder);
    batch.addCopy(files.csv, csvBackup);
    backup = relativeTo(study.workspace, csvBackup);
    if (await exists(files.meta)) batch.addCopy(files.meta, await backupPath(files.meta, backupFolder));
  }
  // The walk visits units in order and each unit's codes in order: the keys are sorted.
  const merged = Codings.fromSortedKeys(Float64Array.from(merge.keys));
  try {
    await addCoderFiles(batch, files, {
      codings: merged,
      memos: merge.memos,
      units: study.units,
      codebook: study.codebook,
      coder,
      codebookFile: study.codebookFile,
    });
    await batch.commit();
  } catch (error) {
    await batch.abort();
    throw error;
  }
  return backup;
}

/**
 * A warning for codes the codebook marks `codable: false` (grouping codes of a REFI-QDA codebook)
 * that the incoming codings use: kept as given (they may come from another program), but
 * `coding code` does not let coders apply them.
 */
function notCodableWarnings(study: Study, codings: Codings, shownAs: string): Finding[] {
  const units = new Map<number, number>();
  for (let position = 0; position < codings.size; position++)
    for (const code of codings.codesAt(position))
      if (!study.codebook.codes[code]!.codable) units.set(code, (units.get(code) ?? 0) + 1);
  if (units.size === 0) return [];
  const list = [...units]
    .sort((left, right) => left[0] - right[0])
    .map(([code, count]) => `${study.codebook.codes[code]!.id} (${count} unit${count === 1 ? '' : 's'})`);
  return [
    {
      code: 'NOT_CODABLE',
      severity: 'warning',
      file: shownAs,
      message: `codes the codebook marks codable: false are applied: ${list.join(', ')}; kept as given, but coding code does not let coders apply them`,
    },
  ];
}
