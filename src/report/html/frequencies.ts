/** The theme frequencies section: units per code and category, as bars and a table. */

import type { ReportData } from '../data.js';
import { count, fitText, lighten, niceTicks, percent, svgChart, svgLine, svgRect, svgText } from '../svg.js';
import { codeChip, figure, h, num, type Palette, section, tableWrap } from './shared.js';

export function frequencySection(data: ReportData, colors: Palette): string {
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
