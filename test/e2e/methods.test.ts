/**
 * methods.md and methods.tex of `coding report` on the bundled study (issue 15, point 3): every
 * reliability figure in them equals the one in the same report's reliability.json, the other
 * facts equal the study's files, the output is byte-identical on a rerun, and study text is
 * escaped for Markdown and LaTeX.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBundledStudy, runCli, temporaryFolder } from '../helpers.js';

/** RFC 4180 records (quoted fields may hold commas, quotes and line ends). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      record.push(field);
      field = '';
    } else if (character === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (character !== '\r') field += character;
  }
  return records;
}

/** Every number in a JSON value, at 3 decimals: the figures methods.md may print. */
function figuresOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'number') out.add(value.toFixed(3));
  else if (Array.isArray(value)) for (const item of value) figuresOf(item, out);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) figuresOf(item, out);
  return out;
}

/** Decimal numbers in a text (not section numbers such as §11.4.4). */
const decimalsIn = (text: string) =>
  [...text.matchAll(/(?<![§\d.])-?\d+\.\d+(?![\d.])/g)].map((match) => match[0]);

const between = (text: string, start: string, end: string) => {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  expect(from, start).toBeGreaterThan(-1);
  expect(to, end).toBeGreaterThan(from);
  return text.slice(from, to);
};

interface CodeFigures {
  code: string;
  n: number;
  kappa: number;
  ci_low: number;
  ci_high: number;
  krippendorff_alpha: number;
  krippendorff_alpha_ci_low: number;
  krippendorff_alpha_ci_high: number;
  krippendorff_alpha_bootstrap: { low: number; high: number };
  gate: { verdict: string };
}

interface Reliability {
  n_units: number;
  units_not_shared: number;
  codes: CodeFigures[];
  overall: {
    kappa: number;
    bootstrap_ci_low: number;
    bootstrap_ci_high: number;
    observed_agreement: number;
    expected_agreement: number;
  };
}

/** The cells Table 1 must have for a code, in the given interval brackets. */
const expectedRow = (code: CodeFigures, open: string, close: string) => [
  code.code,
  String(code.n),
  code.kappa.toFixed(3),
  `${open}${code.ci_low.toFixed(3)}, ${code.ci_high.toFixed(3)}${close}`,
  code.krippendorff_alpha.toFixed(3),
  `${open}${code.krippendorff_alpha_ci_low.toFixed(3)}, ${code.krippendorff_alpha_ci_high.toFixed(3)}${close}`,
  `${open}${code.krippendorff_alpha_bootstrap.low.toFixed(3)}, ${code.krippendorff_alpha_bootstrap.high.toFixed(3)}${close}`,
  code.gate.verdict,
];

let study: string;
let markdown: string;
let latex: string;
let reliability: Reliability;
let rerun: { markdown: string; latex: string };
let manifest: { files: Array<{ name: string; sha256: string }> };

beforeAll(async () => {
  study = await temporaryFolder('coding-methods-');
  await copyBundledStudy(study);
  for (const output of ['out', 'again']) {
    const result = await runCli(['report', '-o', output], { cwd: study });
    expect(result.code, result.stderr).toBe(0);
  }
  const read = (name: string) => fs.readFile(path.join(study, name), 'utf8');
  markdown = await read('out/methods.md');
  latex = await read('out/methods.tex');
  reliability = JSON.parse(await read('out/reliability.json')) as Reliability;
  manifest = JSON.parse(await read('out/manifest.json'));
  rerun = { markdown: await read('again/methods.md'), latex: await read('again/methods.tex') };
}, 120_000);

describe('methods.md', () => {
  it("gives each code's κ, α, their intervals, α's bootstrap interval and verdict as in reliability.json", () => {
    const table = between(markdown, '**Table 1.', '\n\nα bootstrap');
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Code') && !line.startsWith('| :'))
      .slice(0, reliability.codes.length)
      .map((line) =>
        line
          .slice(2, -2)
          .split(' | ')
          .map((cell) => cell.replace(/\\(.)/g, '$1')),
      );
    expect(rows).toEqual(reliability.codes.map((code) => expectedRow(code, '[', ']')));
  });

  it('gives the overall pooled κ with its bootstrap interval and definition as in reliability.json', () => {
    const { overall } = reliability;
    expect(markdown).toContain(
      `Over all codes, the pooled κ (De Vries et al. 2008) is ${overall.kappa.toFixed(3)}, percentile bootstrap 95 % CI \\[${overall.bootstrap_ci_low.toFixed(3)}, ${overall.bootstrap_ci_high.toFixed(3)}\\]`,
    );
    expect(markdown).toContain(
      `observed agreement ${overall.observed_agreement.toFixed(3)}, expected agreement ${overall.expected_agreement.toFixed(3)}`,
    );
    expect(markdown).toContain(
      'pooled kappa (De Vries et al. 2008): (mean p\\_o - mean p\\_e) / (1 - mean p\\_e)',
    );
    expect(markdown).toContain(
      'De Vries, H., Elliott, M. N., Kanouse, D. E., & Teleki, S. S. (2008). Using pooled kappa to summarize interrater agreement across many items. Field Methods, 20(3), 272–282.',
    );
  });

  it('prints no decimal figure in its reliability section that reliability.json does not hold', () => {
    const section = between(markdown, '## Reliability\n', '## Adjudication');
    const allowed = figuresOf(reliability);
    const decimals = decimalsIn(section);
    expect(decimals.length).toBeGreaterThan(60);
    expect(decimals.filter((figure) => !allowed.has(figure))).toEqual([]);
    const verdicts = (word: string) => reliability.codes.filter((code) => code.gate.verdict === word).length;
    expect(section).toContain(
      `Of the ${reliability.codes.length} codes, ${verdicts('reliable')} are reliable, ${verdicts('tentative')} tentative, ${verdicts('unreliable')} unreliable and ${verdicts('undefined')} undefined.`,
    );
    expect(section).toContain(`on the ${reliability.n_units} units both coders reviewed`);
  });

  it("states the corpus, sample, coders and adjudication from the study's files", async () => {
    const corpus = JSON.parse(await fs.readFile(path.join(study, 'corpus/corpus.json'), 'utf8'));
    const sample = JSON.parse(await fs.readFile(path.join(study, 'annotations/sample.meta.json'), 'utf8'));
    expect(markdown).toContain(
      `The corpus holds ${corpus.documents} documents divided into ${corpus.units} units.`,
    );
    expect(markdown).toContain('The unit of analysis (the coding unit) is the sentence.');
    expect(markdown).toContain(
      `A reliability sample of ${sample.size} of the ${sample.population} units (a fraction of ${sample.fraction} of the units was asked for) was drawn as a simple random sample without replacement, with seed ${sample.seed}.`,
    );
    expect(markdown).toContain('No sample-size plan is recorded');
    expect(markdown).toContain(
      `${reliability.n_units} units both coders reviewed; ${reliability.units_not_shared} units reviewed by fewer are left out`,
    );
    expect(markdown).toContain(
      "Whether the coders worked blind to each other's codes, and how they were trained, is not recorded",
    );
    const disagreements = parseCsv(
      await fs.readFile(path.join(study, 'out/disagreements.csv'), 'utf8'),
    ).slice(1);
    const decided = disagreements.filter((row) => row[6] !== '');
    const withRationale = disagreements.filter((row) => row[7]!.trim() !== '');
    expect(markdown).toContain(
      `coder1 and coder2 disagreed on ${disagreements.length} of the ${reliability.n_units} units they both reviewed`,
    );
    expect(markdown).toContain(
      `${decided.length} of them were decided by adjudication and ${disagreements.length - decided.length} are pending.`,
    );
    expect(markdown).toContain(`Decided by Adjudicator (illustrative) (${decided.length} decisions)`);
    expect(markdown).toContain(
      `${withRationale.length} of the ${decided.length} decisions record a written rationale`,
    );
  });

  it('lists the inputs with the hashes of the manifest, and the codebook as an appendix table', async () => {
    const inputs = JSON.parse(await fs.readFile(path.join(study, 'out/manifest.json'), 'utf8'))
      .inputs as Array<{
      file: string;
      sha256: string;
    }>;
    expect(inputs.length).toBeGreaterThan(5);
    for (const input of inputs) expect(markdown).toContain(`- \`${input.file}\`: \`${input.sha256}\``);
    expect(markdown).toContain(
      '| Trade | trade.ntb | Non-tariff barriers | Regulatory or procedural obstacles to trade in goods',
    );
  });

  it('is listed in the manifest with its hash, and is byte-identical on a rerun', () => {
    for (const name of ['methods.md', 'methods.tex']) {
      const entry = manifest.files.find((file) => file.name === name);
      const content = name === 'methods.md' ? markdown : latex;
      expect(entry?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    }
    expect(rerun.markdown).toBe(markdown);
    expect(rerun.latex).toBe(latex);
  });
});

describe('methods.tex', () => {
  it('gives the same figures as reliability.json in Table 1', () => {
    const table = between(latex, '\\label{tab:methods-reliability}', '\\bottomrule');
    const rows = table
      .split('\n')
      .filter((line) => line.endsWith(' \\\\'))
      .slice(1)
      .map((line) =>
        line
          .slice(0, -3)
          .split(' & ')
          .map((cell) => cell.replace('\\_', '_')),
      );
    expect(rows).toEqual(reliability.codes.map((code) => expectedRow(code, '{[}', '{]}')));
  });

  it('prints no decimal figure in its reliability section that reliability.json does not hold', () => {
    const section = between(latex, '\\subsection{Reliability}', '\\subsection{Adjudication}');
    const allowed = figuresOf(reliability);
    const decimals = decimalsIn(section);
    expect(decimals.length).toBeGreaterThan(60);
    expect(decimals.filter((figure) => !allowed.has(figure))).toEqual([]);
    expect(section).toContain(
      `the pooled \\ensuremath{\\kappa} (De Vries et al. 2008) is ${reliability.overall.kappa.toFixed(3)}`,
    );
  });

  it('has balanced braces and environments, and booktabs rules in every table', () => {
    let depth = 0;
    for (let index = 0; index < latex.length; index++) {
      if (latex[index] === '\\') index++;
      else if (latex[index] === '{') depth++;
      else if (latex[index] === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    for (const environment of ['table', 'tabular', 'longtable', 'itemize'])
      expect(latex.split(`\\begin{${environment}}`).length).toBe(latex.split(`\\end{${environment}}`).length);
    expect(latex.match(/\\bottomrule/g)).toHaveLength(2);
    expect(latex).toContain('\\usepackage[utf8]{inputenc}');
  });
});

describe('a sample drawn with coding sample --plan', () => {
  it('is justified in methods.md by the plan recorded with it', async () => {
    const planned = await temporaryFolder('coding-methods-plan-');
    await copyBundledStudy(planned);
    for (const args of [
      ['sample', '--plan', '--seed', '7', '--force'],
      ['report', '-o', 'out'],
    ]) {
      const result = await runCli(args, { cwd: planned });
      expect(result.code, result.stderr).toBe(0);
    }
    const meta = JSON.parse(await fs.readFile(path.join(planned, 'annotations/sample.meta.json'), 'utf8'));
    const md = await fs.readFile(path.join(planned, 'out/methods.md'), 'utf8');
    expect(md).toContain(
      `The size was set by \`coding plan\`: ${meta.plan.size} units for Krippendorff's α ≥ ${meta.plan.alpha_min} at a confidence level of ${meta.plan.level} (Krippendorff 2004, §11.4), driven by the rarest code, \`${meta.plan.driver}\`, with a prevalence of ${meta.plan.prevalence.toFixed(4)} (estimated from the final codes); that is more than the corpus holds, so every unit was drawn.`,
    );
    expect(md).toContain(`A reliability sample of ${meta.size} of the ${meta.population} units`);
    expect(md).toContain('Krippendorff, K. (2004). Content Analysis');
  }, 60_000);
});

describe('study text in methods.md and methods.tex', () => {
  it('is escaped: a codebook label with Markdown and LaTeX syntax stays text', async () => {
    const hostile = await temporaryFolder('coding-methods-hostile-');
    await copyBundledStudy(hostile);
    const file = path.join(hostile, 'codebooks/usmca-2026.yaml');
    const label = 'Non-tariff *barriers* [x](http://e.org) <b>&amp; 50% $#_{}~^\\';
    const yaml = await fs.readFile(file, 'utf8');
    expect(yaml).toContain('label: Non-tariff barriers');
    await fs.writeFile(file, yaml.replace('label: Non-tariff barriers', `label: ${JSON.stringify(label)}`));
    const result = await runCli(['report', '-o', 'out'], { cwd: hostile });
    expect(result.code, result.stderr).toBe(0);
    const md = await fs.readFile(path.join(hostile, 'out/methods.md'), 'utf8');
    const tex = await fs.readFile(path.join(hostile, 'out/methods.tex'), 'utf8');
    expect(md).toContain(
      '| Trade | trade.ntb | Non-tariff \\*barriers\\* \\[x\\](http\\://e.org) \\<b\\>&amp;amp; 50% \\$#\\_{}\\~^\\\\ |',
    );
    expect(tex).toContain(
      'Non-tariff *barriers* {[}x{]}(http://e.org) \\textless{}b\\textgreater{}\\&amp; 50\\% \\$\\#\\_\\{\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}',
    );
    // The codebook changed after the coders coded: the methods section says so.
    expect(md).toContain('record another codebook hash');
  }, 60_000);
});
