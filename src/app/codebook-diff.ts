import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import { visibleText } from '../core/visible-text.js';
import { type Finding, UsageError } from '../errors.js';
import { toCsv } from '../io/csv-write.js';
import type { QdcImport } from '../io/qdc.js';
import type { Code, Codebook } from '../schema/codebook.js';
import { loadCheckedCodebook } from './codebook.js';

// ---------------------------------------------------------------------------------------------
// diff

export type ChangeKind = 'added' | 'removed' | 'renamed' | 'moved' | 'changed';

/** One difference between two codebooks; the JSON and CSV output use these names. */
export interface CodebookChange {
  change: ChangeKind;
  kind: 'codebook' | 'category' | 'code';
  /** The id in the new codebook (in the old one for a removal). */
  id: string;
  /** What changed: `label` (renamed), `id` (moved), a field name (changed), empty for added/removed. */
  field: string;
  old: string;
  new: string;
}

export const diffColumns = ['change', 'kind', 'id', 'field', 'old', 'new'] as const;

interface FlatEntry {
  kind: 'category' | 'code';
  id: string;
  /** The category id or parent code id; empty for a category. */
  parent: string;
  label: string;
  fields: Array<[string, string | undefined]>;
  guid: string | undefined;
}

function flatten(codebook: Codebook, guids: Map<string, string> | undefined): FlatEntry[] {
  const entries: FlatEntry[] = [];
  for (const category of codebook.categories) {
    entries.push({
      kind: 'category',
      id: category.id,
      parent: '',
      label: category.label,
      fields: [
        ['description', category.description],
        ['exclusive', String(category.exclusive)],
        ['color', category.color],
      ],
      guid: guids?.get(category.id),
    });
    const visit = (code: Code, parent: string): void => {
      entries.push({
        kind: 'code',
        id: code.id,
        parent,
        label: code.label,
        fields: [
          ['definition', code.definition],
          ['include', code.include],
          ['exclude', code.exclude],
          ['examples', code.examples === undefined ? undefined : code.examples.join(' | ')],
          ['color', code.color],
        ],
        guid: guids?.get(code.id),
      });
      for (const child of code.codes ?? []) visit(child, code.id);
    };
    for (const code of category.codes) visit(code, category.id);
  }
  return entries;
}

/**
 * The differences between two codebooks. Entries are matched by GUID when both come from `.qdc`
 * files (`guids` given for both), else by id. An unmatched old entry and an unmatched new entry of
 * the same kind with the same label and content count as one entry moved to a new id.
 */
/** How one entry changed between the two codebooks: moved or renamed, relabelled, fields changed. */
function entryChanges(old: FlatEntry, entry: FlatEntry): CodebookChange[] {
  const changes: CodebookChange[] = [];
  if (old.id !== entry.id || old.parent !== entry.parent) {
    changes.push({
      change: entry.kind === 'code' ? 'moved' : 'renamed',
      kind: entry.kind,
      id: entry.id,
      field: old.id !== entry.id ? 'id' : 'parent',
      old: old.id !== entry.id ? old.id : old.parent,
      new: old.id !== entry.id ? entry.id : entry.parent,
    });
  }
  if (old.label !== entry.label)
    changes.push({
      change: 'renamed',
      kind: entry.kind,
      id: entry.id,
      field: 'label',
      old: old.label,
      new: entry.label,
    });
  const oldFields = new Map(old.fields);
  for (const [field, value] of entry.fields) {
    const oldValue = oldFields.get(field);
    if (oldValue !== value)
      changes.push({
        change: 'changed',
        kind: entry.kind,
        id: entry.id,
        field,
        old: oldValue ?? '',
        new: value ?? '',
      });
  }
  return changes;
}

export function diffCodebookContents(
  before: Codebook,
  after: Codebook,
  guids: { before?: Map<string, string> | undefined; after?: Map<string, string> | undefined } = {},
): CodebookChange[] {
  const changes: CodebookChange[] = [];
  const useGuids = guids.before !== undefined && guids.after !== undefined;
  const oldEntries = flatten(before, guids.before);
  const newEntries = flatten(after, guids.after);
  const keyOf = (entry: FlatEntry): string =>
    useGuids && entry.guid !== undefined ? `guid:${entry.guid}` : `id:${entry.id}`;

  const codebookFields: Array<[string, string | undefined, string | undefined]> = [
    ['name', before.name, after.name],
    ['title', before.title, after.title],
    ['description', before.description, after.description],
    ['exclusive', String(before.exclusive), String(after.exclusive)],
  ];
  for (const [field, oldValue, newValue] of codebookFields) {
    if (oldValue !== newValue)
      changes.push({
        change: 'changed',
        kind: 'codebook',
        id: after.name,
        field,
        old: oldValue ?? '',
        new: newValue ?? '',
      });
  }

  const oldByKey = new Map(oldEntries.map((entry) => [keyOf(entry), entry]));
  const matched = new Map<FlatEntry, FlatEntry>();
  const unmatchedNew: FlatEntry[] = [];
  for (const entry of newEntries) {
    const old = oldByKey.get(keyOf(entry));
    if (old !== undefined && old.kind === entry.kind) {
      matched.set(entry, old);
      oldByKey.delete(keyOf(entry));
    } else unmatchedNew.push(entry);
  }
  // Moves: the same content under a new id.
  const signature = (entry: FlatEntry): string => JSON.stringify([entry.kind, entry.label, entry.fields]);
  const countSignatures = (entries: Iterable<FlatEntry>): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(signature(entry), (counts.get(signature(entry)) ?? 0) + 1);
    return counts;
  };
  const oldSignatures = countSignatures(oldByKey.values());
  const newSignatures = countSignatures(unmatchedNew);
  for (const entry of unmatchedNew) {
    const key = signature(entry);
    if (oldSignatures.get(key) !== 1 || newSignatures.get(key) !== 1) continue;
    const old = [...oldByKey.values()].find((candidate) => signature(candidate) === key)!;
    matched.set(entry, old);
    oldByKey.delete(keyOf(old));
  }

  for (const entry of newEntries) {
    const old = matched.get(entry);
    if (old === undefined)
      changes.push({ change: 'added', kind: entry.kind, id: entry.id, field: '', old: '', new: entry.label });
    else changes.push(...entryChanges(old, entry));
  }
  for (const old of oldEntries) {
    if (oldByKey.get(keyOf(old)) === old) {
      changes.push({ change: 'removed', kind: old.kind, id: old.id, field: '', old: old.label, new: '' });
    }
  }
  return changes;
}

export interface DiffOptions {
  cwd: string;
  old: string;
  new: string;
}

export interface DiffResult {
  changes: CodebookChange[];
  /** Warnings from reading `.qdc` inputs. */
  warnings: Finding[];
}

async function readForDiff(
  cwd: string,
  file: string,
): Promise<{ codebook: Codebook; guids: Map<string, string> | undefined; warnings: Finding[] }> {
  if (/\.(qdc|qdpx|qde)$/i.test(file)) {
    // The REFI-QDA readers and the XML parser load only when such a file is compared.
    const { codebookNameFromFile } = await import('../io/qdc.js');
    const { readCodebookOf } = await import('../io/qde-file.js');
    const imported: QdcImport = await readCodebookOf(path.resolve(cwd, file), file, {
      name: codebookNameFromFile(file),
    });
    return { codebook: imported.codebook, guids: imported.guids, warnings: imported.warnings };
  }
  const loaded = await loadCheckedCodebook({ cwd, file });
  return { codebook: loaded.codebook, guids: undefined, warnings: [] };
}

/** Compare two codebooks (YAML, or `.qdc` by extension). */
export async function diffCodebooks(options: DiffOptions): Promise<DiffResult> {
  if (options.old === '-' && options.new === '-')
    throw new UsageError('only one of OLD and NEW can be - (stdin)');
  const before = await readForDiff(options.cwd, options.old);
  const after = await readForDiff(options.cwd, options.new);
  return {
    changes: diffCodebookContents(before.codebook, after.codebook, {
      before: before.guids,
      after: after.guids,
    }),
    warnings: [...before.warnings, ...after.warnings],
  };
}

function quoteValue(value: string): string {
  return value === '' ? '(none)' : visibleText(JSON.stringify(value));
}

/** The changes for a terminal: one line per change, long texts on their own lines. */
export function renderDiffText(changes: readonly CodebookChange[], style: ChalkInstance): string {
  if (changes.length === 0) return 'no differences\n';
  const lines: string[] = [];
  // Everything of a codebook printed here is shown with its control characters visible.
  const block = (text: string): string => visibleText(text, { keepLineFeeds: true });
  const long = (value: string): boolean => value.length > 50 || value.includes('\n');
  for (const change of changes) {
    const subject = `${change.kind} ${change.id}`;
    switch (change.change) {
      case 'added':
        lines.push(style.green(`+ ${subject}  added  ${quoteValue(change.new)}`));
        break;
      case 'removed':
        lines.push(style.red(`- ${subject}  removed  ${quoteValue(change.old)}`));
        break;
      case 'moved':
        lines.push(
          style.cyan(
            `> ${subject}  moved from ${change.field === 'id' ? change.old : `under ${change.old}`}`,
          ),
        );
        break;
      case 'renamed':
        lines.push(
          style.yellow(
            `~ ${subject}  ${change.field === 'id' ? 'id' : 'renamed'}: ${quoteValue(change.old)} → ${quoteValue(change.new)}`,
          ),
        );
        break;
      case 'changed':
        if (long(change.old) || long(change.new)) {
          lines.push(style.yellow(`~ ${subject}  ${change.field} changed`));
          lines.push(
            style.red(`    - ${change.old === '' ? '(none)' : block(change.old).replace(/\n/g, '\n      ')}`),
          );
          lines.push(
            style.green(
              `    + ${change.new === '' ? '(none)' : block(change.new).replace(/\n/g, '\n      ')}`,
            ),
          );
        } else {
          lines.push(
            style.yellow(
              `~ ${subject}  ${change.field}: ${quoteValue(change.old)} → ${quoteValue(change.new)}`,
            ),
          );
        }
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `3 changes: 1 added, 1 removed, 1 changed`. */
export function summariseChanges(changes: readonly CodebookChange[]): string {
  if (changes.length === 0) return 'no differences';
  const order: ChangeKind[] = ['added', 'removed', 'renamed', 'moved', 'changed'];
  const parts = order
    .map((kind) => [kind, changes.filter((change) => change.change === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export function renderDiffCsv(changes: readonly CodebookChange[]): string {
  return toCsv(
    diffColumns,
    changes.map((change) => diffColumns.map((column) => change[column])),
    { neutraliseFormulas: true },
  );
}
