/** Tables and charts of codes by group: by actor (small multiples) and the other groupings. */

import { allGroups, anyCode, type CrossTable, noValue } from '../../core/themes.js';
import type { ReportCode, ReportData } from '../data.js';
import { compareText, count, fitText, svgChart, svgLine, svgRect, svgText, wrapText } from '../svg.js';
import {
  codesInMatrix,
  figure,
  h,
  leftOutNote,
  maxActorsInChart,
  maxGroupRows,
  num,
  type Palette,
  plural,
  type ShownCodes,
  section,
  tableWrap,
} from './shared.js';

interface GroupMatrix {
  groups: string[];
  units: Map<string, Map<string, number>>;
  coded: Map<string, number>;
  reviewed: Map<string, number>;
  /** The CSV lists only the cells with a unit. */
  sparse: boolean;
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
  return { groups: table.groups, units, coded, reviewed, sparse: table.sparse === true };
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
  columns: ShownCodes,
  limit?: number,
): string {
  const shown = limit === undefined ? order : order.slice(0, limit);
  const head =
    `<tr><th scope="col">${h(field[0]!.toUpperCase() + field.slice(1))}</th>` +
    columns.codes
      .map(
        (code) => `<th scope="col" class="rotate" title="${h(code.id)}"><span>${h(code.label)}</span></th>`,
      )
      .join('') +
    '<th scope="col" class="rotate"><span>Any code</span></th><th scope="col" class="rotate"><span>Reviewed units</span></th></tr>';
  const rows = shown.map((group) => {
    const cells = matrix.units.get(group);
    return (
      `<tr><th scope="row">${h(group)}</th>` +
      columns.codes.map((code) => num(count(cells?.get(code.id) ?? 0))).join('') +
      num(count(matrix.coded.get(group) ?? 0)) +
      num(count(matrix.reviewed.get(group) ?? 0)) +
      '</tr>'
    );
  });
  const more =
    shown.length < order.length
      ? `<p class="muted">${plural(order.length - shown.length, 'more row')} in <code>by-${h(field)}.csv</code>.</p>`
      : '';
  const leftOut =
    leftOutNote(columns, 'The table', `by-${field}.csv`) +
    (matrix.sparse
      ? `<p class="left-out" role="note"><code>by-${h(field)}.csv</code> lists only the cells with at least one unit (and every total): all ${count(matrix.groups.length)} groups × ${count(columns.codes.length + columns.left)} codes would be ${count(matrix.groups.length * (columns.codes.length + columns.left))} rows.</p>`
      : '');
  return `${tableWrap(`<table class="groups" data-field="${h(field)}">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`)}${more}${leftOut}`;
}

/** The width of the actors' names, and the heights of an actor's row and of a band's header. */
const actorLabelWidth = 180;
const actorRowHeight = 18;
const actorHeaderHeight = 46;

/** How the small multiples are laid out: shared by every band of panels. */
interface ActorChartLayout {
  /** The actors drawn, in order. */
  shown: string[];
  /** The codes, a band of panels side by side each. */
  bands: ReportCode[][];
  panelWidth: number;
  width: number;
  /** The most units in one cell: the one scale of every panel. */
  max: number;
  /** The longest bar's length. */
  barRoom: number;
}

/** Lays out the panels: at least 80 units wide, as many to a band as fit a chart 960 wide. */
function actorChartLayout(matrix: GroupMatrix, shown: string[], codes: ReportCode[]): ActorChartLayout {
  // Panels of at least 80 units, up to a chart 960 wide; more codes wrap into further bands.
  const minimumPanel = 80;
  const perBand = Math.max(1, Math.min(codes.length, Math.floor((960 - actorLabelWidth) / minimumPanel)));
  const bands: ReportCode[][] = [];
  for (let start = 0; start < codes.length; start += perBand) bands.push(codes.slice(start, start + perBand));
  const panelWidth = Math.max(minimumPanel, (760 - actorLabelWidth) / perBand);
  const width = actorLabelWidth + perBand * panelWidth;
  let max = 1;
  for (const actor of shown)
    for (const code of codes) max = Math.max(max, matrix.units.get(actor)?.get(code.id) ?? 0);
  return { shown, bands, panelWidth, width, max, barRoom: panelWidth - 30 };
}

/** A band's header at `y`: the code labels, wrapped, over a rule in the code's colour. */
function bandHeader(band: ReportCode[], y: number, layout: ActorChartLayout, colors: Palette): string[] {
  const { panelWidth } = layout;
  const parts: string[] = [];
  for (const [index, code] of band.entries()) {
    const left = actorLabelWidth + index * panelWidth;
    const lines = wrapText(code.label, panelWidth - 8, 10.5, 3);
    const firstLine = y + actorHeaderHeight - 8 - (lines.length - 1) * 11;
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
    parts.push(
      svgRect(left + 2, y + actorHeaderHeight - 4, panelWidth - 6, 3, { fill: colors.color(code.id) }),
    );
  }
  return parts;
}

/**
 * An actor's row of a band, the `row`th, from `rowTop`: a grey stripe on every other row, the
 * actor's name, and in each panel a bar with its count (none for no unit).
 */
function actorRow(
  matrix: GroupMatrix,
  actor: string,
  row: number,
  rowTop: number,
  band: ReportCode[],
  layout: ActorChartLayout,
  colors: Palette,
): string[] {
  const { panelWidth, width, max, barRoom } = layout;
  const parts: string[] = [];
  if (row % 2 === 0) parts.push(svgRect(0, rowTop, width, actorRowHeight, { fill: '#F5F5F5' }));
  parts.push(
    svgText(
      4,
      rowTop + actorRowHeight / 2 + 4,
      fitText(actor, actorLabelWidth - 10, 11),
      { 'font-size': 11 },
      `${actor}: ${count(matrix.coded.get(actor) ?? 0)} of ${count(matrix.reviewed.get(actor) ?? 0)} reviewed units carry a code`,
    ),
  );
  for (const [index, code] of band.entries()) {
    const left = actorLabelWidth + index * panelWidth + 2;
    const units = matrix.units.get(actor)?.get(code.id) ?? 0;
    if (units === 0) continue;
    const barWidth = Math.max(1.5, (units / max) * barRoom);
    parts.push(
      svgRect(
        left,
        rowTop + 3,
        barWidth,
        actorRowHeight - 6,
        { class: 'bar', 'data-code': code.id, fill: colors.color(code.id) },
        `${actor}, ${code.label}: ${count(units)} units`,
      ),
    );
    parts.push(
      svgText(left + barWidth + 3, rowTop + actorRowHeight / 2 + 4, count(units), {
        'font-size': 10,
        fill: '#333333',
      }),
    );
  }
  return parts;
}

/**
 * One band of panels from `y`: the header, a row per actor, and each panel's vertical axis.
 * Returns its parts and where the next band starts.
 */
function actorBand(
  matrix: GroupMatrix,
  band: ReportCode[],
  y: number,
  layout: ActorChartLayout,
  colors: Palette,
): { parts: string[]; next: number } {
  const { shown, panelWidth } = layout;
  const parts = bandHeader(band, y, layout, colors);
  const bodyTop = y + actorHeaderHeight + 2;
  for (const [row, actor] of shown.entries())
    parts.push(...actorRow(matrix, actor, row, bodyTop + row * actorRowHeight, band, layout, colors));
  const bodyBottom = bodyTop + shown.length * actorRowHeight;
  for (const index of band.keys()) {
    const left = actorLabelWidth + index * panelWidth + 2;
    parts.push(svgLine(left, bodyTop, left, bodyBottom, { stroke: '#888888', 'stroke-width': 1 }));
  }
  return { parts, next: bodyBottom + 10 };
}

/** Small multiples: one bar chart per code, the actors on a shared vertical axis and one scale. */
function actorChart(matrix: GroupMatrix, order: string[], codes: ReportCode[], colors: Palette): string {
  const shown = order.slice(0, maxActorsInChart);
  const hidden = order.length - shown.length;
  const layout = actorChartLayout(matrix, shown, codes);
  const parts: string[] = [];
  let y = 0;
  for (const band of layout.bands) {
    const drawn = actorBand(matrix, band, y, layout, colors);
    parts.push(...drawn.parts);
    y = drawn.next;
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
    width: layout.width,
    height: y + 2,
    title: 'Codes by actor',
    description: `Small multiples: for each code, a bar per actor with the units carrying the code in that actor's documents, on one scale (longest bar ${count(layout.max)} units). Actors sorted by units with any code${hidden > 0 ? `; the ${count(shown.length)} with the most are drawn, ${count(hidden)} more are in the table` : ''}.`,
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

export function actorSection(data: ReportData, colors: Palette): string {
  const table = data.groups['actor'];
  if (!table) return section('actors', 'Codes by actor', '<p>No document records an actor.</p>');
  const matrix = groupMatrix(table);
  const order = sortedByWeight(matrix);
  const columns = codesInMatrix(data, colors);
  const caption = `Units carrying each code in each actor's documents (the author or speaker the corpus records), one small chart per code on a common scale. Actors are sorted by the units that carry any code${order.length > maxActorsInChart ? `; the chart shows the first ${maxActorsInChart}, the table all ${order.length}` : ''}.${columns.left > 0 ? ` The chart and the table show the ${columns.codes.length} codes that carry the most units; ${columns.left} more are in by-actor.csv.` : ''}`;
  return section(
    'actors',
    'Codes by actor',
    `${figure(actorChart(matrix, order, columns.codes, colors), h(caption))}\n${groupTable('actor', matrix, order, columns)}`,
  );
}

export function groupsSection(data: ReportData, colors: Palette): string {
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
  const columns = codesInMatrix(data, colors);
  const parts = fields.map((field) => {
    const table = data.groups[field]!;
    const matrix = groupMatrix(table);
    const title = field === 'date' ? `By date (per ${table.period})` : (groupTitles[field] ?? `By ${field}`);
    const order = field === 'document' || field === 'date' ? matrix.groups : sortedByWeight(matrix);
    return `<h3>${h(title)}</h3>\n${groupTable(field, matrix, order, columns, maxGroupRows)}`;
  });
  return section(
    'groups',
    'Other groupings',
    `<p>Units carrying each code, per group of documents.</p>\n${parts.join('\n')}`,
  );
}
