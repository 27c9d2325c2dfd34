/** A methods document (`methods-document.ts`) as Markdown and as a LaTeX fragment. */
import type { Block, Inline } from './methods-document.js';
import {
  escapeLatex,
  escapeMarkdown,
  latexPreamble,
  latexTable,
  markdownCode,
  markdownLine,
  markdownTable,
} from './paper-table.js';

function markdownInline(parts: readonly Inline[]): string {
  return parts
    .map((part) =>
      typeof part === 'string'
        ? escapeMarkdown(part)
        : 'code' in part
          ? markdownCode(part.code)
          : 'table' in part
            ? `Table ${escapeMarkdown(part.table)}`
            : escapeMarkdown(part.lineBreak),
    )
    .join('');
}

/** The document as Markdown (CommonMark with GitHub's pipe tables); study text is escaped. */
export function methodsMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        out.push(`${'#'.repeat(block.level)} ${escapeMarkdown(block.text)}`);
        break;
      case 'paragraph':
        out.push(markdownLine(markdownInline(block.parts)));
        break;
      case 'list':
        out.push(block.items.map((item) => `- ${markdownInline(item)}`).join('\n'));
        break;
      case 'table':
        out.push(markdownTable(block.table).trimEnd());
        break;
    }
  }
  return `${out.join('\n\n')}\n`;
}

function latexInline(parts: readonly Inline[]): string {
  return parts
    .map((part) =>
      typeof part === 'string'
        ? escapeLatex(part)
        : 'code' in part
          ? `\\texttt{${escapeLatex(part.code)}}`
          : 'table' in part
            ? `Table~\\ref{${part.label}}`
            : '\\newline ',
    )
    .join('');
}

/**
 * The document as a LaTeX fragment to paste or `\input`: `\section` and `\subsection`, itemize
 * lists and booktabs tables; the first lines say which packages it needs.
 */
export function methodsLatex(blocks: readonly Block[]): string {
  const out: string[] = [latexPreamble];
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        out.push(`\\${block.level === 1 ? 'section' : 'subsection'}{${escapeLatex(block.text)}}`);
        break;
      case 'paragraph':
        out.push(latexInline(block.parts));
        break;
      case 'list':
        out.push(
          [
            '\\begin{itemize}\\small',
            ...block.items.map((item) => `\\item ${latexInline(item)}`),
            '\\end{itemize}',
          ].join('\n'),
        );
        break;
      case 'table':
        out.push(latexTable(block.table).trimEnd());
        break;
    }
  }
  return `${out.join('\n\n')}\n`;
}
