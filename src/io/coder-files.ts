/**
 * A coder's stored files in a workspace: `annotations/NAME.csv` (long: units in corpus order,
 * codes in codebook order, memos kept) and its metadata sidecar `NAME.meta.json`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CodebookModel } from '../core/codebook.js';
import { type Codings, packKey } from '../core/codings.js';
import type { UnitIndex } from '../core/units.js';
import { InputError } from '../errors.js';
import {
  type AnnotationsMeta,
  annotationsFormatVersion,
  annotationsMetaSchema,
  storedAnnotationsHeader,
} from '../schema/annotations.js';
import { type AtomicBatch, exists } from './atomic.js';
import { csvLine } from './csv-write.js';

/** Where a coder's files live in a workspace. */
export function coderFiles(annotationsFolder: string, coder: string): { csv: string; meta: string } {
  return {
    csv: path.join(annotationsFolder, `${coder}.csv`),
    meta: path.join(annotationsFolder, `${coder}.meta.json`),
  };
}

/** The stored long CSV of a coder, line by line: units in corpus order, codes in codebook order, memos kept. */
export function* storedAnnotationLines(
  codings: Codings,
  memos: ReadonlyMap<number, string>,
  units: UnitIndex,
  codebook: CodebookModel,
): Generator<string> {
  yield csvLine(storedAnnotationsHeader);
  for (let position = 0; position < codings.size; position++) {
    const unitIndex = codings.units[position]!;
    const unitId = units.idAt(unitIndex);
    const codes = codings.codesAt(position);
    if (codes.length === 0) {
      yield csvLine([unitId, '', memos.get(packKey(unitIndex, -1)) ?? '']);
      continue;
    }
    for (const codeIndex of codes) {
      yield csvLine([unitId, codebook.codes[codeIndex]!.id, memos.get(packKey(unitIndex, codeIndex)) ?? '']);
    }
  }
}

export function metaText(meta: Omit<AnnotationsMeta, 'format' | 'version'>): string {
  const full: AnnotationsMeta = { format: 'coding-annotations', version: annotationsFormatVersion, ...meta };
  return `${JSON.stringify(full, null, 2)}\n`;
}

/** Read a coder's sidecar metadata; undefined when there is none. */
export async function readMeta(file: string, shownAs: string): Promise<AnnotationsMeta | undefined> {
  if (!(await exists(file))) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError('the file is not valid JSON', { location: { file: shownAs }, cause: error });
  }
  const version = (data as { version?: unknown }).version;
  if (version !== annotationsFormatVersion) {
    throw new InputError(
      `unknown annotations format version: expected ${annotationsFormatVersion}, received ${String(version)}`,
      { location: { file: shownAs } },
    );
  }
  const result = annotationsMetaSchema.safeParse(data);
  if (!result.success)
    throw new InputError(`the file is malformed: ${result.error.issues[0]?.message}`, {
      location: { file: shownAs },
    });
  return result.data;
}

/** Write a coder's stored files as members of a batch of atomic writes (streamed: a million units never form one string). */
export async function addCoderFiles(
  batch: AtomicBatch,
  files: { csv: string; meta: string },
  content: {
    codings: Codings;
    memos: ReadonlyMap<number, string>;
    units: UnitIndex;
    codebook: CodebookModel;
    coder: string;
    codebookFile: string;
  },
): Promise<void> {
  const output = await batch.stream(files.csv);
  for (const line of storedAnnotationLines(content.codings, content.memos, content.units, content.codebook))
    await output.write(line);
  batch.add(
    files.meta,
    metaText({
      coder: content.coder,
      codebook: content.codebookFile,
      codebook_hash: content.codebook.hash,
      units_reviewed: content.codings.size,
      codings: content.codings.pairs,
    }),
  );
}
