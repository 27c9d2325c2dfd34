/**
 * Decisions of `coding code` sessions that are not yet in a coder's file: a session killed or
 * crashed leaves them in `annotations/<coder>.journal`, and the next `coding code` folds them in.
 * An update of the corpus that drops a unit must see them like rows of an annotation file, or the
 * journal could no longer be folded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readJournal } from '../io/journal.js';
import type { Workspace } from '../io/workspace.js';
import { coderNameProblem } from '../schema/config.js';

export interface JournalReference {
  file: string;
  line: number;
  unitId: string;
  /** Why the reference matters, for the message. */
  note: string;
}

/** The decisions in pending session journals (`annotations/*.journal`) about the given units. */
export async function journalReferences(
  workspace: Workspace,
  unitIds: ReadonlySet<string>,
): Promise<JournalReference[]> {
  let entries: string[];
  try {
    entries = (await fs.readdir(workspace.paths.annotations))
      .filter((name) => name.endsWith('.journal'))
      .sort();
  } catch {
    return [];
  }
  const references: JournalReference[] = [];
  for (const name of entries) {
    const coder = name.slice(0, -'.journal'.length).normalize('NFC');
    if (coderNameProblem(coder) !== undefined) continue;
    const file = path.join(workspace.paths.annotations, name);
    const shownAs = path.relative(workspace.root, file).split(path.sep).join('/');
    const journal = await readJournal(file, shownAs, coder);
    if (journal === undefined) continue;
    for (const record of journal.records) {
      if (record.kind !== 'decision' || !unitIds.has(record.unitId)) continue;
      references.push({
        file: shownAs,
        line: record.line,
        unitId: record.unitId,
        note: `a decision of ${coder}'s coding session not yet stored in annotations/${coder}.csv (fold it first: run coding code --coder ${coder} and quit)`,
      });
    }
  }
  return references;
}
