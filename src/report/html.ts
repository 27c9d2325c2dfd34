/**
 * report.html: one self-contained page (no network, no script; inline CSS and hand-written SVG)
 * showing everything in ReportData for people who would rather look than read CSV files. The
 * output depends on the data only: no dates, no random ids, numbers in fixed formats, so the same
 * inputs give the same bytes. Every piece of text from the data goes through `escapeHtml`.
 */
import type { CodeReliability, FigureSet, MultiReliability, ReliabilityReport } from '../core/reliability.js';
import {
  allGroups,
  anyCode,
  type CrossTable,
  noValue,
  type TriangulationRow,
  type TriangulationStatus,
} from '../core/themes.js';
import type { ReportCode, ReportData, ReportDisagreement } from './data.js';
import {
  compareText,
  coordinate,
  count,
  escapeHtml,
  fitText,
  fixed,
  lighten,
  missing,
  niceTicks,
  palette,
  percent,
  safeColor,
  sequentialBlue,
  svgChart,
  svgLine,
  svgRect,
  svgText,
  textColorOn,
  wrapText,
} from './svg.js';

/** Actors drawn in the chart by actor; the table below it lists them all. */
export const maxActorsInChart = 15;
/** Rows of a group table other than the actors' (the CSV file has them all). */
export const maxGroupRows = 200;
/** Pairs listed under the heat map. */
const strongestPairs = 10;

const h = escapeHtml;

/** Codes and categories with their colours and labels, looked up by id. */
interface Palette {
  codes: ReportCode[];
  code(id: string): ReportCode | undefined;
  label(id: string): string;
  color(id: string): string;
  categoryLabel(id: string): string;
  categoryColor(id: string): string;
}

function makePalette(data: ReportData): Palette {
  const codes = data.codebook.codes;
  const byId = new Map(codes.map((code) => [code.id, code]));
  const colors = new Map(
    codes.map((code, index) => [code.id, safeColor(code.color) ?? palette[index % palette.length]!]),
  );
  const categories = new Map(data.codebook.categories.map((category) => [category.id, category]));
  return {
    codes,
    code: (id) => byId.get(id),
    label: (id) => byId.get(id)?.label ?? id,
    color: (id) => colors.get(id) ?? '#777777',
    categoryLabel: (id) => categories.get(id)?.label ?? id,
    categoryColor: (id) => {
      const own = safeColor(categories.get(id)?.color);
      if (own) return own;
      const first = codes.find((code) => code.category === id);
      return first ? colors.get(first.id)! : '#777777';
    },
  };
}

/** A code as a small coloured chip with its label; the id in a tooltip. */
function codeChip(id: string, colors: Palette): string {
  return `<span class="chip" title="${h(id)}"><span class="swatch" style="background:${colors.color(id)}"></span>${h(colors.label(id))}</span>`;
}

function codeList(ids: readonly string[], colors: Palette, empty = 'no code'): string {
  return ids.length === 0
    ? `<span class="muted">${h(empty)}</span>`
    : ids.map((id) => codeChip(id, colors)).join(' ');
}

function plural(value: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count(value)} ${value === 1 ? singular : pluralForm}`;
}

/** A numeric table cell. */
function num(text: string): string {
  return `<td class="num">${h(text)}</td>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-heading">\n<h2 id="${id}-heading">${h(title)}</h2>\n${body}\n</section>`;
}

function figure(svg: string, caption: string): string {
  return `<figure class="chart">\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

function tableWrap(table: string): string {
  return `<div class="table-wrap">${table}</div>`;
}

// ---------------------------------------------------------------------------------------------
// Study summary

const reliabilityLevel = (report: ReliabilityReport | undefined): number => report?.bootstrap?.level ?? 0.95;

function levelText(level: number): string {
  return `${fixed(level * 100, Number.isInteger(level * 100) ? 0 : 1)}\u00a0%`;
}

function interval(low: number | null | undefined, high: number | null | undefined): string {
  return low === null || low === undefined || high === null || high === undefined
    ? missing
    : `[${fixed(low)}, ${fixed(high)}]`;
}

function basisText(data: ReportData): string {
  if (data.study.basis === 'final') {
    const primary = data.study.primary ? ` (${data.study.primary})` : '';
    return `final codes: the adjudicated codes where the coders disagreed, the agreed codes where they agreed, else the primary coder's${primary}`;
  }
  return `the codes of ${data.study.basis} alone`;
}

function headlineKappa(data: ReportData): string {
  const report = data.reliability;
  if (!report) {
    return `<p class="headline-note">No reliability figures: ${h(data.reliability_note ?? 'fewer than two coders share units')}.</p>`;
  }
  const coders = report.coders.map(h).join(', ');
  const level = levelText(reliabilityLevel(report));
  if (report.multi) {
    const multi = report.multi;
    const value =
      multi.fleiss_kappa === null
        ? `Fleiss' κ undefined: ${h(multi.reasons['fleiss_kappa'] ?? 'no reason given')}`
        : `Fleiss' κ = ${fixed(multi.fleiss_kappa)}`;
    return (
      `<p class="big">${value}</p>` +
      `<p>${multi.definition === 'pooled' ? 'Pooled over every (unit, code) pair' : 'On the nominal variable of the codes plus "none"'}, ` +
      `over the ${plural(multi.fleiss_n, 'unit')} coded by all ${report.coders.length} coders (${coders}). ` +
      `Krippendorff's α = ${fixed(multi.krippendorff_alpha)}, Gwet's AC1 = ${fixed(multi.gwet_ac1)} over ${plural(multi.n, 'unit')} coded by two or more.</p>`
    );
  }
  const overall = report.overall;
  if (!overall) return `<p class="headline-note">No overall κ: the coders share no units.</p>`;
  const name = overall.definition === 'pooled' ? 'Pooled κ' : "Cohen's κ";
  const value =
    overall.kappa === null
      ? `${name} undefined: ${h(overall.reasons['kappa'] ?? 'no reason given')}`
      : `${name} = ${fixed(overall.kappa)}`;
  let ci: string;
  if (overall.bootstrap_ci_low != null && overall.bootstrap_ci_high != null && report.bootstrap) {
    ci = `${level} bootstrap percentile CI ${interval(overall.bootstrap_ci_low, overall.bootstrap_ci_high)} (${count(report.bootstrap.resamples)} resamples of the units, seed ${report.bootstrap.seed})`;
  } else if (overall.ci_low !== null && overall.ci_high !== null) {
    ci = `${level} CI ${interval(overall.ci_low, overall.ci_high)} (asymptotic standard error)`;
  } else {
    ci = `no confidence interval: ${h(overall.reasons['ci_low'] ?? overall.reasons['bootstrap_ci_low'] ?? 'not computed')}`;
  }
  return (
    `<p class="big">${value}</p>` +
    `<p>${ci}.</p>` +
    `<p>Over the ${plural(overall.n, 'unit')} both ${coders} reviewed; observed agreement p<sub>o</sub> = ${fixed(overall.observed_agreement)}, ` +
    `expected p<sub>e</sub> = ${fixed(overall.expected_agreement)}.</p>` +
    `<p class="definition"><strong>Definition:</strong> ${h(overall.description)}.</p>`
  );
}

function summarySection(data: ReportData): string {
  const { study } = data;
  const coders =
    study.coders.length === 0
      ? '<span class="muted">none</span>'
      : study.coders.map((coder) => `${h(coder)}${coder === study.primary ? ' (primary)' : ''}`).join(', ');
  let sample = '<span class="muted">no double-coding sample drawn</span>';
  if (study.sample) {
    const { size, population, fraction, seed, by } = study.sample;
    const share = population === 0 ? null : size / population;
    const asked = fraction === null ? '' : `; fraction ${h(String(fraction))} asked, round(fraction × units)`;
    sample =
      `${count(size)} of ${plural(population, 'unit')} (${percent(share)}${asked}), drawn with seed ${h(String(seed))}` +
      (by ? `, stratified by ${h(by)}` : ', simple random sample');
  }
  const categories = data.codebook.categories.length;
  const facts: Array<[string, string]> = [
    [
      'Corpus',
      `${plural(study.documents, 'document')}, ${plural(study.units, 'unit')}; ${count(study.coded_units)} reviewed and counted in the tables`,
    ],
    ['Coders', coders],
    ['Double-coding sample', sample],
    [
      'Codebook',
      `<code>${h(study.codebook)}</code>: ${plural(categories, 'category', 'categories')}, ${plural(data.codebook.codes.length, 'code')}`,
    ],
    ['Basis of the tables', h(basisText(data))],
    [
      'Adjudication',
      data.reliability
        ? `${plural(data.adjudication.disagreements, 'disagreement')}: ${count(data.adjudication.decided)} decided, ${count(data.adjudication.pending)} pending`
        : '<span class="muted">no second coder</span>',
    ],
  ];
  const list = facts.map(([term, detail]) => `<div><dt>${h(term)}</dt><dd>${detail}</dd></div>`).join('\n');
  return section(
    'summary',
    'The study',
    `<dl class="facts">\n${list}\n</dl>\n<div class="headline" id="overall-kappa">\n<h3>Inter-coder reliability</h3>\n${headlineKappa(data)}\n</div>`,
  );
}

// ---------------------------------------------------------------------------------------------
// Theme frequencies

function frequencySection(data: ReportData, colors: Palette): string {
  const rows = data.frequencies;
  if (rows.length === 0)
    return section('frequencies', 'Theme frequencies', '<p>The codebook has no codes.</p>');
  const categories: string[] = [];
  for (const row of rows) if (!categories.includes(row.category)) categories.push(row.category);
  const width = 760;
  const labelWidth = 210;
  const valueWidth = 110;
  const plotLeft = labelWidth + 8;
  const plotWidth = width - plotLeft - valueWidth;
  const top = 26;
  const codeRow = 22;
  const categoryRow = 28;
  const max = Math.max(1, ...rows.map((row) => row.units));
  const ticks = niceTicks(max);
  const scaleMax = ticks[ticks.length - 1]!;
  const x = (value: number): number => plotLeft + (value / scaleMax) * plotWidth;
  const parts: string[] = [];
  let y = top;
  const layout: string[] = [];
  for (const category of categories) {
    const total = rows.find((row) => row.category === category && row.code === '');
    const codes = rows.filter((row) => row.category === category && row.code !== '');
    const color = colors.categoryColor(category);
    if (total) {
      const tooltip = `${total.label} (any of its codes): ${count(total.units)} units (${percent(total.unit_share)} of the reviewed units), ${count(total.documents)} documents`;
      layout.push(svgRect(0, y + 2, width, categoryRow - 4, { fill: '#F2F2F2' }));
      layout.push(
        svgText(
          6,
          y + categoryRow / 2 + 4,
          fitText(total.label, labelWidth - 10, 12),
          { 'font-size': 12, 'font-weight': 700 },
          total.label,
        ),
      );
      parts.push(
        svgRect(
          x(0),
          y + 6,
          x(total.units) - x(0),
          categoryRow - 12,
          {
            class: 'bar category',
            'data-category': category,
            fill: lighten(color, 0.55),
            stroke: color,
            'stroke-width': 1,
          },
          tooltip,
        ),
      );
      parts.push(
        svgText(
          x(total.units) + 5,
          y + categoryRow / 2 + 4,
          `${count(total.units)} · ${percent(total.unit_share)}`,
          { 'font-size': 11, 'font-weight': 700 },
        ),
      );
      y += categoryRow;
    }
    for (const row of codes) {
      const tooltip = `${row.label} (${row.code}): ${count(row.units)} units (${percent(row.unit_share)} of the reviewed units), ${count(row.documents)} documents (${percent(row.document_share)})`;
      layout.push(
        svgText(
          18,
          y + codeRow / 2 + 4,
          fitText(row.label, labelWidth - 22, 11.5),
          { 'font-size': 11.5 },
          row.label,
        ),
      );
      parts.push(
        svgRect(
          x(0),
          y + 4,
          x(row.units) - x(0),
          codeRow - 8,
          { class: 'bar code', 'data-code': row.code, fill: colors.color(row.code) },
          tooltip,
        ),
      );
      parts.push(
        svgText(x(row.units) + 5, y + codeRow / 2 + 4, `${count(row.units)} · ${percent(row.unit_share)}`, {
          'font-size': 11,
          fill: '#333333',
        }),
      );
      y += codeRow;
    }
  }
  const bottom = y + 4;
  const grid = ticks
    .map(
      (tick) =>
        svgLine(x(tick), top - 4, x(tick), bottom, {
          stroke: tick === 0 ? '#666666' : '#DDDDDD',
          'stroke-width': 1,
        }) +
        svgText(x(tick), top - 10, count(tick), {
          'font-size': 10,
          'text-anchor': 'middle',
          fill: '#555555',
        }),
    )
    .join('');
  const axisLabel = svgText(x(0) - 6, top - 10, 'units', {
    'font-size': 10,
    'text-anchor': 'end',
    fill: '#555555',
  });
  const svg = svgChart({
    id: 'chart-frequencies',
    width,
    height: bottom + 6,
    title: 'Theme frequencies by category and code',
    description: `Horizontal bars: units carrying each code, and each category (any of its codes), out of ${count(data.study.coded_units)} reviewed units. ${rows
      .filter((row) => row.code !== '')
      .map((row) => `${row.label}: ${row.units}`)
      .join('; ')}.`,
    body: `${layout.join('\n')}\n${grid}${axisLabel}\n${parts.join('\n')}`,
  });
  const caption = `Units carrying each code, out of the ${count(data.study.coded_units)} reviewed units, with the share of those units. A category's bar counts the units with any of its codes, each once; a unit may carry several codes.`;
  const body = [
    '<tr><th scope="col">Code</th><th scope="col" class="num">Units</th><th scope="col" class="num">Share of units</th><th scope="col" class="num">Documents</th><th scope="col" class="num">Share of documents</th></tr>',
  ];
  const tableRows: string[] = [];
  for (const category of categories) {
    const total = rows.find((row) => row.category === category && row.code === '');
    for (const row of rows.filter((entry) => entry.category === category && entry.code !== '')) {
      tableRows.push(
        `<tr><th scope="row">${codeChip(row.code, colors)} <code class="id">${h(row.code)}</code></th>${num(count(row.units))}${num(percent(row.unit_share))}${num(count(row.documents))}${num(percent(row.document_share))}</tr>`,
      );
    }
    if (total) {
      tableRows.push(
        `<tr class="total"><th scope="row">${h(total.label)}, any code</th>${num(count(total.units))}${num(percent(total.unit_share))}${num(count(total.documents))}${num(percent(total.document_share))}</tr>`,
      );
    }
  }
  const table = tableWrap(
    `<table class="frequencies">\n<thead>${body[0]}</thead>\n<tbody>\n${tableRows.join('\n')}\n</tbody>\n</table>`,
  );
  return section('frequencies', 'Theme frequencies', `${figure(svg, h(caption))}\n${table}`);
}

// ---------------------------------------------------------------------------------------------
// Groups: by actor (chart and table) and the other fields (tables)

interface GroupMatrix {
  groups: string[];
  units: Map<string, Map<string, number>>;
  coded: Map<string, number>;
  reviewed: Map<string, number>;
}

function groupMatrix(table: CrossTable): GroupMatrix {
  const units = new Map<string, Map<string, number>>();
  const coded = new Map<string, number>();
  const reviewed = new Map<string, number>();
  for (const row of table.rows) {
    if (row.group === allGroups) continue;
    if (row.code === anyCode) {
      coded.set(row.group, row.units);
      reviewed.set(row.group, row.group_units);
      continue;
    }
    const cells = units.get(row.group) ?? new Map<string, number>();
    cells.set(row.code, row.units);
    units.set(row.group, cells);
    reviewed.set(row.group, row.group_units);
  }
  return { groups: table.groups, units, coded, reviewed };
}

/** Groups by units with any code (most first), then reviewed units, then name; "(none)" last. */
function sortedByWeight(matrix: GroupMatrix): string[] {
  return [...matrix.groups].sort((left, right) => {
    if (left === noValue || right === noValue) return left === right ? 0 : left === noValue ? 1 : -1;
    return (
      (matrix.coded.get(right) ?? 0) - (matrix.coded.get(left) ?? 0) ||
      (matrix.reviewed.get(right) ?? 0) - (matrix.reviewed.get(left) ?? 0) ||
      compareText(left, right)
    );
  });
}

function groupTable(
  field: string,
  matrix: GroupMatrix,
  order: string[],
  colors: Palette,
  limit?: number,
): string {
  const shown = limit === undefined ? order : order.slice(0, limit);
  const head =
    `<tr><th scope="col">${h(field[0]!.toUpperCase() + field.slice(1))}</th>` +
    colors.codes
      .map(
        (code) => `<th scope="col" class="rotate" title="${h(code.id)}"><span>${h(code.label)}</span></th>`,
      )
      .join('') +
    '<th scope="col" class="rotate"><span>Any code</span></th><th scope="col" class="rotate"><span>Reviewed units</span></th></tr>';
  const rows = shown.map((group) => {
    const cells = matrix.units.get(group);
    return (
      `<tr><th scope="row">${h(group)}</th>` +
      colors.codes.map((code) => num(count(cells?.get(code.id) ?? 0))).join('') +
      num(count(matrix.coded.get(group) ?? 0)) +
      num(count(matrix.reviewed.get(group) ?? 0)) +
      '</tr>'
    );
  });
  const more =
    shown.length < order.length
      ? `<p class="muted">${plural(order.length - shown.length, 'more row')} in <code>by-${h(field)}.csv</code>.</p>`
      : '';
  return `${tableWrap(`<table class="groups" data-field="${h(field)}">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`)}${more}`;
}

/** Small multiples: one bar chart per code, the actors on a shared vertical axis and one scale. */
function actorChart(matrix: GroupMatrix, order: string[], colors: Palette): string {
  const shown = order.slice(0, maxActorsInChart);
  const hidden = order.length - shown.length;
  const codes = colors.codes;
  const labelWidth = 180;
  // Panels of at least 80 units, up to a chart 960 wide; more codes wrap into further bands.
  const minimumPanel = 80;
  const perBand = Math.max(1, Math.min(codes.length, Math.floor((960 - labelWidth) / minimumPanel)));
  const bands: ReportCode[][] = [];
  for (let start = 0; start < codes.length; start += perBand) bands.push(codes.slice(start, start + perBand));
  const panelWidth = Math.max(minimumPanel, (760 - labelWidth) / perBand);
  const width = labelWidth + perBand * panelWidth;
  const rowHeight = 18;
  const headerHeight = 46;
  let max = 1;
  for (const actor of shown)
    for (const code of codes) max = Math.max(max, matrix.units.get(actor)?.get(code.id) ?? 0);
  const barRoom = panelWidth - 30;
  const parts: string[] = [];
  let y = 0;
  for (const band of bands) {
    // Header: the code labels, wrapped, over a rule in the code's colour.
    for (const [index, code] of band.entries()) {
      const left = labelWidth + index * panelWidth;
      const lines = wrapText(code.label, panelWidth - 8, 10.5, 3);
      const firstLine = y + headerHeight - 8 - (lines.length - 1) * 11;
      for (const [lineIndex, line] of lines.entries()) {
        parts.push(
          svgText(
            left + 3,
            firstLine + lineIndex * 11,
            line,
            { 'font-size': 10, 'font-weight': 600 },
            lineIndex === 0 ? `${code.label} (${code.id})` : undefined,
          ),
        );
      }
      parts.push(svgRect(left + 2, y + headerHeight - 4, panelWidth - 6, 3, { fill: colors.color(code.id) }));
    }
    const bodyTop = y + headerHeight + 2;
    for (const [row, actor] of shown.entries()) {
      const rowTop = bodyTop + row * rowHeight;
      if (row % 2 === 0) parts.push(svgRect(0, rowTop, width, rowHeight, { fill: '#F5F5F5' }));
      parts.push(
        svgText(
          4,
          rowTop + rowHeight / 2 + 4,
          fitText(actor, labelWidth - 10, 11),
          { 'font-size': 11 },
          `${actor}: ${count(matrix.coded.get(actor) ?? 0)} of ${count(matrix.reviewed.get(actor) ?? 0)} reviewed units carry a code`,
        ),
      );
      for (const [index, code] of band.entries()) {
        const left = labelWidth + index * panelWidth + 2;
        const units = matrix.units.get(actor)?.get(code.id) ?? 0;
        if (units === 0) continue;
        const barWidth = Math.max(1.5, (units / max) * barRoom);
        parts.push(
          svgRect(
            left,
            rowTop + 3,
            barWidth,
            rowHeight - 6,
            { class: 'bar', 'data-code': code.id, fill: colors.color(code.id) },
            `${actor}, ${code.label}: ${count(units)} units`,
          ),
        );
        parts.push(
          svgText(left + barWidth + 3, rowTop + rowHeight / 2 + 4, count(units), {
            'font-size': 10,
            fill: '#333333',
          }),
        );
      }
    }
    const bodyBottom = bodyTop + shown.length * rowHeight;
    for (const index of band.keys()) {
      const left = labelWidth + index * panelWidth + 2;
      parts.push(svgLine(left, bodyTop, left, bodyBottom, { stroke: '#888888', 'stroke-width': 1 }));
    }
    y = bodyBottom + 10;
  }
  if (hidden > 0) {
    parts.push(
      svgText(4, y + 8, `and ${plural(hidden, 'more actor')}: all are in the table below`, {
        'font-size': 11,
        'font-style': 'italic',
        fill: '#444444',
      }),
    );
    y += 18;
  }
  return svgChart({
    id: 'chart-actors',
    width,
    height: y + 2,
    title: 'Codes by actor',
    description: `Small multiples: for each code, a bar per actor with the units carrying the code in that actor's documents, on one scale (longest bar ${count(max)} units). Actors sorted by units with any code${hidden > 0 ? `; the ${count(shown.length)} with the most are drawn, ${count(hidden)} more are in the table` : ''}.`,
    body: parts.join('\n'),
  });
}

const groupTitles: Record<string, string> = {
  actor: 'By actor',
  source: 'By source',
  genre: 'By genre',
  role: 'By role (primary or secondary source)',
  date: 'By date',
  document: 'By document',
};
const groupOrder = ['source', 'genre', 'role', 'date', 'document'];

function actorSection(data: ReportData, colors: Palette): string {
  const table = data.groups['actor'];
  if (!table) return section('actors', 'Codes by actor', '<p>No document records an actor.</p>');
  const matrix = groupMatrix(table);
  const order = sortedByWeight(matrix);
  const caption = `Units carrying each code in each actor's documents (the author or speaker the corpus records), one small chart per code on a common scale. Actors are sorted by the units that carry any code${order.length > maxActorsInChart ? `; the chart shows the first ${maxActorsInChart}, the table all ${order.length}` : ''}.`;
  return section(
    'actors',
    'Codes by actor',
    `${figure(actorChart(matrix, order, colors), h(caption))}\n${groupTable('actor', matrix, order, colors)}`,
  );
}

function groupsSection(data: ReportData, colors: Palette): string {
  const fields = Object.keys(data.groups)
    .filter((field) => field !== 'actor')
    .sort((left, right) => {
      const leftIndex = groupOrder.indexOf(left);
      const rightIndex = groupOrder.indexOf(right);
      return (
        (leftIndex < 0 ? groupOrder.length : leftIndex) - (rightIndex < 0 ? groupOrder.length : rightIndex) ||
        compareText(left, right)
      );
    });
  if (fields.length === 0)
    return section(
      'groups',
      'Other groupings',
      '<p>The documents record no source, genre, role or date.</p>',
    );
  const parts = fields.map((field) => {
    const table = data.groups[field]!;
    const matrix = groupMatrix(table);
    const title = field === 'date' ? `By date (per ${table.period})` : (groupTitles[field] ?? `By ${field}`);
    const order = field === 'document' || field === 'date' ? matrix.groups : sortedByWeight(matrix);
    return `<h3>${h(title)}</h3>\n${groupTable(field, matrix, order, colors, maxGroupRows)}`;
  });
  return section(
    'groups',
    'Other groupings',
    `<p>Units carrying each code, per group of documents.</p>\n${parts.join('\n')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Reliability

/** Landis & Koch (1977): labels for ranges of κ, a reading convention. */
const landisKoch: Array<{ from: number; to: number; label: string }> = [
  { from: -1, to: 0, label: 'poor' },
  { from: 0, to: 0.2, label: 'slight' },
  { from: 0.2, to: 0.4, label: 'fair' },
  { from: 0.4, to: 0.6, label: 'moderate' },
  { from: 0.6, to: 0.8, label: 'substantial' },
  { from: 0.8, to: 1, label: 'almost perfect' },
];

interface IntervalRow {
  label: string;
  id: string;
  overall: boolean;
  kappa: number | null;
  reason: string | undefined;
  wald: [number, number] | undefined;
  bootstrap: [number, number] | undefined;
}

function pair(low: number | null | undefined, high: number | null | undefined): [number, number] | undefined {
  return low === null || low === undefined || high === null || high === undefined ? undefined : [low, high];
}

function reliabilityChart(rows: IntervalRow[], report: ReliabilityReport, multi: boolean): string {
  const width = 760;
  const labelWidth = 200;
  const valueWidth = 70;
  const plotLeft = labelWidth + 10;
  const plotRight = width - valueWidth - 10;
  const values: number[] = [0];
  for (const row of rows) {
    if (row.kappa !== null) values.push(row.kappa);
    if (row.wald) values.push(row.wald[0]);
    if (row.bootstrap) values.push(row.bootstrap[0]);
  }
  const low = Math.max(-1, Math.min(0, Math.floor(Math.min(...values) * 5 + 1e-9) / 5));
  const high = 1;
  const x = (value: number): number =>
    plotLeft + ((Math.min(high, Math.max(low, value)) - low) / (high - low)) * (plotRight - plotLeft);
  const hasWald = rows.some((row) => row.wald);
  const hasBootstrap = rows.some((row) => row.bootstrap);
  const level = levelText(reliabilityLevel(report));
  const legendHeight = 22;
  // Narrow bands (an axis reaching far below 0) get their names on two alternating lines.
  const stagger = x(0.2) - x(0) < 90;
  const bandLabelY = legendHeight + 14 + (stagger ? 11 : 0);
  const top = bandLabelY + 8;
  const rowHeight = 26;
  const bottom = top + rows.length * rowHeight;
  const parts: string[] = [];
  // Legend.
  let legendX = plotLeft;
  parts.push(`<circle cx="${coordinate(legendX + 4)}" cy="10" r="4" fill="#222222"/>`);
  parts.push(svgText(legendX + 12, 14, 'κ', { 'font-size': 11 }));
  legendX += 34;
  if (hasWald) {
    parts.push(svgLine(legendX, 10, legendX + 24, 10, { stroke: '#222222', 'stroke-width': 2 }));
    parts.push(svgText(legendX + 30, 14, `${level} CI (asymptotic SE)`, { 'font-size': 11 }));
    legendX += 178;
  }
  if (hasBootstrap) {
    parts.push(
      svgLine(legendX, 10, legendX + 24, 10, {
        stroke: '#D55E00',
        'stroke-width': 3,
        'stroke-dasharray': '4 2',
      }),
    );
    parts.push(svgText(legendX + 30, 14, `${level} bootstrap CI`, { 'font-size': 11 }));
    legendX += 150;
  }
  if (multi) parts.push(svgText(legendX, 14, "Fleiss' κ: no interval", { 'font-size': 11, fill: '#555555' }));
  // Landis & Koch bands, alternately shaded, with their names.
  for (const [index, band] of landisKoch.entries()) {
    if (band.to <= low) continue;
    const left = x(Math.max(band.from, low));
    const right = x(band.to);
    parts.push(
      svgRect(left, top, right - left, bottom - top, { fill: index % 2 === 0 ? '#F3F3F3' : '#FAFAFA' }),
    );
    parts.push(
      svgText(
        (left + right) / 2,
        bandLabelY - (stagger && index % 2 === 1 ? 11 : 0),
        fitText(band.label, stagger ? 2 * (right - left) - 6 : right - left - 2, 11),
        { 'font-size': 10, 'text-anchor': 'middle', fill: '#666666', 'font-style': 'italic' },
        band.label,
      ),
    );
  }
  // Ticks every 0.2 and the reference line at 0.
  for (let step = Math.round(low * 5); step <= 5; step++) {
    const tick = step / 5;
    const tickX = x(tick);
    parts.push(
      svgLine(tickX, top, tickX, bottom, {
        stroke: tick === 0 ? '#333333' : '#CCCCCC',
        'stroke-width': tick === 0 ? 1.5 : 1,
      }),
    );
    parts.push(
      svgText(tickX, bottom + 14, fixed(tick, 1), {
        'font-size': 10,
        'text-anchor': 'middle',
        fill: '#444444',
      }),
    );
  }
  parts.push(
    svgText((plotLeft + plotRight) / 2, bottom + 30, multi ? "Fleiss' κ" : 'κ', {
      'font-size': 11,
      'text-anchor': 'middle',
    }),
  );
  const arrow = (tipX: number, y: number, direction: 1 | -1, color: string): string =>
    `<path d="M${coordinate(tipX)} ${coordinate(y)} l${coordinate(-5 * direction)} -3.5 v7 z" fill="${color}"/>`;
  for (const [index, row] of rows.entries()) {
    const center = top + index * rowHeight + rowHeight / 2;
    if (row.overall)
      parts.push(svgRect(0, center - rowHeight / 2, plotLeft - 4, rowHeight, { fill: '#EEF3F8' }));
    parts.push(
      svgText(
        6,
        center + 4,
        fitText(row.label, labelWidth - 10, 11.5),
        { 'font-size': 11.5, 'font-weight': row.overall ? 700 : 400 },
        `${row.label}${row.id ? ` (${row.id})` : ''}`,
      ),
    );
    if (row.kappa === null) {
      const text = `undefined: ${row.reason ?? 'no reason given'}`;
      const lines = wrapText(text, plotRight - plotLeft - 12, 10.5, 2);
      parts.push(`<g class="undefined-kappa"><title>${h(text)}</title>`);
      parts.push(
        svgRect(plotLeft + 2, center - rowHeight / 2 + 1, plotRight - plotLeft - 4, rowHeight - 2, {
          fill: '#FFFFFF',
          'fill-opacity': 0.92,
        }),
      );
      for (const [line, content] of lines.entries()) {
        const baseline = center + 4 + (line - (lines.length - 1) / 2) * 11;
        parts.push(
          svgText(plotLeft + 6, baseline, content, {
            'font-size': 10.5,
            'font-style': 'italic',
            fill: '#8A1C1C',
          }),
        );
      }
      parts.push('</g>');
      parts.push(
        svgText(width - 6, center + 4, 'undefined', {
          'font-size': 11,
          'text-anchor': 'end',
          fill: '#8A1C1C',
        }),
      );
      continue;
    }
    const draw = (
      range: [number, number],
      offset: number,
      attributes: Record<string, string | number>,
      color: string,
      name: string,
    ): void => {
      const [from, to] = range;
      const y = center + offset;
      const tooltip = `${row.label}: ${name} ${interval(from, to)}`;
      parts.push(
        `<g class="interval ${name.startsWith('bootstrap') ? 'bootstrap' : 'wald'}"><title>${h(tooltip)}</title>`,
      );
      parts.push(svgLine(x(from), y, x(to), y, { stroke: color, ...attributes }));
      if (from >= low)
        parts.push(svgLine(x(from), y - 3, x(from), y + 3, { stroke: color, 'stroke-width': 1.5 }));
      else parts.push(arrow(x(low), y, -1, color));
      if (to <= high) parts.push(svgLine(x(to), y - 3, x(to), y + 3, { stroke: color, 'stroke-width': 1.5 }));
      else parts.push(arrow(x(high) + 5, y, 1, color));
      parts.push('</g>');
    };
    if (row.wald) draw(row.wald, -3, { 'stroke-width': 2 }, '#222222', `${level} CI`);
    if (row.bootstrap)
      draw(
        row.bootstrap,
        4,
        { 'stroke-width': 3, 'stroke-dasharray': '4 2' },
        '#D55E00',
        `bootstrap ${level} CI`,
      );
    const pointX = x(row.kappa);
    const pointTitle = `<title>${h(`${row.label}: κ = ${fixed(row.kappa)}`)}</title>`;
    parts.push(
      row.overall
        ? `<path class="kappa-point overall" d="M${coordinate(pointX)} ${coordinate(center - 6)} l6 6 l-6 6 l-6 -6 z" fill="#1F4E79" stroke="#FFFFFF" stroke-width="1">${pointTitle}</path>`
        : `<circle class="kappa-point" cx="${coordinate(pointX)}" cy="${coordinate(center)}" r="4.5" fill="#222222" stroke="#FFFFFF" stroke-width="1">${pointTitle}</circle>`,
    );
    parts.push(
      svgText(width - 6, center + 4, fixed(row.kappa), {
        'font-size': 11.5,
        'text-anchor': 'end',
        'font-weight': row.overall ? 700 : 400,
      }),
    );
  }
  const described = rows
    .map(
      (row) =>
        `${row.label}: ${row.kappa === null ? `undefined (${row.reason ?? 'no reason given'})` : `κ ${fixed(row.kappa)}${row.wald ? `, CI ${interval(...row.wald)}` : ''}${row.bootstrap ? `, bootstrap CI ${interval(...row.bootstrap)}` : ''}`}`,
    )
    .join('; ');
  return svgChart({
    id: 'chart-reliability',
    width,
    height: bottom + 38,
    title: multi ? "Fleiss' κ per code" : "Cohen's κ per code with confidence intervals",
    description: `κ per code as a point${hasWald || hasBootstrap ? ` with its ${level} confidence interval as a horizontal line` : ''}, on an axis from ${fixed(low, 1)} to 1 with the Landis and Koch bands. ${described}.`,
    body: parts.join('\n'),
  });
}

const figureNames: Record<string, string> = {
  n: 'n',
  observed_agreement: 'p_o',
  expected_agreement: 'p_e',
  kappa: 'κ',
  se: 'SE',
  ci_low: 'CI',
  ci_high: 'CI',
  bootstrap_ci_low: 'bootstrap CI',
  bootstrap_ci_high: 'bootstrap CI',
  bootstrap: 'bootstrap',
  scott_pi: 'π',
  krippendorff_alpha: 'α',
  gwet_ac1: 'AC1',
  brennan_prediger: 'Brennan–Prediger',
  pabak: 'PABAK',
  prevalence_index: 'PI',
  bias_index: 'BI',
  fleiss_kappa: "Fleiss' κ",
};

/** The reasons of a figure set, grouped: "κ, π: expected agreement is 1 …; bootstrap: 2 of 1000 …". */
function reasonText(reasons: Record<string, string>): string {
  const byReason = new Map<string, string[]>();
  for (const key of Object.keys(reasons).sort(compareText)) {
    const reason = reasons[key]!;
    const name = figureNames[key] ?? key;
    const names = byReason.get(reason) ?? [];
    if (!names.includes(name)) names.push(name);
    byReason.set(reason, names);
  }
  const order = Object.values(figureNames);
  return [...byReason]
    .map(
      ([reason, names]) =>
        `${names.sort((left, right) => order.indexOf(left) - order.indexOf(right)).join(', ')}: ${reason}`,
    )
    .join('; ');
}

function figureRow(label: string, figures: FigureSet, rowClass: string, columns: number): string {
  const notes = reasonText(figures.reasons);
  const cells = [
    num(count(figures.n)),
    num(fixed(figures.observed_agreement)),
    `<td class="num kappa">${h(figures.kappa === null ? 'undefined' : fixed(figures.kappa))}</td>`,
    `<td class="num ci">${h(interval(figures.ci_low, figures.ci_high))}</td>`,
    `<td class="num ci">${h(interval(figures.bootstrap_ci_low, figures.bootstrap_ci_high))}</td>`,
    num(fixed(figures.scott_pi)),
    num(fixed(figures.krippendorff_alpha)),
    num(fixed(figures.gwet_ac1)),
    num(fixed(figures.pabak)),
    num(fixed(figures.prevalence_index)),
    num(fixed(figures.bias_index)),
  ].join('');
  const classes = [rowClass, notes ? 'has-note' : ''].filter((name) => name !== '').join(' ');
  const main = `<tr${classes ? ` class="${classes}"` : ''}><th scope="row">${label}</th>${cells}</tr>`;
  return notes ? `${main}\n<tr class="note"><td colspan="${columns}">${h(notes)}</td></tr>` : main;
}

const figureHead =
  '<tr><th scope="col">Code</th><th scope="col" class="num">n</th><th scope="col" class="num">p<sub>o</sub></th><th scope="col" class="num">κ</th>' +
  '<th scope="col" class="num">CI</th><th scope="col" class="num">Bootstrap CI</th><th scope="col" class="num">π</th><th scope="col" class="num">α</th>' +
  '<th scope="col" class="num">AC1</th><th scope="col" class="num">PABAK</th><th scope="col" class="num">PI</th><th scope="col" class="num">BI</th></tr>';

const figureLegend =
  '<dl class="legend">' +
  '<div><dt>n</dt><dd>units both coders reviewed</dd></div><div><dt>p<sub>o</sub></dt><dd>observed agreement</dd></div>' +
  "<div><dt>κ</dt><dd>Cohen's kappa (Cohen 1960)</dd></div><div><dt>CI</dt><dd>confidence interval from the asymptotic standard error (Fleiss, Cohen &amp; Everitt 1969); it can pass 1</dd></div>" +
  '<div><dt>Bootstrap CI</dt><dd>percentile interval over resamples of the units</dd></div>' +
  "<div><dt>π</dt><dd>Scott's pi</dd></div><div><dt>α</dt><dd>Krippendorff's alpha (nominal)</dd></div><div><dt>AC1</dt><dd>Gwet's AC1</dd></div>" +
  '<div><dt>PABAK</dt><dd>prevalence- and bias-adjusted kappa, 2p<sub>o</sub> − 1</dd></div><div><dt>PI, BI</dt><dd>prevalence and bias indices (Byrt, Bishop &amp; Carlin 1993)</dd></div>' +
  '</dl>';

function twoCoderTables(report: ReliabilityReport, colors: Palette): string {
  const columns = 12;
  const rows: string[] = [];
  if (report.overall) {
    const name =
      report.overall.definition === 'pooled' ? 'Overall (pooled κ)' : "Overall (Cohen's κ, nominal)";
    rows.push(figureRow(h(name), report.overall, 'overall', columns));
  }
  for (const code of report.codes) rows.push(figureRow(codeChip(code.code, colors), code, '', columns));
  let text = tableWrap(
    `<table class="reliability" id="reliability-table">\n<thead>${figureHead}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`,
  );
  if (report.categories.length > 0) {
    const categoryRows = report.categories.map((category) =>
      figureRow(
        `${h(category.label)} <span class="muted">(${h(category.values.join(', '))})</span>`,
        category,
        '',
        columns,
      ),
    );
    text += `\n<h3>Exclusive categories</h3>\n<p>Each exclusive category as one nominal variable: its codes plus "none".</p>\n${tableWrap(
      `<table class="reliability categories">\n<thead>${figureHead.replace('>Code<', '>Category<')}</thead>\n<tbody>\n${categoryRows.join('\n')}\n</tbody>\n</table>`,
    )}`;
  }
  return `${text}\n${figureLegend}`;
}

function multiCoderTable(multi: MultiReliability, colors: Palette): string {
  const head =
    '<tr><th scope="col">Code</th><th scope="col" class="num">n</th><th scope="col" class="num">Fleiss\' κ</th><th scope="col" class="num">Units coded by all</th>' +
    '<th scope="col" class="num">α</th><th scope="col" class="num">AC1</th></tr>';
  const row = (
    label: string,
    figures: MultiReliability | MultiReliability['codes'][number],
    rowClass: string,
  ): string => {
    const notes = reasonText(figures.reasons);
    const main =
      `<tr class="${[rowClass, notes ? 'has-note' : ''].filter((name) => name).join(' ')}"><th scope="row">${label}</th>` +
      num(count(figures.n)) +
      `<td class="num kappa">${h(figures.fleiss_kappa === null ? 'undefined' : fixed(figures.fleiss_kappa))}</td>` +
      num(count(figures.fleiss_n)) +
      num(fixed(figures.krippendorff_alpha)) +
      num(fixed(figures.gwet_ac1)) +
      '</tr>';
    return notes ? `${main}\n<tr class="note"><td colspan="6">${h(notes)}</td></tr>` : main;
  };
  const rows = [row(h(`Overall (${multi.definition})`), multi, 'overall')];
  for (const code of multi.codes) rows.push(row(codeChip(code.code, colors), code, ''));
  return tableWrap(
    `<table class="reliability multi" id="reliability-table">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`,
  );
}

function reliabilitySection(data: ReportData, colors: Palette): string {
  const report = data.reliability;
  if (!report) {
    return section(
      'reliability',
      'Reliability per code',
      `<p class="note-box">No reliability section: ${h(data.reliability_note ?? 'fewer than two coders share units')}.</p>`,
    );
  }
  const multi = report.multi;
  const rows: IntervalRow[] = [];
  if (multi) {
    rows.push({
      label: 'Overall',
      id: '',
      overall: true,
      kappa: multi.fleiss_kappa,
      reason: multi.reasons['fleiss_kappa'],
      wald: undefined,
      bootstrap: undefined,
    });
    for (const code of multi.codes) {
      rows.push({
        label: code.label,
        id: code.code,
        overall: false,
        kappa: code.fleiss_kappa,
        reason: code.reasons['fleiss_kappa'],
        wald: undefined,
        bootstrap: undefined,
      });
    }
  } else {
    if (report.overall) {
      const overall = report.overall;
      rows.push({
        label: overall.definition === 'pooled' ? 'Overall (pooled)' : 'Overall (nominal)',
        id: '',
        overall: true,
        kappa: overall.kappa,
        reason: overall.reasons['kappa'],
        wald: pair(overall.ci_low, overall.ci_high),
        bootstrap: pair(overall.bootstrap_ci_low, overall.bootstrap_ci_high),
      });
    }
    for (const code of report.codes as CodeReliability[]) {
      rows.push({
        label: code.label,
        id: code.code,
        overall: false,
        kappa: code.kappa,
        reason: code.reasons['kappa'],
        wald: pair(code.ci_low, code.ci_high),
        bootstrap: pair(code.bootstrap_ci_low, code.bootstrap_ci_high),
      });
    }
  }
  const bootstrap = report.bootstrap
    ? ` The bootstrap interval (dashed) is the percentile interval of ${count(report.bootstrap.resamples)} resamples of the units (seed ${report.bootstrap.seed}).`
    : '';
  const caption =
    `${multi ? "Fleiss' κ" : "Cohen's κ"} of each code's presence or absence, over the ${plural(report.n_units, 'unit')} ${multi ? 'coded by two or more coders' : `both ${report.coders.map(h).join(' and ')} reviewed`}.` +
    `${multi ? '' : ' The solid line is the interval from the asymptotic standard error, cut at 1 with an arrow where it passes 1.'}${bootstrap}` +
    ' The shaded bands and their names follow Landis and Koch (1977): a convention for reading κ, not a test. Undefined κ is written out with its reason.';
  const intro = `<p>Coders: ${report.coders.map(h).join(', ')}. ${plural(report.units_not_shared, 'unit')} reviewed by only ${multi ? 'some of the coders' : 'one coder'} are not part of these figures.</p>`;
  const tables = multi ? multiCoderTable(multi, colors) : twoCoderTables(report, colors);
  return section(
    'reliability',
    'Reliability per code',
    `${intro}\n${figure(reliabilityChart(rows, report, multi !== undefined), caption)}\n${tables}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Co-occurrence

function cooccurrenceSection(data: ReportData, colors: Palette): string {
  const codes = colors.codes;
  if (codes.length === 0)
    return section('cooccurrence', 'Co-occurrence of codes', '<p>The codebook has no codes.</p>');
  const cells = new Map(data.cooccurrence.map((row) => [`${row.code_a}\u0000${row.code_b}`, row]));
  const labelWidth = 180;
  const cell = Math.max(14, Math.min(44, (720 - labelWidth) / codes.length));
  const matrixSize = cell * codes.length;
  const labelFont = cell >= 24 ? 11 : 9;
  const topLabelHeight = Math.min(
    150,
    Math.max(...codes.map((code) => Math.min(labelWidth, code.label.length * labelFont * 0.56))) * 0.72 + 16,
  );
  const left = labelWidth;
  const top = topLabelHeight;
  const showCounts = cell >= 22;
  const tooltips = codes.length <= 40;
  const parts: string[] = [];
  for (const [index, code] of codes.entries()) {
    const centerX = left + index * cell + cell / 2;
    parts.push(
      `<text x="${coordinate(centerX)}" y="${coordinate(top - 6)}" font-size="${labelFont}" transform="rotate(-45 ${coordinate(centerX)} ${coordinate(top - 6)})">${h(fitText(code.label, labelWidth - 10, labelFont))}</text>`,
    );
    parts.push(
      svgText(
        left - 8,
        top + index * cell + cell / 2 + 4,
        fitText(code.label, labelWidth - 14, labelFont),
        { 'font-size': labelFont, 'text-anchor': 'end' },
        `${code.label} (${code.id})`,
      ),
    );
  }
  for (const [row, first] of codes.entries()) {
    for (const [column, second] of codes.entries()) {
      const entry = cells.get(`${first.id}\u0000${second.id}`);
      const units = entry?.units ?? 0;
      const jaccard = entry?.jaccard ?? 0;
      const diagonal = row === column;
      const fill = diagonal ? '#E6E6E6' : units === 0 ? '#FFFFFF' : sequentialBlue(jaccard);
      const x = left + column * cell;
      const y = top + row * cell;
      const tooltip = tooltips
        ? diagonal
          ? `${first.label}: ${count(units)} units carry the code`
          : `${first.label} and ${second.label}: ${count(units)} units carry both; Jaccard ${fixed(jaccard)}`
        : undefined;
      parts.push(
        svgRect(
          x,
          y,
          cell,
          cell,
          {
            class: diagonal ? 'cell diagonal' : 'cell',
            fill,
            stroke: diagonal ? '#888888' : '#D9D9D9',
            'stroke-width': diagonal ? 1.2 : 0.6,
          },
          tooltip,
        ),
      );
      if (showCounts && (units > 0 || diagonal)) {
        parts.push(
          svgText(x + cell / 2, y + cell / 2 + 4, count(units), {
            'font-size': cell >= 34 ? 11 : 9,
            'text-anchor': 'middle',
            fill: diagonal ? '#000000' : textColorOn(fill),
            'font-weight': diagonal ? 700 : 400,
          }),
        );
      }
    }
  }
  // Legend: the Jaccard scale and the diagonal.
  const legendTop = top + matrixSize + 18;
  const legendWidth = 200;
  const stops = Array.from(
    { length: 11 },
    (_, step) => `<stop offset="${step * 10}%" stop-color="${sequentialBlue(step / 10)}"/>`,
  ).join('');
  parts.push(
    `<defs><linearGradient id="jaccard-scale" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`,
  );
  parts.push(svgText(left, legendTop - 4, 'Jaccard index (colour)', { 'font-size': 10, fill: '#444444' }));
  parts.push(
    svgRect(left, legendTop, legendWidth, 10, {
      fill: 'url(#jaccard-scale)',
      stroke: '#999999',
      'stroke-width': 0.6,
    }),
  );
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      svgLine(left + tick * legendWidth, legendTop + 10, left + tick * legendWidth, legendTop + 13, {
        stroke: '#666666',
      }),
    );
    parts.push(
      svgText(left + tick * legendWidth, legendTop + 23, fixed(tick, 2), {
        'font-size': 9,
        'text-anchor': 'middle',
        fill: '#444444',
      }),
    );
  }
  const diagonalX = left + legendWidth + 30;
  parts.push(
    svgRect(diagonalX, legendTop, 12, 12, { fill: '#E6E6E6', stroke: '#888888', 'stroke-width': 1.2 }),
  );
  parts.push(
    svgText(diagonalX + 18, legendTop + 10, 'diagonal: units carrying the code', {
      'font-size': 10,
      fill: '#444444',
    }),
  );
  // Column labels lean right, past the last column by about their height.
  const width = Math.max(left + matrixSize + topLabelHeight, diagonalX + 200);
  const svg = svgChart({
    id: 'chart-cooccurrence',
    width,
    height: legendTop + 30,
    title: 'Co-occurrence of codes',
    description: `Heat map of ${codes.length} codes by ${codes.length} codes: each cell gives the units carrying both codes, coloured by the Jaccard index (units with both divided by units with either); the diagonal, in grey, gives the units carrying the code.`,
    body: parts.join('\n'),
  });
  const pairs = data.cooccurrence
    .filter((row) => {
      const first = codes.findIndex((code) => code.id === row.code_a);
      const second = codes.findIndex((code) => code.id === row.code_b);
      return first < second && row.units > 0;
    })
    .sort(
      (a, b) =>
        b.jaccard - a.jaccard ||
        b.units - a.units ||
        compareText(a.code_a, b.code_a) ||
        compareText(a.code_b, b.code_b),
    )
    .slice(0, strongestPairs);
  const pairTable =
    pairs.length === 0
      ? '<p>No two codes share a unit.</p>'
      : `<h3>Pairs that co-occur most (by Jaccard index)</h3>\n${tableWrap(
          `<table class="pairs">\n<thead><tr><th scope="col">Code</th><th scope="col">Code</th><th scope="col" class="num">Units with both</th><th scope="col" class="num">Jaccard</th></tr></thead>\n<tbody>\n${pairs
            .map(
              (row) =>
                `<tr><td>${codeChip(row.code_a, colors)}</td><td>${codeChip(row.code_b, colors)}</td>${num(count(row.units))}${num(fixed(row.jaccard))}</tr>`,
            )
            .join('\n')}\n</tbody>\n</table>`,
        )}`;
  const caption =
    'Units carrying both codes; the colour is the Jaccard index, units with both over units with either, on a fixed scale from 0 to 1. The grey diagonal counts the units carrying each code.';
  return section('cooccurrence', 'Co-occurrence of codes', `${figure(svg, h(caption))}\n${pairTable}`);
}

// ---------------------------------------------------------------------------------------------
// Triangulation, rhetoric, exemplars, disagreements

const statusLabels: Record<TriangulationStatus, string> = {
  converge: 'converge',
  'primary-only': 'primary only',
  'secondary-only': 'secondary only',
  absent: 'absent',
};

function triangulationSection(data: ReportData, colors: Palette): string {
  const rows: TriangulationRow[] = data.triangulation;
  if (rows.length === 0)
    return section('triangulation', 'Triangulation', '<p>The codebook has no codes.</p>');
  const head =
    '<tr><th scope="col" rowspan="2">Code</th><th scope="colgroup" colspan="2" class="group">Primary sources</th><th scope="colgroup" colspan="2" class="group">Secondary sources</th>' +
    '<th scope="col" rowspan="2" class="num">Role not recorded: units</th><th scope="col" rowspan="2">Status</th></tr>\n' +
    '<tr><th scope="col" class="num">Units</th><th scope="col" class="num">Documents</th><th scope="col" class="num">Units</th><th scope="col" class="num">Documents</th></tr>';
  const body = rows
    .map(
      (row) =>
        `<tr><th scope="row">${codeChip(row.code, colors)}</th>${num(count(row.primary_units))}${num(count(row.primary_documents))}` +
        `${num(count(row.secondary_units))}${num(count(row.secondary_documents))}${num(count(row.unknown_role_units))}` +
        `<td><span class="status status-${h(row.status)}">${h(statusLabels[row.status] ?? row.status)}</span></td></tr>`,
    )
    .join('\n');
  const intro =
    "<p>Does a theme appear in both kinds of source? <em>Primary</em> sources are the actors' own statements, <em>secondary</em> ones report on them (the role recorded for each document). " +
    'Status: <span class="status status-converge">converge</span> both carry the code; <span class="status status-primary-only">primary only</span>; <span class="status status-secondary-only">secondary only</span>; <span class="status status-absent">absent</span> no unit carries it.</p>';
  return section(
    'triangulation',
    'Triangulation',
    `${intro}\n${tableWrap(`<table class="triangulation">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`)}`,
  );
}

function rhetoricSection(data: ReportData, colors: Palette): string {
  const rhetoric = data.rhetoric;
  if (!rhetoric)
    return section(
      'rhetoric',
      'Rhetoric by actor',
      '<p>The codebook has no rhetoric category, so there is no rhetoric table.</p>',
    );
  const label = colors.categoryLabel(rhetoric.category);
  if (rhetoric.rows.length === 0) {
    return section(
      'rhetoric',
      'Rhetoric by actor',
      `<p>No unit carries a code of the category ${h(label)}.</p>`,
    );
  }
  const actors: string[] = [];
  for (const row of rhetoric.rows) if (!actors.includes(row.actor)) actors.push(row.actor);
  const bodies = actors.map((actor) => {
    const rows = rhetoric.rows.filter((row) => row.actor === actor);
    return `<tbody>\n${rows
      .map(
        (row, index) =>
          `<tr>${index === 0 ? `<th scope="rowgroup" rowspan="${rows.length}">${h(actor)}</th>` : ''}<td>${codeChip(row.code, colors)}</td>${num(count(row.units))}` +
          `<td>${row.audience === '' ? '<span class="muted">not recorded</span>' : h(row.audience)}</td>` +
          `<td><q>${h(row.exemplar)}</q> <span class="unit-id">${h(row.exemplar_unit)}</span></td></tr>`,
      )
      .join('\n')}\n</tbody>`;
  });
  const head =
    '<thead><tr><th scope="col">Actor</th><th scope="col">Code</th><th scope="col" class="num">Units</th><th scope="col">Audience</th><th scope="col">Exemplar</th></tr></thead>';
  return section(
    'rhetoric',
    'Rhetoric by actor',
    `<p>Per actor and code of the category <strong>${h(label)}</strong>: the units, the audience recorded in the documents' metadata, and one exemplar (the shape of the paper's section 4.3). Only pairs that occur are listed.</p>\n${tableWrap(`<table class="rhetoric">\n${head}\n${bodies.join('\n')}\n</table>`)}`,
  );
}

function exemplarSection(data: ReportData, colors: Palette): string {
  const parts = colors.codes.map((code) => {
    const rows = data.exemplars.filter((row) => row.code === code.id).sort((a, b) => a.rank - b.rank);
    const heading = `<h3 id="exemplars-${h(code.id)}"><span class="swatch" style="background:${colors.color(code.id)}"></span>${h(code.label)} <code class="id">${h(code.id)}</code></h3>`;
    const definition = code.definition ? `<p class="code-definition">${h(code.definition)}</p>` : '';
    const quotes =
      rows.length === 0
        ? '<p class="muted">No unit carries this code.</p>'
        : rows
            .map((row) => {
              const source = [row.unit_id, row.actor, row.date, row.basis]
                .filter((part) => part !== '')
                .map(h)
                .join(' · ');
              return `<figure class="exemplar"><blockquote>${h(row.text)}</blockquote><figcaption>${source}</figcaption></figure>`;
            })
            .join('\n');
    return `<div class="exemplar-group">\n${heading}\n${definition}\n${quotes}\n</div>`;
  });
  return section(
    'exemplars',
    'Exemplars per code',
    `<p>Units chosen for each code: those the coders agreed on first, then adjudicated ones, one per document before a second from the same document, in corpus order. Under each quotation: unit, actor, date, and where its codes come from.</p>\n${parts.join('\n')}`,
  );
}

function disagreementSection(data: ReportData, colors: Palette): string {
  const report = data.reliability;
  if (!report)
    return section(
      'disagreements',
      'Disagreements',
      `<p>No disagreements to show: ${h(data.reliability_note ?? 'fewer than two coders share units')}.</p>`,
    );
  const [coderA, coderB] = [report.coders[0] ?? 'coder A', report.coders[1] ?? 'coder B'];
  const { disagreements, decided, pending } = data.adjudication;
  const summary = `<p>${plural(disagreements, 'unit')} where ${h(coderA)} and ${h(coderB)} gave different codes: ${count(decided)} decided, ${count(pending)} pending. For the adjudication meeting; decisions are recorded with <code>coding adjudicate</code>.</p>`;
  if (data.disagreements.length === 0)
    return section(
      'disagreements',
      'Disagreements',
      `${summary}\n<p>The coders agree on every unit they share.</p>`,
    );
  const decision = (row: ReportDisagreement): string =>
    row.decision
      ? `<span class="status status-decided">decided</span> ${codeList(row.decision.codes, colors)}<div class="rationale">${h(row.decision.rationale)} <span class="muted">(${h(row.decision.decided_by)})</span></div>`
      : '<span class="status status-pending">pending</span>';
  const head = `<thead><tr><th scope="col">Unit</th><th scope="col">Text</th><th scope="col">Only ${h(coderA)}</th><th scope="col">Only ${h(coderB)}</th><th scope="col">Decision</th></tr></thead>`;
  const body = data.disagreements
    .map(
      (row) =>
        `<tr><th scope="row" class="unit-id">${h(row.unit_id)}</th><td class="unit-text">${h(row.text)}</td><td>${codeList(row.only_a, colors, 'none')}</td><td>${codeList(row.only_b, colors, 'none')}</td><td>${decision(row)}</td></tr>`,
    )
    .join('\n');
  return section(
    'disagreements',
    'Disagreements',
    `${summary}\n${tableWrap(`<table class="disagreements">\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`)}` +
      (data.disagreements.length < disagreements
        ? `\n<p class="muted">The first ${count(data.disagreements.length)} are shown; disagreements.csv has all ${count(disagreements)}.</p>`
        : ''),
  );
}

function footer(data: ReportData): string {
  const inputs =
    data.inputs.length === 0
      ? '<p>No input files recorded.</p>'
      : tableWrap(
          `<table class="inputs">\n<thead><tr><th scope="col">Input file</th><th scope="col">SHA-256</th></tr></thead>\n<tbody>\n${data.inputs
            .map(
              (input) =>
                `<tr><th scope="row"><code>${h(input.file)}</code></th><td><code class="hash">${h(input.sha256)}</code></td></tr>`,
            )
            .join('\n')}\n</tbody>\n</table>`,
        );
  return (
    `<footer id="inputs" aria-labelledby="inputs-heading">\n<h2 id="inputs-heading">Inputs and reproduction</h2>\n` +
    `<p>Made by <strong>${h(data.tool)}</strong> from the files below. To make it again, run <code>coding report</code> in the study's folder: the same inputs give the same bytes (the report holds no date, only the tool version and these hashes).</p>\n${inputs}\n</footer>`
  );
}

// ---------------------------------------------------------------------------------------------
// The page

const styles = `
:root{--ink:#1a1a1a;--muted:#595959;--rule:#d4d4d4;--accent:#1f4e79}
*{box-sizing:border-box}
html{font-size:15px;-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.masthead,main,footer{max-width:1060px;margin:0 auto;padding:0 28px}
footer{margin-top:2.5rem;padding-bottom:2.5rem}
h1{font-size:1.85rem;line-height:1.2;margin:.3rem 0 .9rem}
h2{font-size:1.4rem;line-height:1.25;margin:2.6rem 0 .9rem;padding-bottom:.25rem;border-bottom:2px solid var(--ink)}
h3{font-size:1.08rem;margin:1.6rem 0 .5rem}
p{margin:.5rem 0}
a{color:var(--accent)}
.kicker{margin:1.6rem 0 0;font-size:.78rem;letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}
.callout{margin:1rem 0;padding:.8rem 1.1rem;border-left:5px solid #b8860b;background:#fcf6e3;font-size:1.05rem}
.callout strong{display:block;font-size:.78rem;letter-spacing:.06em;text-transform:uppercase;color:#7a5a00}
nav.toc ol{display:flex;flex-wrap:wrap;gap:.25rem 1.2rem;margin:.6rem 0 0;padding:0;list-style:none;font-size:.92rem}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:.9rem 1.8rem;margin:1rem 0}
.facts div{border-top:1px solid var(--rule);padding-top:.35rem}
.facts dt{font-size:.75rem;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.facts dd{margin:0}
.headline{margin:1.4rem 0;padding:.9rem 1.2rem;border:1px solid var(--rule);border-left:5px solid var(--accent)}
.headline h3{margin:0 0 .2rem;font-size:.8rem;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.headline .big{margin:.2rem 0;font-size:1.9rem;font-weight:700;font-variant-numeric:tabular-nums}
.definition{color:var(--muted);font-size:.92rem}
figure{margin:0}
figure.chart{margin:1.1rem 0 1.4rem}
figure.chart svg{display:block;width:100%;max-width:100%;height:auto}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;fill:#1a1a1a}
figcaption{margin-top:.45rem;font-size:.86rem;color:var(--muted)}
.table-wrap{overflow-x:auto;margin:.8rem 0 1.2rem}
table{width:100%;border-collapse:collapse;font-size:.86rem;font-variant-numeric:tabular-nums}
th,td{padding:.32rem .5rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink);font-weight:600;vertical-align:bottom}
tbody th{font-weight:500}
.num{text-align:right;white-space:nowrap}
thead th.num{white-space:normal}
thead th.group{text-align:center;border-bottom:1px solid var(--rule)}
th.rotate{padding:.3rem .2rem;text-align:left;vertical-align:bottom}
th.rotate span{display:inline-block;max-height:11rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;writing-mode:vertical-rl;transform:rotate(180deg);font-size:.8rem}
table.groups td.num{padding-left:.2rem;padding-right:.45rem}
table.groups tbody th{min-width:9rem}
table.disagreements .unit-id{min-width:7rem;max-width:12rem;white-space:normal;overflow-wrap:anywhere}
td.unit-text{min-width:15rem}
#chart-cooccurrence{max-width:860px}
tr.total th,tr.total td{font-weight:700;border-bottom:2px solid var(--rule)}
tr.overall th,tr.overall td{background:#eef3f8;font-weight:700}
tr.has-note th,tr.has-note td{border-bottom:none}
tr.note td{padding-top:0;font-size:.78rem;color:var(--muted)}
td.kappa{font-weight:700}
table.rhetoric tbody{border-bottom:2px solid var(--rule)}
table.rhetoric tbody th{font-weight:600}
.legend{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:.15rem 1.5rem;font-size:.8rem;color:var(--muted)}
.legend div{display:flex;gap:.5rem}
.legend dt{min-width:5.5rem;font-weight:600;color:var(--ink)}
.legend dd{margin:0}
code,.unit-id,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.82em}
code.id{color:var(--muted)}
.unit-id{color:var(--muted);white-space:nowrap}
.hash{word-break:break-all}
.muted{color:var(--muted)}
.chip{display:inline-flex;align-items:center;gap:.3em;white-space:nowrap}
.swatch{display:inline-block;width:.75em;height:.75em;margin-right:.3em;border-radius:2px;vertical-align:baseline;print-color-adjust:exact;-webkit-print-color-adjust:exact}
.chip .swatch{margin-right:0}
.status{display:inline-block;padding:0 .5em;border:1px solid currentColor;border-radius:.8em;font-size:.78rem;white-space:nowrap}
.status-converge{color:#1b5e20;background:#e8f5e9}
.status-primary-only{color:#0d47a1;background:#e3f0fc}
.status-secondary-only{color:#6a1b9a;background:#f3e5f5}
.status-absent{color:#555;background:#f2f2f2}
.status-decided{color:#1b5e20;background:#e8f5e9}
.status-pending{color:#8a4b00;background:#fff3e0}
.rationale{margin-top:.25rem;font-size:.82rem}
.exemplar-group{margin-bottom:1.2rem}
.code-definition{color:var(--muted);font-size:.88rem}
blockquote{margin:.5rem 0 .1rem;padding:.1rem 0 .1rem .9rem;border-left:3px solid var(--rule)}
.exemplar figcaption{margin:0 0 .7rem .9rem;font-size:.8rem}
q{quotes:"\\201C" "\\201D"}
.note-box{padding:.7rem 1rem;border:1px dashed var(--rule)}
@media (max-width:700px){html{font-size:14px}.masthead,main,footer{padding:0 14px}}
@media print{
@page{size:A4;margin:14mm 12mm}
html{font-size:9pt}
body{background:#fff;color:#000}
th,td{padding:.2rem .3rem}
td.ci{white-space:normal}
td.unit-text{min-width:10rem}
.masthead,main,footer{max-width:none;padding:0}
nav.toc{display:none}
main>section+section{break-before:page}
h2,h3{break-after:avoid}
figure.chart,.headline,.exemplar,tr{break-inside:avoid}
figure.chart svg{max-height:235mm}
svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}
.table-wrap{overflow:visible}
.callout{background:none;border:1px solid #b8860b;border-left-width:5px}
tr.overall th,tr.overall td{background:none}
.status{background:none}
a{color:inherit;text-decoration:none}
footer{margin-top:1.5rem}
footer>p{break-after:avoid}
}
`;

const sections: Array<[string, string]> = [
  ['summary', 'Study'],
  ['frequencies', 'Frequencies'],
  ['actors', 'By actor'],
  ['groups', 'Other groupings'],
  ['reliability', 'Reliability'],
  ['cooccurrence', 'Co-occurrence'],
  ['triangulation', 'Triangulation'],
  ['rhetoric', 'Rhetoric'],
  ['exemplars', 'Exemplars'],
  ['disagreements', 'Disagreements'],
  ['inputs', 'Inputs'],
];

/** The whole report as one HTML5 page. */
export function renderReportHtml(data: ReportData): string {
  const colors = makePalette(data);
  const description = data.description?.trim()
    ? `<div class="callout" role="note"><strong>About this study</strong>${h(data.description.trim())}</div>`
    : '';
  const nav = `<nav class="toc" aria-label="Sections"><ol>${sections.map(([id, title]) => `<li><a href="#${id}">${h(title)}</a></li>`).join('')}</ol></nav>`;
  const body = [
    summarySection(data),
    frequencySection(data, colors),
    actorSection(data, colors),
    groupsSection(data, colors),
    reliabilitySection(data, colors),
    cooccurrenceSection(data, colors),
    triangulationSection(data, colors),
    rhetoricSection(data, colors),
    exemplarSection(data, colors),
    disagreementSection(data, colors),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="${h(data.tool)}">
<title>${h(data.title)}: report</title>
<style>${styles}</style>
</head>
<body>
<header class="masthead">
<p class="kicker">Content analysis report</p>
<h1>${h(data.title)}</h1>
${description}
${nav}
</header>
<main>
${body}
</main>
${footer(data)}
</body>
</html>
`;
}
