import { describe, expect, it } from 'vitest';
import type { CodeReliability, FigureSet, ReliabilityReport } from '../../src/core/reliability.js';
import { COHEN_SINGLE_CATEGORY } from '../../src/core/stats/cohen-kappa.js';
import type { CrossTable, CrossTableRow } from '../../src/core/themes.js';
import type { ReportData } from '../../src/report/data.js';
import { maxActorsInChart, renderReportHtml } from '../../src/report/html.js';

const hostile = `He said <script>alert("x")</script> & left 'quietly' </td></table>`;
const bootstrapNote = '3 of 200 resamples left the statistic undefined and were left out';

function figures(values: Partial<FigureSet>): FigureSet {
  return {
    n: 10,
    observed_agreement: 0.9,
    expected_agreement: 0.5,
    kappa: 0.8,
    se: 0.1,
    ci_low: 0.6,
    ci_high: 1.0,
    scott_pi: 0.79,
    krippendorff_alpha: 0.8,
    gwet_ac1: 0.85,
    brennan_prediger: 0.8,
    pabak: 0.8,
    prevalence_index: 0.1,
    bias_index: 0,
    reasons: {},
    ...values,
  };
}

function code(id: string, label: string, category: string, values: Partial<FigureSet>): CodeReliability {
  return {
    code: id,
    label,
    category,
    table: [
      [0, 0],
      [0, 10],
    ],
    ...figures(values),
  };
}

const undefinedReasons = {
  kappa: COHEN_SINGLE_CATEGORY,
  se: COHEN_SINGLE_CATEGORY,
  ci_low: COHEN_SINGLE_CATEGORY,
  ci_high: COHEN_SINGLE_CATEGORY,
  scott_pi: COHEN_SINGLE_CATEGORY,
  krippendorff_alpha: COHEN_SINGLE_CATEGORY,
};

function reliability(): ReliabilityReport {
  return {
    coders: ['ana', 'ben'],
    n_units: 10,
    units_not_shared: 2,
    overall: {
      definition: 'pooled',
      description: 'pooled kappa over the 3 codes',
      ...figures({
        kappa: 0.8699,
        ci_low: null,
        ci_high: null,
        bootstrap_ci_low: 0.71,
        bootstrap_ci_high: 0.93,
      }),
    },
    codes: [
      code('t.tariffs', 'Tariffs', 't', {
        kappa: 0.7,
        ci_low: 0.4,
        ci_high: 1.1,
        bootstrap_ci_low: 0.45,
        bootstrap_ci_high: 0.95,
        reasons: { bootstrap: bootstrapNote },
      }),
      code('s.drugs', 'Drugs', 's', { kappa: -0.1, ci_low: -0.5, ci_high: 0.3 }),
      code('s.unused', 'Never used', 's', {
        kappa: null,
        se: null,
        ci_low: null,
        ci_high: null,
        scott_pi: null,
        krippendorff_alpha: null,
        reasons: { ...undefinedReasons },
      }),
    ],
    categories: [],
    bootstrap: { resamples: 200, seed: 7, level: 0.95 },
  };
}

function cross(
  field: CrossTable['field'],
  groups: string[],
  codes: string[],
  units: (group: string, code: string) => number,
): CrossTable {
  const rows: CrossTableRow[] = [];
  for (const codeId of codes) {
    for (const group of groups)
      rows.push({
        code: codeId,
        label: codeId,
        group,
        units: units(group, codeId),
        group_units: 20,
        share: units(group, codeId) / 20,
      });
    rows.push({ code: codeId, label: codeId, group: '(all)', units: 0, group_units: 20, share: 0 });
  }
  for (const group of groups) {
    const coded = codes.reduce((sum, codeId) => sum + units(group, codeId), 0);
    rows.push({
      code: '(any code)',
      label: 'units with any code',
      group,
      units: coded,
      group_units: 20,
      share: coded / 20,
    });
  }
  return { field, period: 'month', groups, rows };
}

/** A small study: three codes (one never used, so its κ is undefined), two actors, hostile text. */
function sampleData(): ReportData {
  const codes = ['t.tariffs', 's.drugs', 's.unused'];
  return {
    tool: 'coding 0.1.0',
    title: 'Trade & <security> "talks"',
    description: 'An illustrative reconstruction, not the original data <b>bold</b>.',
    study: {
      documents: 2,
      units: 12,
      coded_units: 12,
      coders: ['ana', 'ben'],
      primary: 'ana',
      sample: { size: 10, population: 12, fraction: null, seed: 42, by: null },
      codebook: 'codebooks/small.yaml',
      basis: 'final',
    },
    codebook: {
      categories: [
        { id: 't', label: 'Trade', exclusive: false, color: '#1F77B4' },
        {
          id: 's',
          label: 'Security',
          exclusive: false,
          color: 'red;background:url(http://evil.example/x.png)',
        },
      ],
      codes: [
        {
          id: 't.tariffs',
          label: 'Tariffs',
          category: 't',
          color: '#6BAED6',
          definition: 'Duties on goods & their <threat>.',
        },
        { id: 's.drugs', label: 'Drugs', category: 's', color: 'javascript:alert(1)' },
        { id: 's.unused', label: 'Never used', category: 's' },
      ],
    },
    reliability: reliability(),
    frequencies: [
      {
        category: 't',
        code: 't.tariffs',
        label: 'Tariffs',
        units: 5,
        documents: 2,
        unit_share: 5 / 12,
        document_share: 1,
      },
      {
        category: 't',
        code: '',
        label: 'Trade',
        units: 5,
        documents: 2,
        unit_share: 5 / 12,
        document_share: 1,
      },
      {
        category: 's',
        code: 's.drugs',
        label: 'Drugs',
        units: 3,
        documents: 1,
        unit_share: 3 / 12,
        document_share: 0.5,
      },
      {
        category: 's',
        code: 's.unused',
        label: 'Never used',
        units: 0,
        documents: 0,
        unit_share: 0,
        document_share: 0,
      },
      {
        category: 's',
        code: '',
        label: 'Security',
        units: 3,
        documents: 1,
        unit_share: 3 / 12,
        document_share: 0.5,
      },
    ],
    groups: {
      actor: cross('actor', ['Ministry <of> Trade', 'White House'], codes, (group, codeId) =>
        codeId === 's.unused' ? 0 : group === 'White House' ? 3 : 1,
      ),
      role: cross('role', ['primary', 'secondary'], codes, () => 1),
    },
    cooccurrence: codes.flatMap((first) =>
      codes.map((second) => ({
        code_a: first,
        code_b: second,
        units: first === 's.unused' || second === 's.unused' ? 0 : first === second ? 4 : 2,
        jaccard: first === 's.unused' || second === 's.unused' ? 0 : first === second ? 1 : 1 / 3,
      })),
    ),
    exemplars: [
      {
        code: 't.tariffs',
        label: 'Tariffs',
        rank: 1,
        unit_id: 'doc-1:3',
        doc_id: 'doc-1',
        actor: 'White House',
        date: '2026-01-29',
        basis: 'agreed',
        text: hostile,
      },
      {
        code: 's.drugs',
        label: 'Drugs',
        rank: 1,
        unit_id: 'doc-2:1',
        doc_id: 'doc-2',
        actor: '',
        date: '',
        basis: 'adjudicated',
        text: 'Fentanyl & precursors.',
      },
    ],
    triangulation: [
      {
        code: 't.tariffs',
        label: 'Tariffs',
        primary_units: 3,
        secondary_units: 2,
        primary_documents: 1,
        secondary_documents: 1,
        unknown_role_units: 0,
        status: 'converge',
      },
      {
        code: 's.drugs',
        label: 'Drugs',
        primary_units: 3,
        secondary_units: 0,
        primary_documents: 1,
        secondary_documents: 0,
        unknown_role_units: 0,
        status: 'primary-only',
      },
      {
        code: 's.unused',
        label: 'Never used',
        primary_units: 0,
        secondary_units: 0,
        primary_documents: 0,
        secondary_documents: 0,
        unknown_role_units: 0,
        status: 'absent',
      },
    ],
    rhetoric: {
      category: 's',
      rows: [
        {
          actor: 'White House',
          code: 's.drugs',
          label: 'Drugs',
          units: 3,
          audience: 'voters & <press>',
          exemplar_unit: 'doc-2:1',
          exemplar: 'Fentanyl & precursors.',
        },
      ],
    },
    disagreements: [
      {
        unit_id: 'doc-1:3',
        doc_id: 'doc-1',
        text: hostile,
        only_a: ['t.tariffs'],
        only_b: [],
        decision: { codes: ['t.tariffs'], decided_by: 'Chair <x>', rationale: 'Rule 2 & rule "3".' },
      },
      { unit_id: 'doc-2:4', doc_id: 'doc-2', text: 'Pending one.', only_a: [], only_b: ['s.drugs'] },
    ],
    adjudication: { disagreements: 2, decided: 1, pending: 1 },
    inputs: [
      { file: 'coding.yaml', sha256: 'a'.repeat(64) },
      { file: 'annotations/<odd>.csv', sha256: 'b'.repeat(64) },
    ],
  };
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The text between tags, entities decoded, one entry per text node: what a reader (or screen reader) gets. */
function textSegments(html: string): string[] {
  const withoutStyle = html.replace(/<style>[\s\S]*?<\/style>/g, '');
  return withoutStyle
    .split(/<[^>]*>/)
    .map((segment) => segment.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => entities[name]!).trim())
    .filter((segment) => segment !== '');
}

describe('renderReportHtml', () => {
  it('escapes every piece of text: a unit with <script> comes out inert', () => {
    const html = renderReportHtml(sampleData());
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(
      'He said &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; left &#39;quietly&#39; &lt;/td&gt;&lt;/table&gt;',
    );
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('<title>Trade &amp; &lt;security&gt; &quot;talks&quot;: report</title>');
    expect(html).toContain('Ministry &lt;of&gt; Trade');
    expect(html).toContain('annotations/&lt;odd&gt;.csv');
    // Colours that are not plain hex never reach a style attribute.
    expect(html).not.toContain('evil.example');
    expect(html).not.toContain('javascript:');
  });

  it('is deterministic: the same data gives the same bytes, whatever the order of the group fields', () => {
    const data = sampleData();
    const first = renderReportHtml(data);
    expect(renderReportHtml(structuredClone(data))).toBe(first);
    const reordered = { ...data, groups: { role: data.groups['role']!, actor: data.groups['actor']! } };
    expect(renderReportHtml(reordered)).toBe(first);
  });

  it('is one self-contained HTML5 page with every section and chart', () => {
    const html = renderReportHtml(sampleData());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain("default-src 'none'");
    for (const id of [
      'summary',
      'frequencies',
      'actors',
      'groups',
      'reliability',
      'cooccurrence',
      'triangulation',
      'rhetoric',
      'exemplars',
      'disagreements',
      'inputs',
    ]) {
      expect(html, id).toContain(`id="${id}"`);
      expect(html, id).toContain(`href="#${id}"`);
    }
    for (const chart of ['chart-frequencies', 'chart-actors', 'chart-reliability', 'chart-cooccurrence']) {
      expect(html, chart).toContain(`<svg xmlns="http://www.w3.org/2000/svg" id="${chart}" class="chart"`);
      expect(html, chart).toContain(`<title id="${chart}-title">`);
      expect(html, chart).toContain(`<desc id="${chart}-desc">`);
    }
    // Nothing is fetched: no scripts, images, links, imports or external URLs (only the SVG namespace).
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/@import|src=/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect([...html.matchAll(/url\(([^)]*)\)/g)].map((match) => match[1])).toEqual(['#jaccard-scale']);
    // Accessible tables: every header cell says what it heads.
    expect(html).not.toMatch(/<th(?=[\s>])(?![^>]*\bscope=")[^>]*>/);
    expect(html.match(/<th[\s>]/g)!.length).toBeGreaterThan(50);
    // The study's summary: description, sample, basis, overall κ with its bootstrap CI.
    expect(html).toContain('An illustrative reconstruction, not the original data &lt;b&gt;bold&lt;/b&gt;.');
    expect(html).toContain('10 of 12 units (83.3\u00a0%), drawn with seed 42');
    expect(html).toContain('Pooled κ = 0.870');
    expect(html).toContain(
      '95\u00a0% bootstrap percentile CI [0.710, 0.930] (200 resamples of the units, seed 7)',
    );
    expect(html).toContain('pooled kappa over the 3 codes');
    // Colours: from the codebook where given, else the fixed palette.
    expect(html).toContain('fill="#6BAED6"');
    // The heat map has one cell per pair of codes; the disagreements show the decision and the pending one.
    expect(html.match(/class="cell( diagonal)?"/g)).toHaveLength(9);
    expect(html.match(/class="cell diagonal"/g)).toHaveLength(3);
    expect(html).toContain('Rule 2 &amp; rule &quot;3&quot;.');
    expect(html).toContain('status-pending');
    expect(html).toContain('<code class="hash">' + 'a'.repeat(64) + '</code>');
    expect(html).toContain('<code>coding report</code>');
  });

  it('shows an undefined κ as "undefined" with its reason, and never NaN, null or a stray undefined', () => {
    const data = sampleData();
    const html = renderReportHtml(data);
    expect(html).toContain(`<title>undefined: ${COHEN_SINGLE_CATEGORY}</title>`);
    expect(html).toContain('<td class="num kappa">undefined</td>');
    expect(html).toContain(`κ, SE, CI, π, α: ${COHEN_SINGLE_CATEGORY}`);
    expect(html).toContain(`bootstrap: ${bootstrapNote}`);
    // Wald interval past 1 and a negative κ: the axis reaches below 0.
    expect(html).toContain('>-0.2</text>');
    const reasons = [COHEN_SINGLE_CATEGORY, bootstrapNote];
    for (const segment of textSegments(html)) {
      expect(segment, segment).not.toMatch(/\bNaN\b|\bnull\b|Infinity/);
      let rest = segment;
      for (const reason of reasons) {
        for (const form of [`undefined: ${reason}`, `undefined (${reason})`, reason])
          rest = rest.split(form).join('');
      }
      if (!/\bundefined\b/.test(rest)) continue;
      // Allowed: a cell reading "undefined", or "undefined: " before (the start of) a known reason.
      if (rest === 'undefined') continue;
      const reasonStart = segment.replace(/^undefined: /, '');
      expect(
        segment.startsWith('undefined: ') && reasons.some((reason) => reason.startsWith(reasonStart)),
        segment,
      ).toBe(true);
    }
  });

  it('formats numbers in fixed ways: κ to 3 decimals, shares to 1 decimal, no negative zero', () => {
    const html = renderReportHtml(sampleData());
    expect(html).toContain('>0.700</text>');
    expect(html).toContain('>-0.100</text>');
    expect(html).toContain('<td class="num ci">[0.400, 1.100]</td>');
    expect(html).toContain('5 · 41.7\u00a0%');
    expect(html).not.toContain('-0.000');
  });

  it('caps the actor chart and keeps every actor in the table', () => {
    const data = sampleData();
    const actors = Array.from(
      { length: maxActorsInChart + 5 },
      (_, index) => `Actor ${String(index).padStart(2, '0')}`,
    );
    data.groups['actor'] = cross('actor', actors, ['t.tariffs', 's.drugs', 's.unused'], (group, codeId) =>
      codeId === 't.tariffs' ? Number(group.slice(-2)) + 1 : 0,
    );
    const html = renderReportHtml(data);
    const chart = html.slice(
      html.indexOf('<svg xmlns="http://www.w3.org/2000/svg" id="chart-actors"'),
      html.indexOf('</svg>', html.indexOf('id="chart-actors"')),
    );
    expect(chart).toContain('and 5 more actors: all are in the table below');
    // Sorted by units with any code: the busiest actor first, the five quietest left out of the chart.
    expect(chart).toContain(`Actor ${String(maxActorsInChart + 4)}`);
    expect(chart).not.toContain('Actor 00');
    expect(chart.indexOf(`Actor ${maxActorsInChart + 4}`)).toBeLessThan(chart.indexOf('Actor 10'));
    const table = html.slice(html.indexOf('<table class="groups" data-field="actor">'));
    for (const actor of actors) expect(table).toContain(`<th scope="row">${actor}</th>`);
  });

  it('gives every element its own id', () => {
    const ids = [...renderReportHtml(sampleData()).matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(30);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("shows Fleiss' κ per code for three coders, undefined ones with their reason", () => {
    const multiFigures = {
      n: 8,
      fleiss_kappa_gwet: 0.64,
      fleiss_kappa_gwet_se: 0.07,
      fleiss_kappa_gwet_ci_low: 0.5,
      fleiss_kappa_gwet_ci_high: 0.78,
      fleiss_kappa: 0.61,
      fleiss_n: 6,
      krippendorff_alpha: 0.62,
      gwet_ac1: 0.7,
      reasons: {},
    };
    const data: ReportData = {
      ...sampleData(),
      reliability: {
        coders: ['ana', 'ben', 'cy'],
        n_units: 8,
        units_not_shared: 2,
        overall: null,
        codes: [],
        categories: [],
        multi: {
          definition: 'pooled',
          ...multiFigures,
          codes: [
            {
              code: 't.tariffs',
              label: 'Tariffs',
              category: 't',
              ...multiFigures,
              fleiss_kappa_gwet: 0.55,
              fleiss_kappa: 0.5,
            },
            {
              code: 's.unused',
              label: 'Never used',
              category: 's',
              ...multiFigures,
              fleiss_kappa_gwet: null,
              fleiss_kappa_gwet_ci_low: null,
              fleiss_kappa_gwet_ci_high: null,
              fleiss_kappa: null,
              reasons: { fleiss_kappa_gwet: 'no variation', fleiss_kappa: 'no variation' },
            },
          ],
        },
      },
    };
    const html = renderReportHtml(data);
    // The headline is Fleiss' κ generalised to missing ratings, with the complete-units figure beside it.
    expect(html).toContain("Fleiss' κ = 0.640 (95 % CI 0.500 to 0.780)");
    expect(html).toContain('coders = 0.610');
    expect(html).toContain('<td class="num kappa">0.550</td>');
    expect(html).toContain('<title>undefined: no variation</title>');
    expect(html).toContain('Fleiss&#39; κ: no variation');
    expect(html.match(/class="kappa-point/g)).toHaveLength(2);
    for (const segment of textSegments(html)) expect(segment).not.toMatch(/\bNaN\b|\bnull\b|Infinity/);
  });

  it('without a second coder, shows the note instead of the reliability figures', () => {
    const data: ReportData = {
      ...sampleData(),
      reliability: undefined,
      reliability_note: 'only one coder has annotations',
      disagreements: [],
      adjudication: { disagreements: 0, decided: 0, pending: 0 },
    };
    const html = renderReportHtml(data);
    expect(html).toContain('No reliability section: only one coder has annotations.');
    expect(html).not.toContain('id="chart-reliability"');
    for (const segment of textSegments(html)) expect(segment).not.toMatch(/\bNaN\b|\bnull\b|\bundefined\b/);
  });

  it('renders an empty study without failing or printing NaN', () => {
    const data: ReportData = {
      ...sampleData(),
      description: undefined,
      study: {
        documents: 0,
        units: 0,
        coded_units: 0,
        coders: [],
        codebook: 'codebook.yaml',
        basis: 'final',
      },
      codebook: { categories: [], codes: [] },
      reliability: undefined,
      reliability_note: 'only one coder has annotations',
      frequencies: [],
      groups: {},
      cooccurrence: [],
      exemplars: [],
      triangulation: [],
      rhetoric: undefined,
      disagreements: [],
      inputs: [],
    };
    const html = renderReportHtml(data);
    expect(html).toContain('The codebook has no codes.');
    expect(html).toContain('No document records an actor.');
    for (const segment of textSegments(html))
      expect(segment).not.toMatch(/\bNaN\b|\bnull\b|\bundefined\b|Infinity/);
  });
});
