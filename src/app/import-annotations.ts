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
import { checkCoderName, loadCoder, openStudy, relativeTo, type Study } from './study.js';

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

/**
 * Merge a coder's new codings into `annotations/<coder>.csv`: new units are added, units coded
 * the same are left alone, units coded differently need `replace` (and the old file is backed up
 * first). Used by every way a coder's work comes in: files, REFI-QDA projects, terminal coding.
 */
export async function storeCodings(
  study: Study,
  options: StoreCodingsOptions,
): Promise<Omit<ImportAnnotationsResult, 'file' | 'layout' | 'rows'>> {
  checkCoderName(options.coder);
  await refuseWhileCodingIn(study, options.coder);
  const read = { codings: options.codings, memos: options.memos };
  const shownAs = options.shownAs;
  const existing = await loadCoder(study, options.coder, { required: false });
  const old = existing?.codings ?? Codings.empty();
  const oldMemos = existing?.memos ?? new Map<number, string>();
  const files = coderFiles(study.workspace.paths.annotations, options.coder);
  const storedAs = relativeTo(study.workspace, files.csv);

  // Walk both sorted unit lists once.
  const keys: number[] = [];
  const memos = new Map<number, string>();
  const changes: Finding[] = [];
  let added = 0;
  let unchanged = 0;
  let replaced = 0;
  let kept = 0;
  let oldPosition = 0;
  let newPosition = 0;
  const takeOld = (position: number): void => {
    const unitIndex = old.units[position]!;
    const codes = old.codesAt(position);
    if (codes.length === 0) keys.push(packKey(unitIndex, -1));
    for (const code of codes) keys.push(packKey(unitIndex, code));
    if (oldMemos.size > 0)
      for (const key of memoKeys(unitIndex, codes)) if (oldMemos.has(key)) memos.set(key, oldMemos.get(key)!);
  };
  const takeNew = (position: number): void => {
    const unitIndex = read.codings.units[position]!;
    const codes = read.codings.codesAt(position);
    if (codes.length === 0) keys.push(packKey(unitIndex, -1));
    for (const code of codes) keys.push(packKey(unitIndex, code));
    if (read.memos.size > 0)
      for (const key of memoKeys(unitIndex, codes))
        if (read.memos.has(key)) memos.set(key, read.memos.get(key)!);
  };
  const describe = (codes: Int32Array): string =>
    codes.length === 0 ? '(no code)' : [...codes].map((code) => study.codebook.codes[code]!.id).join(' ');
  while (oldPosition < old.size || newPosition < read.codings.size) {
    const oldUnit = oldPosition < old.size ? old.units[oldPosition]! : Number.POSITIVE_INFINITY;
    const newUnit =
      newPosition < read.codings.size ? read.codings.units[newPosition]! : Number.POSITIVE_INFINITY;
    if (oldUnit < newUnit) {
      takeOld(oldPosition++);
      kept++;
    } else if (newUnit < oldUnit) {
      takeNew(newPosition++);
      added++;
    } else {
      const oldCodes = old.codesAt(oldPosition);
      const newCodes = read.codings.codesAt(newPosition);
      const sameMemos =
        (read.memos.size === 0 && oldMemos.size === 0) ||
        (memoKeys(newUnit, newCodes).every(
          (key) => (read.memos.get(key) ?? '') === (oldMemos.get(key) ?? ''),
        ) &&
          memoKeys(oldUnit, oldCodes).every(
            (key) => (read.memos.get(key) ?? '') === (oldMemos.get(key) ?? ''),
          ));
      if (sameArray(oldCodes, newCodes) && sameMemos) {
        unchanged++;
        takeOld(oldPosition);
      } else {
        replaced++;
        if (changes.length < 100) {
          changes.push({
            code: 'CHANGED_CODES',
            severity: 'error',
            file: shownAs,
            message: sameArray(oldCodes, newCodes)
              ? `unit ${study.units.idAt(newUnit)}: the memo differs from the one in ${storedAs}`
              : `unit ${study.units.idAt(newUnit)} is coded ${describe(oldCodes)} in ${storedAs}, and ${describe(newCodes)} here`,
          });
        }
        takeNew(newPosition);
      }
      oldPosition++;
      newPosition++;
    }
  }

  const result: Omit<ImportAnnotationsResult, 'file' | 'layout' | 'rows'> = {
    coder: options.coder,
    units: { added, unchanged, replaced, kept, total: added + unchanged + replaced + kept },
    written: false,
    warnings: [...(existing?.warnings ?? []), ...notCodableWarnings(study, read.codings, shownAs)],
  };
  if (replaced > 0 && !options.replace) {
    throw new InputError(
      `nothing imported: ${replaced} unit${replaced === 1 ? ' is' : 's are'} coded differently from ${storedAs}`,
      {
        findings: changes,
        hint: `to replace them, run again with --replace (the current ${storedAs} is copied to annotations/.backup/ first).`,
      },
    );
  }
  if (added === 0 && replaced === 0) {
    // The same codes again, under a codebook that has changed since: they were just checked
    // against it, so record its hash (and stop warning about the change).
    if (existing && existing.codebookHash !== study.codebook.hash) {
      await writeFileAtomic(
        files.meta,
        metaText({
          coder: options.coder,
          codebook: study.codebookFile,
          codebook_hash: study.codebook.hash,
          units_reviewed: existing.codings.size,
          codings: existing.codings.pairs,
        }),
      );
      result.rechecked = true;
      result.written = true;
      result.warnings = [];
    }
    return result;
  }

  const batch = new AtomicBatch();
  if (replaced > 0 && existing) {
    // The backups appear together with the new files, or not at all.
    const backupFolder = path.join(study.workspace.paths.annotations, '.backup');
    const csvBackup = await backupPath(files.csv, backupFolder);
    batch.addCopy(files.csv, csvBackup);
    result.backup = relativeTo(study.workspace, csvBackup);
    if (await exists(files.meta)) batch.addCopy(files.meta, await backupPath(files.meta, backupFolder));
  }
  // The walk above visits units in order and each unit's codes in order: the keys are sorted.
  const merged = Codings.fromSortedKeys(Float64Array.from(keys));
  try {
    await addCoderFiles(batch, files, {
      codings: merged,
      memos,
      units: study.units,
      codebook: study.codebook,
      coder: options.coder,
      codebookFile: study.codebookFile,
    });
    await batch.commit();
  } catch (error) {
    await batch.abort();
    throw error;
  }
  result.written = true;
  return result;
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
