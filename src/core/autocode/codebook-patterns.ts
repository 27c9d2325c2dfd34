/** The dictionary of a codebook: the `patterns` of its codes, and its exclusive groups. */

import type { Code } from '../../schema/codebook.js';
import type { CodebookModel } from '../codebook.js';
import { sha256 } from '../hash.js';
import type { CodePatterns } from './dictionary.js';

function toMap(record: Record<string, unknown> | undefined): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(record ?? {}))
    if (key !== 'not' && Array.isArray(value) && value.length > 0) map.set(key, value as string[]);
  return map;
}

/**
 * Every code with patterns, in codebook order; a grouping code (`codable: false`) is never given,
 * so its patterns are left out (`coding codebook check` warns about them).
 */
export function codebookPatterns(model: CodebookModel): CodePatterns[] {
  const result: CodePatterns[] = [];
  const visit = (code: Code): void => {
    const positive = toMap(code.patterns);
    if (positive.size > 0 && code.codable !== false)
      result.push({
        codeIndex: model.codeById.get(code.id)!.index,
        positive,
        negative: toMap(code.patterns?.not),
      });
    for (const child of code.codes ?? []) visit(child);
  };
  for (const category of model.codebook.categories) for (const code of category.codes) visit(code);
  return result.sort((left, right) => left.codeIndex - right.codeIndex);
}

/** SHA-256 of the patterns (code id → patterns, in codebook order): what the dictionary coder used. */
export function patternsHash(model: CodebookModel, patterns: readonly CodePatterns[]): string {
  return sha256(
    JSON.stringify(
      patterns.map((code) => [
        model.codes[code.codeIndex]!.id,
        [...code.positive].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)),
        [...code.negative].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)),
      ]),
    ),
  );
}

/** Code index → exclusive group (a category marked exclusive, or the whole codebook when it is). */
export function exclusiveGroups(model: CodebookModel): Map<number, number> {
  const groups = new Map<number, number>();
  if (model.exclusive) {
    for (const code of model.codes) groups.set(code.index, 0);
    return groups;
  }
  model.categories.forEach((category, categoryIndex) => {
    if (!category.exclusive) return;
    for (const id of category.codeIds) groups.set(model.codeById.get(id)!.index, categoryIndex);
  });
  return groups;
}
