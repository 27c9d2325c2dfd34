/**
 * Where the workspace refers to units: rows of annotation files, and the decisions of `coding code`
 * sessions not yet in a coder's file (a session killed or crashed leaves them in
 * `annotations/<coder>.journal`, and the next `coding code` folds them in). An update of the corpus
 * that drops a unit must see both, or an annotation would lose its unit or a journal could no
 * longer be folded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { columnIndex } from '../io/csv.js';
import { scanCsv } from '../io/csv-scan.js';
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

export interface UnitReference {
  file: string;
  line: number;
  unitId: string;
  note?: string;
}

/**
 * Where annotation files (any CSV under annotations/ with a unit_id column) and the pending
 * journals of coding sessions refer to the given units.
 */
export async function findUnitReferences(
  workspace: Workspace,
  unitIds: ReadonlySet<string>,
): Promise<UnitReference[]> {
  const references: UnitReference[] = [];
  let entries: string[];
  try {
    entries = (await fs.readdir(workspace.paths.annotations)).filter((name) => name.endsWith('.csv')).sort();
  } catch {
    return references;
  }
  for (const name of entries) {
    const file = path.join(workspace.paths.annotations, name);
    const shownAs = path.relative(workspace.root, file).split(path.sep).join('/');
    let column = -1;
    await scanCsv(file, {
      shownAs,
      onHeader(header) {
        column = columnIndex(header, 'unit_id');
      },
      onRow(fields, line) {
        if (column >= 0 && unitIds.has(fields[column]!))
          references.push({ file: shownAs, line, unitId: fields[column]! });
      },
    });
  }
  references.push(...(await journalReferences(workspace, unitIds)));
  return references;
}
