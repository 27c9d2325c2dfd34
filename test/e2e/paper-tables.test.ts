/**
 * Tables for papers (issue 15, point 4): `--format markdown|latex` of `coding themes`,
 * `coding reliability` and `coding codebook show` on the bundled study, and the LaTeX tables
 * `coding report` writes beside its CSV files. Without a LaTeX engine: the structure is checked
 * (booktabs rules, the same number of & on every row, balanced braces) and the cells against the
 * CSV and JSON outputs of the same commands.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, runCli, temporaryFolder } from '../helpers.js';

let study: string;

async function run(args: string[]): Promise<string> {
  const result = await runCli(args, { cwd: study });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  study = await temporaryFolder('coding-paper-tables-');
  await fs.copyFile(path.join(repositoryRoot, 'coding.yaml'), path.join(study, 'coding.yaml'));
  for (const folder of ['codebooks', 'corpus', 'annotations'])
    await fs.cp(path.join(repositoryRoot, folder), path.join(study, folder), { recursive: true });
}, 60_000);

/**
 * The header and data rows of each LaTeX table, split into cells. A float is `\toprule`, header,
 * `\midrule`, rows, `\bottomrule`; a longtable gives its header twice (first page, other pages),
 * then `\bottomrule` in its foot, then the rows up to `\end{longtable}`.
 */
function latexTables(latex: string): Array<{ header: string[]; rows: string[][] }> {
  const cells = (line: string) => line.slice(0, -3).split(/ (?<!\\)& /);
  const tables: Array<{ header: string[]; rows: string[][] }> = [];
  for (const part of latex.split('\\toprule\n').slice(1)) {
    const lines = part.split('\n');
    if (lines[2] === '\\endfirsthead') continue;
    const long = lines[2] === '\\endhead';
    const body = long
      ? lines.slice(5, lines.indexOf('\\end{longtable}'))
      : lines.slice(2, lines.indexOf('\\bottomrule'));
    tables.push({ header: cells(lines[0]!), rows: body.map(cells) });
  }
  return tables;
}

function checkLatexStructure(latex: string): void {
  let depth = 0;
  for (let index = 0; index < latex.length; index++) {
    if (latex[index] === '\\') index++;
    else if (latex[index] === '{') depth++;
    else if (latex[index] === '}') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  for (const environment of ['table', 'tabular', 'longtable'])
    expect(latex.split(`\\begin{${environment}}`).length).toBe(latex.split(`\\end{${environment}}`).length);
  for (const table of latexTables(latex))
    for (const row of table.rows) expect(row).toHaveLength(table.header.length);
  // Nothing of the study is left unescaped: a raw % would comment out the rest of a row.
  expect(latex.split('\n').filter((line) => !line.startsWith('%') && /(?<!\\)%/.test(line))).toEqual([]);
}

const csvRows = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

describe('coding themes --format latex|markdown', () => {
  it('gives the frequency table with the CSV file’s counts, booktabs and escaped shares', async () => {
    const latex = await run(['themes', '--format', 'latex']);
    checkLatexStructure(latex);
    const [table] = latexTables(latex);
    expect(table!.header).toEqual([
      'category',
      'code',
      'label',
      'units',
      'documents',
      'of units',
      'of documents',
    ]);
    const csv = csvRows(await run(['themes', '--format', 'csv']));
    expect(table!.rows.map((row) => [row[3], row[4]])).toEqual(csv.map((row) => [row[3], row[4]]));
    expect(table!.rows[0]![5]).toMatch(/^\d+\.\d \\%$/);
    for (const rule of ['\\toprule', '\\midrule', '\\bottomrule']) expect(latex).toContain(rule);
    expect(latex).toContain('Framing \\textdagger{}');
  });

  it('prints every table asked for, in Markdown and in LaTeX', async () => {
    const flags = ['--by', 'actor', '--cooccurrence', '--exemplars', '2', '--triangulation', '--rhetoric'];
    const markdown = await run(['themes', ...flags, '--format', 'markdown']);
    expect(markdown.match(/^\*\*.+\*\*$/gm)).toEqual([
      "**Codes by actor: units (share of the group's units)**",
      '**Co-occurrence: units carrying both codes (the diagonal: the code alone)**',
      '**Exemplars**',
      '**Triangulation: primary against secondary sources**',
      "**Actors and rhetoric codes (the paper's table 4.3)**",
    ]);
    const latex = await run(['themes', ...flags, '--format', 'latex']);
    checkLatexStructure(latex);
    expect(latex.match(/\\caption\{/g)).toHaveLength(5);
    const triangulation = csvRows(await run(['themes', '--triangulation', '--format', 'csv']));
    const table = latexTables(latex).find((entry) => entry.header[1] === 'primary units')!;
    expect(table.rows.map((row) => row.slice(1, 5))).toEqual(
      triangulation.map((row) => [row[2], row[4], row[3], row[5]]),
    );
  });
});

describe('coding reliability --format latex|markdown', () => {
  it('gives each code’s figures as the JSON output has them, to 3 decimals', async () => {
    const json = JSON.parse(await run(['reliability', '--format', 'json'])) as {
      codes: Array<{
        code: string;
        n: number;
        kappa: number;
        krippendorff_alpha: number;
        gate: { verdict: string };
      }>;
    };
    const latex = await run(['reliability', '--format', 'latex']);
    checkLatexStructure(latex);
    const [table] = latexTables(latex);
    const column = (name: string) => table!.header.indexOf(name);
    expect(
      table!.rows.map((row) => [
        row[0],
        row[1],
        row[column('\\ensuremath{\\kappa}')],
        row[column('\\ensuremath{\\alpha}')],
        row.at(-1),
      ]),
    ).toEqual(
      json.codes.map((code) => [
        code.code,
        String(code.n),
        code.kappa.toFixed(3),
        code.krippendorff_alpha.toFixed(3),
        code.gate.verdict,
      ]),
    );
    const markdown = await run(['reliability', '--format', 'markdown']);
    expect(markdown).toContain(`| ${json.codes[0]!.code} | ${json.codes[0]!.n} |`);
    expect(markdown).toContain('Gate α ≥ 0.800 (tentative ≥ 0.667) on the estimate: 8 reliable, 1 tentative');
  });
});

describe('coding codebook show --format latex|markdown', () => {
  it('gives a table per category with every code; markdown is the md appendix', async () => {
    const latex = await run(['codebook', 'show', '--format', 'latex']);
    checkLatexStructure(latex);
    const tables = latexTables(latex);
    expect(tables.map((table) => table.rows.map((row) => row[0]))).toEqual([
      ['trade.ntb', 'trade.tariffs', 'trade.sectoral'],
      ['security.drugs', 'security.sovereignty', 'security.fbi'],
      ['rhetoric.praise', 'rhetoric.framing', 'rhetoric.domestic'],
    ]);
    expect(await run(['codebook', 'show', '--format', 'markdown'])).toBe(
      await run(['codebook', 'show', '--format', 'md']),
    );
  });
});

describe('coding report', () => {
  it('writes a LaTeX table beside each theme CSV and the reliability CSV, listed in the manifest', async () => {
    await run(['report', '-o', 'out']);
    const names = (await fs.readdir(path.join(study, 'out'))).sort();
    const tex = names.filter((name) => name.endsWith('.tex') && name !== 'methods.tex');
    expect(tex).toEqual(
      names
        .filter((name) => name.endsWith('.csv') && name !== 'disagreements.csv')
        .map((name) => name.replace(/\.csv$/, '.tex')),
    );
    const manifest = JSON.parse(await fs.readFile(path.join(study, 'out/manifest.json'), 'utf8')) as {
      files: Array<{ name: string; sha256: string }>;
    };
    for (const name of tex) {
      const content = await fs.readFile(path.join(study, 'out', name), 'utf8');
      checkLatexStructure(content);
      expect(manifest.files.find((file) => file.name === name)?.sha256).toBe(
        createHash('sha256').update(content).digest('hex'),
      );
    }
  }, 60_000);
});
