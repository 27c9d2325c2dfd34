/**
 * The codebook as the rest of the tool uses it: a flat, ordered list of codes with their
 * categories, lookups by id, and the content hash that annotations record.
 */
import type { Code, Codebook } from '../schema/codebook.js';
import { sha256 } from './hash.js';

export interface CodeInfo {
  id: string;
  label: string;
  categoryId: string;
  /** Id of the parent code for a sub-code. */
  parentId?: string;
  /** 0 for a category's own codes, 1 for their sub-codes, … */
  depth: number;
  definition?: string;
  include?: string;
  exclude?: string;
  examples: string[];
  color?: string;
  /** False for a grouping code coders cannot apply (REFI-QDA isCodable="false"). */
  codable: boolean;
  /** Position in the codebook (codes in document order, depth first). */
  index: number;
}

export interface CategoryInfo {
  id: string;
  label: string;
  description?: string;
  exclusive: boolean;
  /** Codes of the category, in order, sub-codes included. */
  codeIds: string[];
}

export interface CodebookModel {
  codebook: Codebook;
  codes: CodeInfo[];
  categories: CategoryInfo[];
  codeById: Map<string, CodeInfo>;
  categoryById: Map<string, CategoryInfo>;
  /** The codebook is one nominal variable: exactly one code per unit. */
  exclusive: boolean;
  /** SHA-256 of the codebook's content (not its layout or comments). */
  hash: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) result[key] = canonical(item);
    }
    return result;
  }
  return value;
}

function withoutPatterns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPatterns);
  if (value !== null && typeof value === 'object') {
    const { patterns: _patterns, ...rest } = value as Record<string, unknown>;
    return Object.fromEntries(Object.entries(rest).map(([key, item]) => [key, withoutPatterns(item)]));
  }
  return value;
}

/**
 * The content hash of a codebook: equal for files that differ only in layout, comments or key order.
 * Dictionary `patterns` are left out: they instruct the dictionary coder, they do not change what a
 * code means to people, so editing them does not mark people's annotations as made with another
 * codebook (the dictionary coder records its own hash of them).
 */
export function codebookHash(codebook: Codebook): string {
  return sha256(JSON.stringify(canonical(withoutPatterns(codebook))));
}

/** Flatten a validated codebook into the model every command uses. */
export function buildCodebookModel(codebook: Codebook): CodebookModel {
  const codes: CodeInfo[] = [];
  const categories: CategoryInfo[] = [];
  for (const category of codebook.categories) {
    const codeIds: string[] = [];
    const visit = (code: Code, depth: number, parentId: string | undefined): void => {
      const info: CodeInfo = {
        id: code.id,
        label: code.label,
        categoryId: category.id,
        depth,
        examples: code.examples ?? [],
        codable: code.codable !== false,
        index: codes.length,
        ...(parentId === undefined ? {} : { parentId }),
        ...(code.definition === undefined ? {} : { definition: code.definition }),
        ...(code.include === undefined ? {} : { include: code.include }),
        ...(code.exclude === undefined ? {} : { exclude: code.exclude }),
        ...(code.color === undefined ? {} : { color: code.color }),
      };
      codes.push(info);
      codeIds.push(code.id);
      for (const child of code.codes ?? []) visit(child, depth + 1, code.id);
    };
    for (const code of category.codes) visit(code, 0, undefined);
    categories.push({
      id: category.id,
      label: category.label,
      exclusive: category.exclusive,
      codeIds,
      ...(category.description === undefined ? {} : { description: category.description }),
    });
  }
  return {
    codebook,
    codes,
    categories,
    codeById: new Map(codes.map((code) => [code.id, code])),
    categoryById: new Map(categories.map((category) => [category.id, category])),
    exclusive: codebook.exclusive,
    hash: codebookHash(codebook),
  };
}

/** A codebook model made from a bare list of code ids (`--codes a,b,c`), each its own category. */
export function modelFromCodeList(ids: readonly string[]): CodebookModel {
  const codebook: Codebook = {
    version: 1,
    name: 'codes',
    exclusive: false,
    categories: ids.map((id) => ({ id, label: id, exclusive: false, codes: [{ id, label: id }] })),
  };
  const model = buildCodebookModel(codebook);
  return model;
}
