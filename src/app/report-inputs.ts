/** The inputs a report was made from, with their SHA-256: the report records them instead of a date. */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { corpusPaths } from '../io/corpus-store.js';
import type { Workspace } from '../io/workspace.js';
import { relativeTo } from './study.js';

/** The SHA-256 of a file, read as a stream. */
async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The configuration, the codebook, the corpus files and every annotation file (CSV and JSON, by
 * name), each with its path in the workspace and its SHA-256. A file that is not there is left out.
 */
export async function reportInputs(workspace: Workspace): Promise<Array<{ file: string; sha256: string }>> {
  const inputs: Array<{ file: string; sha256: string }> = [];
  const paths = corpusPaths(workspace.paths.corpus);
  const candidates = [
    workspace.configFile,
    workspace.paths.codebook,
    paths.manifest,
    paths.documents,
    paths.units,
  ];
  try {
    for (const name of (await fs.readdir(workspace.paths.annotations)).sort()) {
      if (name.endsWith('.csv') || name.endsWith('.json'))
        candidates.push(path.join(workspace.paths.annotations, name));
    }
  } catch {
    // No annotations folder: nothing to hash.
  }
  for (const file of candidates) {
    try {
      inputs.push({ file: relativeTo(workspace, file), sha256: await fileHash(file) });
    } catch {
      // A missing optional input (no adjudication yet) is simply not listed.
    }
  }
  return inputs;
}
