/**
 * `annotations/selections.json`: the imported REFI-QDA selections (format: src/schema/selections.ts),
 * read with its format version checked, and written atomically with sorted keys' order fixed by the
 * schema and entries sorted, so the same imports give the same bytes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { type SelectionsFile, selectionsFileSchema, selectionsFormatVersion } from '../schema/selections.js';
import { writeFileAtomic } from './atomic.js';

export const selectionsFileName = 'selections.json';

export function selectionsPath(annotationsFolder: string): string {
  return path.join(annotationsFolder, selectionsFileName);
}

/**
 * The stored selections, or undefined when no project was imported.
 * @throws InputError for a file that is not JSON, has another format version, or does not match the schema
 */
export async function readSelections(
  annotationsFolder: string,
  shownAs: string,
): Promise<SelectionsFile | undefined> {
  let text: string;
  try {
    text = await fs.readFile(selectionsPath(annotationsFolder), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${shownAs} is not valid JSON`, {
      location: { file: shownAs },
      hint: 'it is written by coding import FILE.qdpx; import the project again to write it anew.',
      cause: error,
    });
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (version !== selectionsFormatVersion) {
    throw new InputError(
      `unknown selections format version: expected ${selectionsFormatVersion}, received ${String(version)}`,
      { location: { file: shownAs }, hint: 'a newer version of coding wrote it; update coding.' },
    );
  }
  const result = selectionsFileSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(
      `${shownAs} does not match its format: ${issue.message} at ${issue.path.join('.')}`,
      {
        location: { file: shownAs },
        hint: 'it is written by coding import FILE.qdpx; import the project again to write it anew.',
      },
    );
  }
  return result.data;
}

/** Writes the file atomically: two-space JSON, entries sorted (users by GUID, sources by document). */
export async function writeSelections(annotationsFolder: string, file: SelectionsFile): Promise<void> {
  const sorted: SelectionsFile = {
    ...file,
    users: [...file.users].sort((left, right) => compare(left.guid, right.guid)),
    notes: [...file.notes].sort((left, right) => compare(left.guid, right.guid)),
    documentSets: [...file.documentSets].sort((left, right) => compare(left.name, right.name)),
    sources: [...file.sources].sort((left, right) => compare(left.document, right.document)),
  };
  await fs.mkdir(annotationsFolder, { recursive: true });
  await writeFileAtomic(selectionsPath(annotationsFolder), `${JSON.stringify(sorted, null, 2)}\n`);
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
