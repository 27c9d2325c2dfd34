/**
 * Tables for papers: LaTeX and Markdown escaping and structure, with fast-check over random
 * strings (every special character, control characters, astral code points). The LaTeX checks
 * stand in for a LaTeX engine, which the test suite does not require.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeLatex,
  escapeMarkdown,
  latexTable,
  markdownLine,
  markdownTable,
  type PaperTable,
} from '../../src/report/paper-table.js';

/** Every way escapeLatex writes a character, and the character it stands for. */
const latexTokens: Array<[string, string]> = [
  ['\\textbackslash{}', '\\'],
  ['\\&', '&'],
  ['\\%', '%'],
  ['\\$', '$'],
  ['\\#', '#'],
  ['\\_', '_'],
  ['\\{', '{'],
  ['\\}', '}'],
  ['\\textasciitilde{}', '~'],
  ['\\textasciicircum{}', '^'],
  ['\\textless{}', '<'],
  ['\\textgreater{}', '>'],
  ['\\textbar{}', '|'],
  ['\\textasciigrave{}', '`'],
  ['{[}', '['],
  ['{]}', ']'],
  ['\\ensuremath{\\kappa}', 'κ'],
  ['\\ensuremath{\\alpha}', 'α'],
  ['\\ensuremath{\\pi}', 'π'],
  ['\\ensuremath{\\geq}', '≥'],
  ['\\ensuremath{\\leq}', '≤'],
  ['\\ensuremath{\\times}', '×'],
  ['\\ensuremath{-}', '−'],
  ['\\ensuremath{\\pm}', '±'],
  ['\\textdagger{}', '†'],
  ['-{}', '-'],
  ['~', '\u00a0'],
];

/**
 * Read escaped LaTeX back: each token above becomes its character; any other special character
 * (one that escaping missed) throws. Returns the text LaTeX would set.
 */
function unescapeLatex(latex: string): string {
  let out = '';
  let index = 0;
  while (index < latex.length) {
    const token = latexTokens.find(([written]) => latex.startsWith(written, index));
    if (token) {
      out += token[1];
      index += token[0].length;
      continue;
    }
    const character = latex[index]!;
    if ('\\&%$#_{}~^'.includes(character))
      throw new Error(`unescaped ${character} at ${index} in ${JSON.stringify(latex)}`);
    if (character === '-' && latex[index + 1] === '-') throw new Error(`a "--" ligature in ${latex}`);
    out += character;
    index++;
  }
  return out;
}

/** What a cell becomes on one line: runs of control characters are one space. */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');

/** Strings rich in LaTeX and Markdown specials, control characters and non-ASCII. */
const hostile = fc.oneof(
  fc.string({
    unit: fc.constantFrom(...Array.from('\\&%$#_{}~^<>|`[]*()!-.:/; \n\t\r\u0000\u001bκα†≥é中😀"\'hpstw')),
  }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
);

describe('escapeLatex', () => {
  it('escapes each of & % $ # _ { } ~ ^ \\ (and < > | ` [ ])', () => {
    // The ten characters LaTeX reserves, each written out by hand.
    expect(escapeLatex('& % $ # _ { } ~ ^ \\')).toBe(
      '\\& \\% \\$ \\# \\_ \\{ \\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}',
    );
    expect(escapeLatex('a<b>c|d`e[f]')).toBe(
      'a\\textless{}b\\textgreater{}c\\textbar{}d\\textasciigrave{}e{[}f{]}',
    );
    expect(escapeLatex('κ ≥ 0.8 †')).toBe('\\ensuremath{\\kappa} \\ensuremath{\\geq} 0.8 \\textdagger{}');
    expect(escapeLatex('a--b---c')).toBe('a-{}-b-{}-{}-c');
    expect(escapeLatex('line\nbreak\ttab\u001b')).toBe('line break tab ');
  });

  it('leaves other non-ASCII text as UTF-8', () => {
    expect(escapeLatex('Secretaría de Economía — 中文 😀')).toBe('Secretaría de Economía — 中文 😀');
  });

  it('escapes every special character of any string, and loses nothing (property)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(unescapeLatex(escapeLatex(text))).toBe(oneLine(text));
      }),
      { numRuns: 2000 },
    );
  });
});

/** Count `&` that separate cells (not `\&`). */
const cellSeparators = (line: string) => (line.match(/(?<!\\)&/g) ?? []).length;

/** Braces balance (escaped braces aside) and never close more than they opened. */
function bracesBalance(latex: string): boolean {
  let depth = 0;
  for (let index = 0; index < latex.length; index++) {
    const character = latex[index]!;
    if (character === '\\') {
      index++; // the escaped character, or the first letter of a command
      continue;
    }
    if (character === '{') depth++;
    if (character === '}') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

const tables = fc.integer({ min: 1, max: 6 }).chain((columns) =>
  fc.record({
    caption: hostile,
    label: fc.string(),
    header: fc.array(hostile, { minLength: columns, maxLength: columns }),
    rows: fc.array(fc.array(hostile, { minLength: columns, maxLength: columns }), { maxLength: 40 }),
    align: fc.array(fc.constantFrom('left' as const, 'right' as const, 'text' as const), {
      minLength: columns,
      maxLength: columns,
    }),
    notes: fc.array(hostile, { maxLength: 3 }),
    long: fc.boolean(),
  }),
);

describe('latexTable', () => {
  it('writes booktabs rules, a caption and a label, and a row per data row', () => {
    const table: PaperTable = {
      caption: 'Codes & shares (50 %)',
      label: 'tab:x',
      header: ['code', 'share'],
      rows: [
        ['trade_ntb', '9.8 %'],
        ['a{b}', '#1'],
      ],
      align: ['left', 'right'],
      notes: ['$5 ~ ^'],
    };
    expect(latexTable(table)).toBe(
      [
        '\\begin{table}[htbp]',
        '\\centering',
        '\\small',
        '\\caption{Codes \\& shares (50 \\%)}',
        '\\label{tab:x}',
        '\\begin{tabular}{@{}lr@{}}',
        '\\toprule',
        'code & share \\\\',
        '\\midrule',
        'trade\\_ntb & 9.8 \\% \\\\',
        'a\\{b\\} & \\#1 \\\\',
        '\\bottomrule',
        '\\end{tabular}',
        '',
        '\\par\\smallskip\\footnotesize',
        '\\$5 \\textasciitilde{} \\textasciicircum{}\\par',
        '\\end{table}',
        '',
      ].join('\n'),
    );
  });

  it('keeps its structure for any cells: the same number of & on every row, balanced braces (property)', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const latex = latexTable(table);
        expect(bracesBalance(latex)).toBe(true);
        const lines = latex.split('\n');
        const top = lines.indexOf('\\toprule');
        const long = table.long || table.rows.length > 30;
        const bottom = lines.indexOf(long ? '\\end{longtable}' : '\\bottomrule');
        expect(top).toBeGreaterThan(-1);
        expect(bottom).toBeGreaterThan(top);
        // Rows are the lines ending in \\ between the rules (a long table repeats its header).
        const rows = lines.slice(top, bottom).filter((line) => line.endsWith(' \\\\'));
        const headers = long ? 2 : 1;
        expect(rows).toHaveLength(table.rows.length + headers);
        for (const row of rows) expect(cellSeparators(row)).toBe(table.header.length - 1);
        // Each cell reads back as its text: nothing was dropped or left unescaped.
        const cells = rows[headers]?.slice(0, -3).split(/ (?<!\\)& /);
        if (table.rows.length > 0)
          expect(cells?.map(unescapeLatex)).toEqual(table.rows[0]!.map((cell) => oneLine(cell)));
        for (const environment of ['table', 'tabular', 'longtable'])
          expect(latex.split(`\\begin{${environment}}`).length).toBe(
            latex.split(`\\end{${environment}}`).length,
          );
      }),
      { numRuns: 300 },
    );
  });

  it('sets long tables as a longtable with the header on every page', () => {
    const table: PaperTable = {
      caption: 'Long',
      label: 'tab:long',
      header: ['n'],
      rows: Array.from({ length: 31 }, (_, index) => [String(index)]),
      align: ['right'],
      notes: [],
    };
    const latex = latexTable(table);
    expect(latex).toContain('\\begin{longtable}{@{}r@{}}');
    expect(latex).toContain('\\endfirsthead');
    expect(latex).toContain('\\endhead');
    expect(latex).not.toContain('\\begin{table}');
  });
});

/** Read escaped Markdown back: backslash escapes and the `&amp;` that guards an entity. */
const unescapeMarkdown = (text: string) =>
  text.replace(/&amp;(?=#?[A-Za-z0-9]+;)/g, '&').replace(/\\(.)/gsu, '$1');

describe('escapeMarkdown', () => {
  it('escapes emphasis, code, links, images, HTML, entities, pipes and bare URLs', () => {
    expect(
      escapeMarkdown('*a* _b_ `c` [d](e) ![f](g) <b>h</b> &amp; | ~~s~~ $x$ https://x.org www.y.org'),
    ).toBe(
      '\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) !\\[f\\](g) \\<b\\>h\\</b\\> &amp;amp; \\| \\~\\~s\\~\\~ \\$x\\$ https\\://x.org www\\.y.org',
    );
    expect(escapeMarkdown('Hayes & Krippendorff, 50 %, (a)')).toBe('Hayes & Krippendorff, 50 %, (a)');
  });

  it('leaves no unescaped Markdown character and loses nothing (property)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = escapeMarkdown(text);
        expect(escaped).not.toMatch(/\n/);
        // Every special character is preceded by an odd run of backslashes (it is escaped).
        for (const match of escaped.matchAll(/(\\*)([*_`[\]<>|~$])/g))
          expect(match[1]!.length % 2, escaped).toBe(1);
        expect(escaped).not.toMatch(/&(?!amp;)#?[A-Za-z0-9]+;/);
        expect(escaped).not.toMatch(/\b(https?|ftp|mailto):|\bwww\./i);
        expect(unescapeMarkdown(escaped)).toBe(oneLine(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes block syntax at the start of a line', () => {
    expect(markdownLine('# heading')).toBe('\\# heading');
    expect(markdownLine('- item')).toBe('\\- item');
    expect(markdownLine('> quote')).toBe('\\> quote');
    expect(markdownLine('12. item')).toBe('12\\. item');
    expect(markdownLine('12 units')).toBe('12 units');
  });
});

describe('markdownTable', () => {
  it('keeps its structure for any cells: as many cell pipes on every row as in the header (property)', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const lines = markdownTable(table).split('\n');
        const header = lines.indexOf(`| ${table.header.map(escapeMarkdown).join(' | ')} |`);
        expect(header).toBe(2);
        const pipes = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length;
        for (const line of lines.slice(header, header + 2 + table.rows.length))
          expect(pipes(line)).toBe(table.header.length + 1);
        expect(lines[header + 1]).toMatch(/^\|( (:---|---:) \|)+$/);
      }),
      { numRuns: 300 },
    );
  });
});
