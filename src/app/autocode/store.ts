/**
 * Where a machine coder's work is kept, and the guard that keeps it off people's work.
 *
 * A machine coder is an ordinary coder: `annotations/NAME.csv` and `NAME.meta.json`, so merge,
 * reliability, themes, report and export read it like any other. Beside them,
 * `annotations/NAME.autocode.json` says that a machine wrote the file, how (method, parameters,
 * provenance), and with what result. A file without that record, or one written by another
 * method, belongs to someone else and is never replaced.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Codings } from '../../core/codings.js';
import { UsageError } from '../../errors.js';
import { AtomicBatch, backupPath, exists } from '../../io/atomic.js';
import { addCoderFiles, coderFiles, metaText, storedAnnotationLines } from '../../io/coder-files.js';
import { refuseWhileCoding, sessionFiles } from '../../io/journal.js';
import { checkCoderName, relativeTo, type Study } from '../study.js';

export const autocodeMethods = ['dictionary', 'model', 'llm'] as const;
export type AutocodeMethod = (typeof autocodeMethods)[number];

export const autocodeFormatVersion = 1;

/** The files of a machine coder. */
export function machineCoderFiles(
  annotationsFolder: string,
  coder: string,
): { csv: string; meta: string; record: string } {
  return {
    ...coderFiles(annotationsFolder, coder),
    record: path.join(annotationsFolder, `${coder}.autocode.json`),
  };
}

/** The method recorded for a machine coder, or undefined when the coder has no record (a person). */
export async function recordedMethod(recordFile: string): Promise<string | undefined> {
  if (!(await exists(recordFile))) return undefined;
  try {
    const data = JSON.parse(await fs.readFile(recordFile, 'utf8')) as { format?: unknown; method?: unknown };
    return data.format === 'coding-autocode' && typeof data.method === 'string' ? data.method : undefined;
  } catch {
    return undefined;
  }
}

/** Machine coders of a study (coders with an autocode record), sorted. */
export async function machineCoders(annotationsFolder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(annotationsFolder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.autocode.json'))
    .map((name) => name.slice(0, -'.autocode.json'.length).normalize('NFC'))
    .sort();
}

/**
 * Refuse a name that holds a person's codes, or another method's; a machine coder of the same method
 * is replaced (with a backup). Checked before any work starts.
 */
export async function checkMachineCoder(study: Study, coder: string, method: AutocodeMethod): Promise<void> {
  checkCoderName(coder);
  const files = machineCoderFiles(study.workspace.paths.annotations, coder);
  if (!(await exists(files.csv))) return;
  const shownAs = relativeTo(study.workspace, files.csv);
  const recorded = await recordedMethod(files.record);
  if (recorded === undefined)
    throw new UsageError(`${shownAs} holds the codes of coder "${coder}", which no machine coder wrote`, {
      hint: `a machine coder never replaces a person's codes: choose another name with --as (for example --as ${method}).`,
    });
  if (recorded !== method)
    throw new UsageError(`${shownAs} was written by the ${recorded} coder, not the ${method} coder`, {
      hint: `choose another name with --as, or remove ${shownAs} and ${relativeTo(study.workspace, files.record)} first.`,
    });
  await refuseWhileCoding(
    sessionFiles(study.workspace.paths.annotations, coder).lock,
    relativeTo(study.workspace, sessionFiles(study.workspace.paths.annotations, coder).lock),
    coder,
    shownAs,
  );
}

export interface MachineCoderOutput {
  coder: string;
  codings: Codings;
  memos: ReadonlyMap<number, string>;
  /** The autocode record, written as annotations/NAME.autocode.json. */
  record: Record<string, unknown>;
  /** Other files beside the annotations (name relative to annotations/ → content, or its lines). */
  sideFiles?: ReadonlyMap<string, string | Iterable<string>>;
}

/**
 * Write a machine coder's files together (all or none); a previous version of each is copied to
 * annotations/.backup/ first. Returns the backup of the CSV, if there was one.
 */
export async function writeMachineCoder(
  study: Study,
  output: MachineCoderOutput,
): Promise<string | undefined> {
  const annotations = study.workspace.paths.annotations;
  const files = machineCoderFiles(annotations, output.coder);
  const batch = new AtomicBatch();
  let backup: string | undefined;
  try {
    const backupFolder = path.join(annotations, '.backup');
    const targets = [
      files.csv,
      files.meta,
      files.record,
      ...[...(output.sideFiles?.keys() ?? [])].map((name) => path.join(annotations, name)),
    ];
    for (const target of targets) {
      if (!(await exists(target))) continue;
      const copy = await backupPath(target, backupFolder);
      batch.addCopy(target, copy);
      if (target === files.csv) backup = relativeTo(study.workspace, copy);
    }
    await addCoderFiles(batch, files, {
      codings: output.codings,
      memos: output.memos,
      units: study.units,
      codebook: study.codebook,
      coder: output.coder,
      codebookFile: study.codebookFile,
    });
    batch.add(
      files.record,
      `${JSON.stringify({ format: 'coding-autocode', version: autocodeFormatVersion, ...output.record }, null, 2)}\n`,
    );
    for (const [name, content] of output.sideFiles ?? []) {
      if (typeof content === 'string') {
        batch.add(path.join(annotations, name), content);
        continue;
      }
      const stream = await batch.stream(path.join(annotations, name));
      for (const line of content) await stream.write(line);
    }
    await batch.commit();
  } catch (error) {
    await batch.abort();
    throw error;
  }
  return backup;
}

/** SHA-256 of a file's bytes, or undefined when it is absent. */
async function fileHash(file: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await fs.readFile(file))
      .digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * What `writeMachineCoder` would write as the annotations (NAME.csv and NAME.meta.json), compared
 * byte for byte with the files in the workspace, writing nothing: `coding reproduce` re-runs a
 * machine coder this way. Returns the first file that differs (relative to the workspace), or
 * undefined when both are identical. The record is not compared: it holds dates and counts of the
 * run that wrote it.
 */
export async function compareMachineCoder(
  study: Study,
  output: MachineCoderOutput,
): Promise<string | undefined> {
  const files = machineCoderFiles(study.workspace.paths.annotations, output.coder);
  const csv = createHash('sha256');
  for (const line of storedAnnotationLines(output.codings, output.memos, study.units, study.codebook))
    csv.update(line);
  if ((await fileHash(files.csv)) !== csv.digest('hex')) return relativeTo(study.workspace, files.csv);
  const meta = metaText({
    coder: output.coder,
    codebook: study.codebookFile,
    codebook_hash: study.codebook.hash,
    units_reviewed: output.codings.size,
    codings: output.codings.pairs,
  });
  if ((await fileHash(files.meta)) !== createHash('sha256').update(meta).digest('hex'))
    return relativeTo(study.workspace, files.meta);
  return undefined;
}

/** Where a machine coder's output goes: written to the workspace, or compared with it. */
export type MachineCoderSink = (study: Study, output: MachineCoderOutput) => Promise<string | undefined>;
