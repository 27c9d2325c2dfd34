import chalk, { Chalk, type ChalkInstance } from 'chalk';
import { countCodebook } from '../core/codebook-check.js';
import { visibleText } from '../core/visible-text.js';
import { InputError } from '../errors.js';
import { type CsvCell, toCsv } from '../io/csv-write.js';
import { renderCodebookLatex } from '../report/codebook-latex.js';
import type { Code, Codebook } from '../schema/codebook.js';
import {
  type CodebookSourceOptions,
  checkOutputTarget,
  deliver,
  loadCheckedCodebook,
  type OutputOptions,
  type ShowResult,
} from './codebook.js';

// ---------------------------------------------------------------------------------------------
// show

/** `md` and `markdown` are the same Markdown appendix; `latex` is booktabs tables (src/report/codebook-latex.ts). */
export const showFormats = ['tree', 'md', 'markdown', 'latex', 'csv', 'json'] as const;
export type ShowFormat = (typeof showFormats)[number];

/** Columns of `coding codebook show --format csv`, one row per code. */
export const codebookCsvColumns = [
  'category',
  'code',
  'label',
  'definition',
  'include',
  'exclude',
  'examples',
] as const;

function walkCodes(codes: readonly Code[], depth: number, visit: (code: Code, depth: number) => void): void {
  for (const code of codes) {
    visit(code, depth);
    walkCodes(code.codes ?? [], depth + 1, visit);
  }
}

/**
 * The codebook as an indented tree: categories, their codes and sub-codes with labels, `[exclusive]`
 * marks and colour swatches. `style` colours it (a chalk instance; level 0 for plain text).
 */
export function renderCodebookTree(codebook: Codebook, style: ChalkInstance): string {
  const lines: string[] = [];
  // Codebook text is shown with its control characters visible: the tree is printed on a terminal.
  const plain = (text: string): string => visibleText(text);
  const heading = plain(
    codebook.title === undefined ? codebook.name : `${codebook.title} (${codebook.name})`,
  );
  lines.push(style.bold(heading) + (codebook.exclusive ? ` ${style.yellow('[exclusive]')}` : ''));
  // On a colour terminal every line gets a swatch column (blank without a colour), so ids stay aligned.
  const swatch = (color: string | undefined): string =>
    style.level === 0 ? '' : color === undefined ? '  ' : `${style.hex(color)('■')} `;
  const idWidth = Math.max(
    0,
    ...codebook.categories.flatMap((category) => {
      const widths = [category.id.length];
      walkCodes(category.codes, 1, (code, depth) => widths.push(code.id.length + 2 * depth));
      return widths;
    }),
  );
  for (const category of codebook.categories) {
    lines.push(
      `${swatch(category.color)}${style.bold(category.id.padEnd(idWidth))}  ${style.bold(plain(category.label))}${category.exclusive ? ` ${style.yellow('[exclusive]')}` : ''}`,
    );
    walkCodes(category.codes, 1, (code, depth) => {
      const indent = '  '.repeat(depth);
      lines.push(
        `${indent}${swatch(code.color)}${style.cyan(code.id.padEnd(idWidth - 2 * depth))}  ${plain(code.label)}`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

/** A Markdown table cell: pipes escaped, line breaks as `<br>`, `<` as an entity (no raw HTML). */
export function markdownCell(text: string | undefined): string {
  if (text === undefined) return '';
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** The codebook as a Markdown appendix: its description, then a table per category. */
export function renderCodebookMarkdown(codebook: Codebook): string {
  const parts: string[] = [`# ${codebook.title ?? `Codebook ${codebook.name}`}`, ''];
  if (codebook.description !== undefined) parts.push(codebook.description.trim(), '');
  const counts = countCodebook(codebook);
  parts.push(
    `Codebook \`${codebook.name}\`: ${counts.categories} categor${counts.categories === 1 ? 'y' : 'ies'}, ${counts.codes} code${counts.codes === 1 ? '' : 's'}.` +
      (codebook.exclusive ? ' The codebook is exclusive: each unit takes exactly one code.' : ''),
    '',
  );
  for (const category of codebook.categories) {
    parts.push(`## ${category.label} (\`${category.id}\`)`, '');
    if (category.description !== undefined) parts.push(category.description.trim(), '');
    if (category.exclusive) parts.push('*Exclusive: at most one code of this category per unit.*', '');
    parts.push('| Code | Definition | Include | Exclude | Example |', '|---|---|---|---|---|');
    walkCodes(category.codes, 0, (code, depth) => {
      const name = `${'↳ '.repeat(depth)}**${markdownCell(code.label)}** (\`${code.id}\`)`;
      const examples = (code.examples ?? []).map((example) => `“${markdownCell(example)}”`).join('<br>');
      parts.push(
        `| ${name} | ${markdownCell(code.definition)} | ${markdownCell(code.include)} | ${markdownCell(code.exclude)} | ${examples} |`,
      );
    });
    parts.push('');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

/** One row per code (sub-codes included): category, code, label, definition, include, exclude, examples. */
export function renderCodebookCsv(codebook: Codebook): string {
  const rows: CsvCell[][] = [];
  for (const category of codebook.categories) {
    walkCodes(category.codes, 0, (code) => {
      rows.push([
        category.id,
        code.id,
        code.label,
        code.definition ?? '',
        code.include ?? '',
        code.exclude ?? '',
        (code.examples ?? []).join(' | '),
      ]);
    });
  }
  return toCsv(codebookCsvColumns, rows, { neutraliseFormulas: true });
}

export interface ShowOptions extends CodebookSourceOptions, OutputOptions {
  format: ShowFormat;
  /** Colour the tree (a terminal); files are always plain. */
  color?: boolean | undefined;
}

/** Render a codebook as a tree, a Markdown appendix, CSV or JSON; write it with `-o`. */
export async function showCodebook(options: ShowOptions): Promise<ShowResult> {
  const extensions: Record<ShowFormat, string> = {
    tree: '.txt',
    md: '.md',
    markdown: '.md',
    latex: '.tex',
    csv: '.csv',
    json: '.json',
  };
  const target = await checkOutputTarget(
    options,
    options.file === undefined ? [] : [options.file],
    extensions[options.format],
  );
  const loaded = await loadCheckedCodebook(options);
  if (target !== undefined) {
    const source = loaded.source.file;
    if (source === target)
      throw new InputError('the output would overwrite the codebook itself; choose another -o');
  }
  const text = render(loaded.codebook, options.format, target === undefined && options.color === true);
  return { ...(await deliver(target, text)), source: loaded.source, warnings: loaded.warnings.length };
}

function render(codebook: Codebook, format: ShowFormat, color: boolean): string {
  switch (format) {
    case 'tree':
      return renderCodebookTree(
        codebook,
        new Chalk({ level: color ? (chalk.level === 0 ? 1 : chalk.level) : 0 }),
      );
    case 'md':
    case 'markdown':
      return renderCodebookMarkdown(codebook);
    case 'latex':
      return renderCodebookLatex(codebook);
    case 'csv':
      return renderCodebookCsv(codebook);
    case 'json':
      return `${JSON.stringify(codebook, null, 2)}\n`;
  }
}

// ---------------------------------------------------------------------------------------------
// export and import
