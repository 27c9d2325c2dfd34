/**
 * A methods section as a small document model (headings, paragraphs, lists, tables), rendered once
 * as Markdown and once as LaTeX (`methods-render.ts`). Sentences are written once here, so
 * methods.md and methods.tex say the same thing with the same figures.
 */
import type { PaperTable } from './paper-table.js';

/**
 * Inline text: prose or study text (escaped by the renderer), an identifier set as code, a place
 * where LaTeX breaks the line (Markdown writes `lineBreak` there), or a reference to a table
 * ("Table 1" in Markdown, `Table~\ref{label}` in LaTeX, which numbers tables itself).
 */
export type Inline = string | { code: string } | { lineBreak: string } | { table: string; label: string };

export type Block =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; parts: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; table: PaperTable };

/** A document under construction: helpers that keep the builders short. */
export class MethodsDocument {
  readonly blocks: Block[] = [];

  heading(text: string, level: 1 | 2 = 2): void {
    this.blocks.push({ kind: 'heading', level, text });
  }

  /** A paragraph of sentences; each sentence is a list of inline parts. */
  paragraph(...sentences: Inline[][]): void {
    const parts: Inline[] = [];
    for (const sentence of sentences) {
      if (sentence.length === 0) continue;
      if (parts.length > 0) parts.push(' ');
      parts.push(...sentence);
    }
    if (parts.length > 0) this.blocks.push({ kind: 'paragraph', parts });
  }

  list(items: Inline[][]): void {
    if (items.length > 0) this.blocks.push({ kind: 'list', items });
  }

  table(table: PaperTable): void {
    this.blocks.push({ kind: 'table', table });
  }
}

/** "a, b and c" */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Inline parts joined as "a, b and c". */
export function joinParts(parts: readonly Inline[][]): Inline[] {
  const out: Inline[] = [];
  parts.forEach((part, index) => {
    if (index > 0) out.push(index === parts.length - 1 ? ' and ' : ', ');
    out.push(...part);
  });
  return out;
}

/** "1 code", "2 codes". */
export function counted(value: number, singular: string, plural = `${singular}s`): string {
  return `${value} ${value === 1 ? singular : plural}`;
}
