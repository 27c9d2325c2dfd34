/** The co-occurrence section: a heat map of codes by codes and the pairs that co-occur most. */

import { type CooccurrenceRow, cooccurrenceIsSparse } from '../../core/themes.js';
import type { ReportCode, ReportData } from '../data.js';
import {
  compareText,
  coordinate,
  count,
  fitText,
  fixed,
  sequentialBlue,
  svgChart,
  svgLine,
  svgRect,
  svgText,
  textColorOn,
} from '../svg.js';
import {
  codeChip,
  codesInMatrix,
  figure,
  h,
  leftOutNote,
  num,
  type Palette,
  type ShownCodes,
  section,
  strongestPairs,
  tableWrap,
} from './shared.js';

/** Where the heat map puts things: sizes follow the number of codes drawn. */
interface HeatMapLayout {
  codes: ReportCode[];
  labelWidth: number;
  /** The side of one cell. */
  cell: number;
  matrixSize: number;
  labelFont: number;
  /** Room above the matrix for the column labels, which lean at 45°. */
  topLabelHeight: number;
  left: number;
  top: number;
  /** Cells large enough to print their count in. */
  showCounts: boolean;
  /** Few enough cells to give each a tooltip. */
  tooltips: boolean;
}

/** Sizes the heat map: cells from 14 to 44 wide in a chart about 720 wide, labels to fit them. */
function heatMapLayout(codes: ReportCode[]): HeatMapLayout {
  const labelWidth = 180;
  const cell = Math.max(14, Math.min(44, (720 - labelWidth) / codes.length));
  const labelFont = cell >= 24 ? 11 : 9;
  const topLabelHeight = Math.min(
    150,
    Math.max(...codes.map((code) => Math.min(labelWidth, code.label.length * labelFont * 0.56))) * 0.72 + 16,
  );
  return {
    codes,
    labelWidth,
    cell,
    matrixSize: cell * codes.length,
    labelFont,
    topLabelHeight,
    left: labelWidth,
    top: topLabelHeight,
    showCounts: cell >= 22,
    tooltips: codes.length <= 40,
  };
}

/** The code labels: leaning over each column, and right-aligned before each row. */
function heatMapLabels(layout: HeatMapLayout): string[] {
  const { codes, left, top, cell, labelWidth, labelFont } = layout;
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
  return parts;
}

/** The cells of codes drawn by codes, keyed by both ids: the rows of the co-occurrence table. */
function cellsByPair(data: ReportData, codes: ReportCode[]): Map<string, CooccurrenceRow> {
  const drawn = new Set(codes.map((code) => code.id));
  const cells = new Map<string, CooccurrenceRow>();
  for (const row of data.cooccurrence)
    if (drawn.has(row.code_a) && drawn.has(row.code_b)) cells.set(`${row.code_a}\u0000${row.code_b}`, row);
  return cells;
}

/**
 * The matrix: a cell per pair of codes coloured by its Jaccard index (white when no unit carries
 * both), the diagonal in grey; with the count inside when the cells are large enough.
 */
function heatMapCells(layout: HeatMapLayout, cells: Map<string, CooccurrenceRow>): string[] {
  const { codes, left, top, cell, showCounts, tooltips } = layout;
  const parts: string[] = [];
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
  return parts;
}

/** The legend's width of the Jaccard scale. */
const legendWidth = 200;

/** The legend under the matrix, from `legendTop`: the Jaccard colour scale with ticks, and the diagonal. */
function heatMapLegend(left: number, legendTop: number, diagonalX: number): string[] {
  const parts: string[] = [];
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
  parts.push(
    svgRect(diagonalX, legendTop, 12, 12, { fill: '#E6E6E6', stroke: '#888888', 'stroke-width': 1.2 }),
  );
  parts.push(
    svgText(diagonalX + 18, legendTop + 10, 'diagonal: units carrying the code', {
      'font-size': 10,
      fill: '#444444',
    }),
  );
  return parts;
}

/** The heat map of the codes drawn by the codes drawn, with its labels and legend, as an SVG chart. */
function heatMapChart(data: ReportData, codes: ReportCode[]): string {
  const layout = heatMapLayout(codes);
  const { left, top, matrixSize, topLabelHeight } = layout;
  const legendTop = top + matrixSize + 18;
  const diagonalX = left + legendWidth + 30;
  const parts = [
    ...heatMapLabels(layout),
    ...heatMapCells(layout, cellsByPair(data, codes)),
    ...heatMapLegend(left, legendTop, diagonalX),
  ];
  // Column labels lean right, past the last column by about their height.
  const width = Math.max(left + matrixSize + topLabelHeight, diagonalX + 200);
  return svgChart({
    id: 'chart-cooccurrence',
    width,
    height: legendTop + 30,
    title: 'Co-occurrence of codes',
    description: `Heat map of ${codes.length} codes by ${codes.length} codes: each cell gives the units carrying both codes, coloured by the Jaccard index (units with both divided by units with either); the diagonal, in grey, gives the units carrying the code.`,
    body: parts.join('\n'),
  });
}

/**
 * The pairs with the highest Jaccard index over the whole codebook (not only the codes drawn),
 * each once, as a table; or a sentence when no two codes share a unit.
 */
function strongestPairsTable(data: ReportData, colors: Palette): string {
  // Each pair once: the first code earlier in the codebook.
  const position = new Map(colors.codes.map((code, index) => [code.id, index]));
  const pairs = data.cooccurrence
    .filter((row) => row.units > 0 && (position.get(row.code_a) ?? -1) < (position.get(row.code_b) ?? -1))
    .sort(
      (a, b) =>
        b.jaccard - a.jaccard ||
        b.units - a.units ||
        compareText(a.code_a, b.code_a) ||
        compareText(a.code_b, b.code_b),
    )
    .slice(0, strongestPairs);
  if (pairs.length === 0) return '<p>No two codes share a unit.</p>';
  return `<h3>Pairs that co-occur most (by Jaccard index)</h3>\n${tableWrap(
    `<table class="pairs">\n<thead><tr><th scope="col">Code</th><th scope="col">Code</th><th scope="col" class="num">Units with both</th><th scope="col" class="num">Jaccard</th></tr></thead>\n<tbody>\n${pairs
      .map(
        (row) =>
          `<tr><td>${codeChip(row.code_a, colors)}</td><td>${codeChip(row.code_b, colors)}</td>${num(count(row.units))}${num(fixed(row.jaccard))}</tr>`,
      )
      .join('\n')}\n</tbody>\n</table>`,
  )}`;
}

/**
 * The notes under the heat map: the codes it leaves out, and, for a codebook so large that
 * cooccurrence.csv lists only the pairs sharing a unit, that fact; '' when neither applies.
 */
function heatMapNotes(shown: ShownCodes, total: number): string {
  return (
    leftOutNote(shown, 'The heat map', 'cooccurrence.csv') +
    (cooccurrenceIsSparse(total)
      ? `<p class="left-out" role="note"><code>cooccurrence.csv</code> lists each code with itself and the pairs that share at least one unit: all ${count(total)} × ${count(total)} pairs would be ${count(total * total)} rows.</p>`
      : '')
  );
}

/** The section: the heat map with its caption and notes, then the pairs that co-occur most. */
export function cooccurrenceSection(data: ReportData, colors: Palette): string {
  if (colors.codes.length === 0)
    return section('cooccurrence', 'Co-occurrence of codes', '<p>The codebook has no codes.</p>');
  const shown = codesInMatrix(data, colors);
  const svg = heatMapChart(data, shown.codes);
  const pairTable = strongestPairsTable(data, colors);
  const caption =
    'Units carrying both codes; the colour is the Jaccard index, units with both over units with either, on a fixed scale from 0 to 1. The grey diagonal counts the units carrying each code.';
  const note = heatMapNotes(shown, colors.codes.length);
  return section(
    'cooccurrence',
    'Co-occurrence of codes',
    `${figure(svg, h(caption))}\n${note}${note ? '\n' : ''}${pairTable}`,
  );
}
