/**
 * Tables for papers: one table model, rendered as a Markdown (GFM pipe) table or as a LaTeX
 * booktabs table. Every cell is text from the study or the tool and is escaped here, so corpus and
 * codebook text can never become emphasis, a link, raw HTML, or a LaTeX command.
 */

/** How a column is set: left, right (numbers), or a paragraph column for long text (LaTeX `p{}`). */
export type ColumnAlign = 'left' | 'right' | 'text';

export interface PaperTable {
  /** The caption (plain text, escaped like every cell). */
  caption: string;
  /** A LaTeX label (`tab:…`), letters, digits, `-`, `:` and `.` only. */
  label: string;
  header: string[];
  rows: string[][];
  align: ColumnAlign[];
  /** Sentences under the table (plain text). */
  notes: string[];
  /**
   * The table's number in Markdown ("1", "A1": `**Table 1. caption**`); LaTeX numbers its tables
   * itself, and text refers to them with `\ref`.
   */
  number?: string;
  /** Set as a `longtable` (across pages) whatever its length: tables of long text. */
  long?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Line ends, tabs and other control characters become one space (a cell or sentence is one line). */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/**
 * Text for Markdown, inline: the ASCII characters that make emphasis, code, links, images, raw
 * HTML, table pipes, strike-through or math in CommonMark and GitHub's Markdown (`\ ` * _ [ ] < >
 * | ~ $`) are backslash-escaped, an `&` that would start an entity becomes `&amp;`, and bare URLs
 * are broken so they are not auto-linked. Line-start syntax is `markdownLine`'s job.
 * @example escapeMarkdown('a *b* [c](d) <e> | f') // 'a \\*b\\* \\[c\\](d) \\<e\\> \\| f'
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>|~$]/g, (character) => `\\${character}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/\b(https?|ftp|mailto|www)([:.])/gi, (_, scheme: string, mark: string) => `${scheme}\\${mark}`);
}

/**
 * A line of Markdown whose start must not be read as block syntax (a heading, a list item, a
 * quote, a rule, a table row): such a first character is backslash-escaped.
 */
export function markdownLine(line: string): string {
  return line.replace(/^(\s*)([#>+=-]|\d+(?=[.)]))/, (_, space: string, mark: string) =>
    /^\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
  );
}

/** A code id (a dotted slug, see `codeIdPattern`) as Markdown code; anything else escaped as text. */
export function markdownCode(id: string): string {
  return /^[\w./ -]+$/.test(id) ? `\`${id}\`` : escapeMarkdown(id);
}

/** A table as a GitHub-flavoured Markdown pipe table, with its caption above and notes below. */
export function markdownTable(table: PaperTable): string {
  const rule = table.align.map((align) => (align === 'right' ? '---:' : ':---'));
  const line = (cells: readonly string[]) =>
    `| ${table.header.map((_, index) => escapeMarkdown(cells[index] ?? '')).join(' | ')} |`;
  const lines = [
    `**${table.number === undefined ? '' : `Table ${table.number}. `}${escapeMarkdown(table.caption)}**`,
    '',
    line(table.header),
    `| ${rule.join(' | ')} |`,
    ...table.rows.map(line),
  ];
  // Each note is its own paragraph: lines one under the other would run together.
  for (const note of table.notes) lines.push('', markdownLine(escapeMarkdown(note)));
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// LaTeX

/** Characters with a meaning in LaTeX, and what stands for them in text. */
const latexSpecials: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // Not special, but wrong in LaTeX's default font encoding or read as an argument:
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '`': '\\textasciigrave{}',
  '[': '{[}',
  ']': '{]}',
  // Symbols the tool writes that pdfLaTeX's UTF-8 input does not know; Unicode engines get the same.
  κ: '\\ensuremath{\\kappa}',
  α: '\\ensuremath{\\alpha}',
  π: '\\ensuremath{\\pi}',
  '≥': '\\ensuremath{\\geq}',
  '≤': '\\ensuremath{\\leq}',
  '×': '\\ensuremath{\\times}',
  '−': '\\ensuremath{-}',
  '±': '\\ensuremath{\\pm}',
  '†': '\\textdagger{}',
  '\u00a0': '~',
};

/**
 * Text for LaTeX (text mode): `\ & % $ # _ { } ~ ^` and `< > | \` [ ]` written as commands, a
 * few symbols the tool prints (κ α π ≥ ≤ × − ± †) as math or text commands, `--` kept from
 * becoming a dash, control characters as spaces. Other non-ASCII characters stay UTF-8: compile
 * with `\usepackage[utf8]{inputenc}` (the default since LaTeX 2018) or with XeLaTeX/LuaLaTeX.
 * @example escapeLatex('50% of R&D_{x}') // '50\\% of R\\&D\\_\\{x\\}'
 */
export function escapeLatex(text: string): string {
  let out = '';
  const characters = Array.from(oneLine(text));
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index]!;
    const special = latexSpecials[character];
    if (special !== undefined) out += special;
    // `--` and `---` would be set as dashes: keep the hyphens apart.
    else if (character === '-' && characters[index + 1] === '-') out += '-{}';
    else out += character;
  }
  return out;
}

/**
 * The column specification: `l`, `r`, or paragraph columns sharing what the others leave of the
 * line (each other column is reckoned at a sixth of it), at least a fifth of the line each.
 */
function columnSpec(align: readonly ColumnAlign[]): string {
  const text = align.filter((entry) => entry === 'text').length;
  const share = text === 0 ? 0 : Math.max(0.2, (0.9 - (align.length - text) / 6) / text);
  return align
    .map((entry) => (entry === 'right' ? 'r' : entry === 'left' ? 'l' : `p{${share.toFixed(2)}\\linewidth}`))
    .join('');
}

/** Tables with more rows than this are set as a `longtable`, which breaks across pages. */
export const maxRowsInFloat = 30;

/** Tables with more columns than this are set smaller, with narrower gaps between columns. */
const maxColumnsAtSmall = 7;

/**
 * A table as a LaTeX booktabs table (`\toprule`, `\midrule`, `\bottomrule`) with its caption and
 * label: a `table` float, or a `longtable` above `maxRowsInFloat` rows (its header repeated on
 * every page). Notes follow in a footnote-size paragraph. Needs `\usepackage{booktabs}` (and
 * `\usepackage{longtable}` for long tables).
 */
export function latexTable(table: PaperTable): string {
  const row = (cells: readonly string[]) =>
    `${table.header.map((_, index) => escapeLatex(cells[index] ?? '')).join(' & ')} \\\\`;
  const columns = table.header.length;
  const size =
    columns <= maxColumnsAtSmall
      ? ['\\small']
      : [
          columns > maxColumnsAtSmall + 1 ? '\\scriptsize' : '\\footnotesize',
          '\\setlength{\\tabcolsep}{3pt}',
        ];
  const caption = `\\caption{${escapeLatex(table.caption)}}`;
  const label = `\\label{${table.label.replace(/[^A-Za-z0-9:.-]/g, '-')}}`;
  const spec = `{@{}${columnSpec(table.align)}@{}}`;
  const notes =
    table.notes.length === 0
      ? []
      : ['', '\\par\\smallskip\\footnotesize', ...table.notes.map((note) => `${escapeLatex(note)}\\par`)];
  if (table.long === true || table.rows.length > maxRowsInFloat) {
    const head = ['\\toprule', row(table.header), '\\midrule'];
    return `${[
      '\\begingroup',
      ...size,
      `\\begin{longtable}${spec}`,
      `${caption}${label}\\\\`,
      ...head,
      '\\endfirsthead',
      ...head,
      '\\endhead',
      '\\bottomrule',
      '\\endfoot',
      ...table.rows.map(row),
      '\\end{longtable}',
      ...notes,
      '\\endgroup',
    ].join('\n')}\n`;
  }
  return `${[
    '\\begin{table}[htbp]',
    '\\centering',
    ...size,
    caption,
    label,
    `\\begin{tabular}${spec}`,
    '\\toprule',
    row(table.header),
    '\\midrule',
    ...table.rows.map(row),
    '\\bottomrule',
    '\\end{tabular}',
    ...notes,
    '\\end{table}',
  ].join('\n')}\n`;
}

/** What a file of LaTeX tables says first: the packages it needs, and how it handles UTF-8. */
export const latexPreamble = [
  '% Written by coding. Needs \\usepackage{booktabs}, and \\usepackage{longtable} for tables of',
  `% more than ${maxRowsInFloat} rows. Text from the study is UTF-8: compile with`,
  '% \\usepackage[utf8]{inputenc} (pdfLaTeX; the default since LaTeX 2018) or with XeLaTeX/LuaLaTeX.',
].join('\n');

/** Several tables as one Markdown text (blank line between). */
export const markdownTables = (tables: readonly PaperTable[]): string => tables.map(markdownTable).join('\n');

/** Several tables as one LaTeX fragment to `\input`, with the preamble comment first. */
export const latexTables = (tables: readonly PaperTable[]): string =>
  `${latexPreamble}\n\n${tables.map(latexTable).join('\n')}`;
