/** The theme frequencies section: units per code and category, as bars and a table. */

import type { FrequencyRow } from '../../core/themes.js';
import type { ReportData } from '../data.js';
import { count, fitText, lighten, niceTicks, percent, svgChart, svgLine, svgRect, svgText } from '../svg.js';
import { codeChip, figure, h, num, type Palette, section, tableWrap } from './shared.js';

/** The chart's width, and the room for the labels on the left and the counts after the bars. */
const chartWidth = 760;
const labelWidth = 210;
const valueWidth = 110;
/** The top of the first row, under the axis' ticks. */
const chartTop = 26;
const codeRowHeight = 22;
const categoryRowHeight = 28;

/** The categories in the order of their rows (the codebook's). */
function categoriesOf(rows: FrequencyRow[]): string[] {
  const categories: string[] = [];
  for (const row of rows) if (!categories.includes(row.category)) categories.push(row.category);
  return categories;
}

/** The horizontal scale of the bars: the ticks of the axis, and units to x. */
interface BarScale {
  ticks: number[];
  x: (value: number) => number;
}

/** A scale from 0 to the last nice tick over the largest count, between the labels and the counts. */
function barScale(rows: FrequencyRow[]): BarScale {
  const plotLeft = labelWidth + 8;
  const plotWidth = chartWidth - plotLeft - valueWidth;
  const max = Math.max(1, ...rows.map((row) => row.units));
  const ticks = niceTicks(max);
  const scaleMax = ticks[ticks.length - 1]!;
  return { ticks, x: (value: number): number => plotLeft + (value / scaleMax) * plotWidth };
}

/** One row of the chart: its label (drawn under the grid) and its bar with the count (over it). */
interface ChartRow {
  label: string[];
  bar: string[];
}

/** A category's row at `y`: a grey band with its label, a light bar of units with any of its codes. */
function categoryRow(total: FrequencyRow, color: string, y: number, x: BarScale['x']): ChartRow {
  const tooltip = `${total.label} (any of its codes): ${count(total.units)} units (${percent(total.unit_share)} of the reviewed units), ${count(total.documents)} documents`;
  const label = [
    svgRect(0, y + 2, chartWidth, categoryRowHeight - 4, { fill: '#F2F2F2' }),
    svgText(
      6,
      y + categoryRowHeight / 2 + 4,
      fitText(total.label, labelWidth - 10, 12),
      { 'font-size': 12, 'font-weight': 700 },
      total.label,
    ),
  ];
  const bar = [
    svgRect(
      x(0),
      y + 6,
      x(total.units) - x(0),
      categoryRowHeight - 12,
      {
        class: 'bar category',
        'data-category': total.category,
        fill: lighten(color, 0.55),
        stroke: color,
        'stroke-width': 1,
      },
      tooltip,
    ),
    svgText(
      x(total.units) + 5,
      y + categoryRowHeight / 2 + 4,
      `${count(total.units)} · ${percent(total.unit_share)}`,
      { 'font-size': 11, 'font-weight': 700 },
    ),
  ];
  return { label, bar };
}

/** A code's row at `y`: its label, indented, and a bar in the code's colour. */
function codeRow(row: FrequencyRow, colors: Palette, y: number, x: BarScale['x']): ChartRow {
  const tooltip = `${row.label} (${row.code}): ${count(row.units)} units (${percent(row.unit_share)} of the reviewed units), ${count(row.documents)} documents (${percent(row.document_share)})`;
  const label = [
    svgText(
      18,
      y + codeRowHeight / 2 + 4,
      fitText(row.label, labelWidth - 22, 11.5),
      { 'font-size': 11.5 },
      row.label,
    ),
  ];
  const bar = [
    svgRect(
      x(0),
      y + 4,
      x(row.units) - x(0),
      codeRowHeight - 8,
      { class: 'bar code', 'data-code': row.code, fill: colors.color(row.code) },
      tooltip,
    ),
    svgText(x(row.units) + 5, y + codeRowHeight / 2 + 4, `${count(row.units)} · ${percent(row.unit_share)}`, {
      'font-size': 11,
      fill: '#333333',
    }),
  ];
  return { label, bar };
}

/** The vertical grid at each tick with its count above, and the axis' name "units". */
function frequencyGrid(scale: BarScale, bottom: number): string {
  const { ticks, x } = scale;
  const grid = ticks
    .map(
      (tick) =>
        svgLine(x(tick), chartTop - 4, x(tick), bottom, {
          stroke: tick === 0 ? '#666666' : '#DDDDDD',
          'stroke-width': 1,
        }) +
        svgText(x(tick), chartTop - 10, count(tick), {
          'font-size': 10,
          'text-anchor': 'middle',
          fill: '#555555',
        }),
    )
    .join('');
  const axisLabel = svgText(x(0) - 6, chartTop - 10, 'units', {
    'font-size': 10,
    'text-anchor': 'end',
    fill: '#555555',
  });
  return `${grid}${axisLabel}`;
}

/** The bar chart: each category's row (when it has one) followed by its codes' rows. */
function frequencyChart(data: ReportData, categories: string[], colors: Palette): string {
  const rows = data.frequencies;
  const scale = barScale(rows);
  const labels: string[] = [];
  const bars: string[] = [];
  let y = chartTop;
  for (const category of categories) {
    const total = rows.find((row) => row.category === category && row.code === '');
    const drawn: ChartRow[] = [];
    if (total) {
      drawn.push(categoryRow(total, colors.categoryColor(category), y, scale.x));
      y += categoryRowHeight;
    }
    for (const row of rows.filter((entry) => entry.category === category && entry.code !== '')) {
      drawn.push(codeRow(row, colors, y, scale.x));
      y += codeRowHeight;
    }
    for (const row of drawn) {
      labels.push(...row.label);
      bars.push(...row.bar);
    }
  }
  const bottom = y + 4;
  return svgChart({
    id: 'chart-frequencies',
    width: chartWidth,
    height: bottom + 6,
    title: 'Theme frequencies by category and code',
    description: `Horizontal bars: units carrying each code, and each category (any of its codes), out of ${count(data.study.coded_units)} reviewed units. ${rows
      .filter((row) => row.code !== '')
      .map((row) => `${row.label}: ${row.units}`)
      .join('; ')}.`,
    body: `${labels.join('\n')}\n${frequencyGrid(scale, bottom)}\n${bars.join('\n')}`,
  });
}

/** The table: a row per code, each category's codes followed by the category's total. */
function frequencyTable(rows: FrequencyRow[], categories: string[], colors: Palette): string {
  const head =
    '<tr><th scope="col">Code</th><th scope="col" class="num">Units</th><th scope="col" class="num">Share of units</th><th scope="col" class="num">Documents</th><th scope="col" class="num">Share of documents</th></tr>';
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
  return tableWrap(
    `<table class="frequencies">\n<thead>${head}</thead>\n<tbody>\n${tableRows.join('\n')}\n</tbody>\n</table>`,
  );
}

/** The section: the bar chart with its caption, then the table. */
export function frequencySection(data: ReportData, colors: Palette): string {
  const rows = data.frequencies;
  if (rows.length === 0)
    return section('frequencies', 'Theme frequencies', '<p>The codebook has no codes.</p>');
  const categories = categoriesOf(rows);
  const svg = frequencyChart(data, categories, colors);
  const caption = `Units carrying each code, out of the ${count(data.study.coded_units)} reviewed units, with the share of those units. A category's bar counts the units with any of its codes, each once; a unit may carry several codes.`;
  const table = frequencyTable(rows, categories, colors);
  return section('frequencies', 'Theme frequencies', `${figure(svg, h(caption))}\n${table}`);
}
