/**
 * methods.md/.tex on hand-made studies the bundled one does not cover: no reliability comparison,
 * three coders, a stratified sample, study text full of Markdown and LaTeX syntax. (The bundled
 * study's figures are checked against reliability.json in test/e2e/methods.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { ReliabilityReport } from '../../src/core/reliability.js';
import type { ReportData } from '../../src/report/data.js';
import { renderMethods } from '../../src/report/methods.js';
import type { MethodsFacts } from '../../src/report/methods-facts.js';

const hostile = '*Le Monde* [x](javascript:alert) <img> & 100% $_#{}~^\\';

function study(reliability?: ReliabilityReport): { data: ReportData; facts: MethodsFacts } {
  const data: ReportData = {
    tool: 'coding 9.9.9',
    title: 'Test',
    study: {
      documents: 2,
      units: 10,
      coded_units: 10,
      coders: ['ann', 'bo', 'cy'],
      primary: 'ann',
      sample: undefined,
      codebook: 'codebooks/test.yaml',
      basis: 'final',
    },
    codebook: {
      categories: [{ id: 'topic', label: 'Topic', exclusive: false }],
      codes: [
        { id: 'topic.a', label: 'A', category: 'topic', definition: hostile },
        { id: 'topic.b', label: 'B', category: 'topic' },
      ],
    },
    reliability,
    reliability_note: reliability ? undefined : 'only one coder has annotations',
    frequencies: [],
    groups: {},
    cooccurrence: [],
    exemplars: [],
    triangulation: [],
    rhetoric: undefined,
    disagreements: [],
    adjudication: { disagreements: 0, decided: 0, pending: 0 },
    inputs: [{ file: 'coding.yaml', sha256: 'ab'.repeat(32) }],
  };
  const facts: MethodsFacts = {
    corpus: {
      documents: 2,
      units: 10,
      unitKinds: [{ name: 'paragraph', documents: 2 }],
      languages: [{ name: 'fr', documents: 2 }],
      dates: { first: '2026-01-01', last: '2026-02-01' },
      undated: 0,
      accessed: undefined,
      sources: [{ name: hostile, documents: 2 }],
      genres: [],
      roles: [],
    },
    codebook: {
      name: 'test',
      title: undefined,
      file: 'codebooks/test.yaml',
      hash: 'cd'.repeat(32),
      exclusive: false,
    },
    sample: {
      format: 'coding-sample',
      version: 1,
      fraction: 0.5,
      size_requested: null,
      size: 5,
      population: 10,
      seed: 3,
      by: 'source',
      method: 'recorded method',
      strata: [
        { name: 'north', population: 6, sample: 3 },
        { name: 'south', population: 4, sample: 2 },
      ],
    },
    coders: [
      { name: 'ann', unitsReviewed: 10, sampleUnitsReviewed: 5, codebookHash: 'cd'.repeat(32) },
      { name: 'bo', unitsReviewed: 5, sampleUnitsReviewed: 5, codebookHash: 'ef'.repeat(32) },
      { name: 'cy', unitsReviewed: 5, sampleUnitsReviewed: 5, codebookHash: undefined },
    ],
    primary: 'ann',
    adjudication: { disagreements: 0, decided: 0, pending: 0, deciders: [], kinds: [], withRationale: 0 },
  };
  return { data, facts };
}

/** Three coders: Fleiss' κ with missing ratings per code (figures made up; they are only printed). */
const threeCoders = {
  coders: ['ann', 'bo', 'cy'],
  n_units: 5,
  units_not_shared: 3,
  overall: null,
  codes: [],
  categories: [],
  interval: { method: 'z', level: 0.9 },
  multi: {
    definition: 'pooled',
    n: 5,
    fleiss_kappa_gwet: 0.61234,
    fleiss_kappa_gwet_ci_low: 0.40004,
    fleiss_kappa_gwet_ci_high: 0.82466,
    fleiss_kappa: 0.5,
    fleiss_n: 4,
    krippendorff_alpha: 0.6219,
    gwet_ac1: 0.7,
    reasons: {},
    codes: [
      {
        code: 'topic.a',
        label: 'A',
        category: 'topic',
        n: 5,
        fleiss_kappa_gwet: 0.5556,
        fleiss_kappa_gwet_ci_low: 0.1111,
        fleiss_kappa_gwet_ci_high: 0.9999,
        fleiss_kappa: 0.5,
        fleiss_n: 4,
        krippendorff_alpha: 0.56,
        gwet_ac1: 0.6,
        reasons: {},
      },
      {
        code: 'topic.b',
        label: 'B',
        category: 'topic',
        n: 5,
        fleiss_kappa_gwet: null,
        fleiss_kappa: null,
        fleiss_n: 4,
        krippendorff_alpha: null,
        gwet_ac1: null,
        reasons: {
          fleiss_kappa_gwet: 'no coder used the code',
          krippendorff_alpha: 'no coder used the code',
        },
      },
    ],
  },
} as unknown as ReliabilityReport;

describe('methods.md and methods.tex', () => {
  it('say why there are no reliability figures when there is no comparison', () => {
    const { data, facts } = study();
    const { markdown, latex } = renderMethods(data, facts);
    expect(markdown).toContain('No reliability figures: only one coder has annotations.');
    expect(markdown).not.toContain('Table 1.');
    expect(latex).toContain('No reliability figures: only one coder has annotations.');
  });

  it("give three coders' Fleiss' κ with missing ratings per code, with undefined figures and their reasons", () => {
    const { data, facts } = study(threeCoders);
    const { markdown, latex } = renderMethods(data, facts);
    expect(markdown).toContain(
      "Over all codes (pooled), Fleiss' κ is 0.612, 90 % CI \\[0.400, 0.825\\], and α is 0.622.",
    );
    expect(markdown).toContain('| topic.a | A | 5 | 0.556 | \\[0.111, 1.000\\] | 0.560 |');
    expect(markdown).toContain('| topic.b | B | 5 | undefined | undefined | undefined |');
    expect(markdown).toContain('topic.b: fleiss\\_kappa\\_gwet undefined (no coder used the code).');
    expect(latex).toContain('topic.a & A & 5 & 0.556 & {[}0.111, 1.000{]} & 0.560 \\\\');
    expect(markdown).toContain('No reliability gate is set in coding.yaml');
  });

  it('describe a stratified sample with its strata, and coders whose codebook hash differs or is unknown', () => {
    const { data, facts } = study(threeCoders);
    const { markdown } = renderMethods(data, facts);
    expect(markdown).toContain(
      'A reliability sample of 5 of the 10 units (a fraction of 0.5 of the units was asked for) was drawn as a proportional stratified random sample without replacement, stratified by source, with seed 3. Strata (sample of population): north (3 of 6) and south (2 of 4).',
    );
    expect(markdown).toContain('The annotations of ann record this hash');
    expect(markdown).toContain(`The annotations of bo record another codebook hash (\`${'ef'.repeat(32)}\`)`);
    expect(markdown).toContain(
      'Which codebook version the annotations of cy were made with is not recorded.',
    );
    expect(markdown).toContain('The unit of analysis (the coding unit) is the paragraph.');
    expect(markdown).toContain('When they were accessed is not recorded.');
    expect(markdown).toContain("The documents' genres are not recorded.");
  });

  it('escape study text: it stays text in Markdown and in LaTeX', () => {
    const { data, facts } = study();
    const { markdown, latex } = renderMethods(data, facts);
    const markdownText = '\\*Le Monde\\* \\[x\\](javascript:alert) \\<img\\> & 100% \\$\\_#{}\\~^\\\\';
    expect(markdown).toContain(`Sources: ${markdownText} (2 documents).`);
    expect(markdown).toContain(`| Topic | topic.a | A | ${markdownText} |`);
    const latexText =
      '*Le Monde* {[}x{]}(javascript:alert) \\textless{}img\\textgreater{} \\& 100\\% \\$\\_\\#\\{\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}';
    expect(latex).toContain(`Sources: ${latexText} (2 documents).`);
    expect(latex).toContain(`Topic & topic.a & A & ${latexText} \\\\`);
    expect(markdown).not.toContain('<img>');
  });

  it('are deterministic', () => {
    const first = study(threeCoders);
    const second = study(threeCoders);
    expect(renderMethods(first.data, first.facts)).toEqual(renderMethods(second.data, second.facts));
  });
});
