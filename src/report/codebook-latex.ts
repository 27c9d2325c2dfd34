/**
 * `coding codebook show --format latex`: the codebook as booktabs tables for a paper's appendix,
 * one per category (codes and sub-codes, with label, definition, include and exclude rules).
 * Examples are left to the Markdown and CSV layouts, where long quotations read better.
 */
import type { Code, Codebook } from '../schema/codebook.js';
import { latexTables, type PaperTable } from './paper-table.js';

function rows(codes: readonly Code[], out: string[][]): string[][] {
  for (const code of codes) {
    out.push([code.id, code.label, code.definition ?? '', code.include ?? '', code.exclude ?? '']);
    rows(code.codes ?? [], out);
  }
  return out;
}

/** The codebook's tables: one per category, its description and exclusivity in the notes. */
export function codebookPaperTables(codebook: Codebook): PaperTable[] {
  const name = codebook.title ?? codebook.name;
  return codebook.categories.map((category) => ({
    caption: `${name}: ${category.label} (${category.id})`,
    label: `tab:codebook-${category.id}`,
    header: ['Code', 'Label', 'Definition', 'Include', 'Exclude'],
    rows: rows(category.codes, []),
    align: ['left', 'text', 'text', 'text', 'text'],
    notes: [
      ...(category.description === undefined ? [] : [category.description.trim()]),
      ...(category.exclusive || codebook.exclusive === true
        ? ['Exclusive: at most one code of this category per unit.']
        : []),
    ],
    long: true,
  }));
}

/** The codebook as a LaTeX fragment to `\input` (booktabs and longtable). */
export function renderCodebookLatex(codebook: Codebook): string {
  return latexTables(codebookPaperTables(codebook));
}
