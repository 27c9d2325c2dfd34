/** The reliability section's interval chart: κ per code with its confidence intervals. */

import type { ReliabilityReport } from '../../core/reliability.js';
import { coordinate, fitText, fixed, svgChart, svgLine, svgRect, svgText, wrapText } from '../svg.js';
import { h, interval, levelText, reliabilityLevel } from './shared.js';

/** Landis & Koch (1977): labels for ranges of κ, a reading convention. */
const landisKoch: Array<{ from: number; to: number; label: string }> = [
  { from: -1, to: 0, label: 'poor' },
  { from: 0, to: 0.2, label: 'slight' },
  { from: 0.2, to: 0.4, label: 'fair' },
  { from: 0.4, to: 0.6, label: 'moderate' },
  { from: 0.6, to: 0.8, label: 'substantial' },
  { from: 0.8, to: 1, label: 'almost perfect' },
];

export interface IntervalRow {
  label: string;
  id: string;
  overall: boolean;
  kappa: number | null;
  reason: string | undefined;
  wald: [number, number] | undefined;
  bootstrap: [number, number] | undefined;
}

export function pair(
  low: number | null | undefined,
  high: number | null | undefined,
): [number, number] | undefined {
  return low === null || low === undefined || high === null || high === undefined ? undefined : [low, high];
}

/** The chart's fixed sizes: its width, the label column on the left, the value column on the right. */
const width = 760;
const labelWidth = 200;
const valueWidth = 70;
const legendHeight = 22;
const rowHeight = 26;

/** Where the parts of the chart go: the plot's edges, its axis from `low` to `high`, and the rows' band. */
interface ChartLayout {
  plotLeft: number;
  plotRight: number;
  low: number;
  high: number;
  /** The horizontal position of a value, held inside the axis. */
  x: (value: number) => number;
  /** Whether the band names take two alternating lines. */
  stagger: boolean;
  bandLabelY: number;
  top: number;
  bottom: number;
}

export function reliabilityChart(rows: IntervalRow[], report: ReliabilityReport, multi: boolean): string {
  const layout = chartLayout(rows);
  const hasWald = rows.some((row) => row.wald);
  const hasBootstrap = rows.some((row) => row.bootstrap);
  const level = levelText(reliabilityLevel(report));
  const parts: string[] = [
    ...legend(layout, { hasWald, hasBootstrap, multi, level }),
    ...landisKochBands(layout),
    ...axis(layout, multi),
  ];
  for (const [index, row] of rows.entries()) parts.push(...rowParts(layout, row, index, level));
  return svgChart({
    id: 'chart-reliability',
    width,
    height: layout.bottom + 38,
    title: multi ? "Fleiss' κ per code" : "Cohen's κ per code with confidence intervals",
    description: `κ per code as a point${hasWald || hasBootstrap ? ` with its ${level} confidence interval as a horizontal line` : ''}, on an axis from ${fixed(layout.low, 1)} to 1 with the Landis and Koch bands. ${describeRows(rows)}.`,
    body: parts.join('\n'),
  });
}

/** The axis reaches from 0, or the lowest value or lower bound rounded down to a fifth (at least −1), to 1. */
function chartLayout(rows: IntervalRow[]): ChartLayout {
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
  // Narrow bands (an axis reaching far below 0) get their names on two alternating lines.
  const stagger = x(0.2) - x(0) < 90;
  const bandLabelY = legendHeight + 14 + (stagger ? 11 : 0);
  const top = bandLabelY + 8;
  const bottom = top + rows.length * rowHeight;
  return { plotLeft, plotRight, low, high, x, stagger, bandLabelY, top, bottom };
}

/** The legend above the plot: the point, and each kind of interval the chart draws. */
function legend(
  layout: ChartLayout,
  shown: { hasWald: boolean; hasBootstrap: boolean; multi: boolean; level: string },
): string[] {
  const parts: string[] = [];
  let legendX = layout.plotLeft;
  parts.push(`<circle cx="${coordinate(legendX + 4)}" cy="10" r="4" fill="#222222"/>`);
  parts.push(svgText(legendX + 12, 14, 'κ', { 'font-size': 11 }));
  legendX += 34;
  if (shown.hasWald) {
    parts.push(svgLine(legendX, 10, legendX + 24, 10, { stroke: '#222222', 'stroke-width': 2 }));
    parts.push(svgText(legendX + 30, 14, `${shown.level} CI (asymptotic SE)`, { 'font-size': 11 }));
    legendX += 178;
  }
  if (shown.hasBootstrap) {
    parts.push(
      svgLine(legendX, 10, legendX + 24, 10, {
        stroke: '#D55E00',
        'stroke-width': 3,
        'stroke-dasharray': '4 2',
      }),
    );
    parts.push(svgText(legendX + 30, 14, `${shown.level} bootstrap CI`, { 'font-size': 11 }));
    legendX += 150;
  }
  if (shown.multi)
    parts.push(svgText(legendX, 14, "Fleiss' κ: no interval", { 'font-size': 11, fill: '#555555' }));
  return parts;
}

/** Landis & Koch bands on the axis, alternately shaded, with their names. */
function landisKochBands(layout: ChartLayout): string[] {
  const { x, low, top, bottom, stagger, bandLabelY } = layout;
  const parts: string[] = [];
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
  return parts;
}

/** Ticks every 0.2 with their values, the reference line at 0, and the axis's name. */
function axis(layout: ChartLayout, multi: boolean): string[] {
  const { x, low, top, bottom, plotLeft, plotRight } = layout;
  const parts: string[] = [];
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
  return parts;
}

/** One row: the code's name (shaded for the overall figure), then its κ with intervals, or why it is undefined. */
function rowParts(layout: ChartLayout, row: IntervalRow, index: number, level: string): string[] {
  const center = layout.top + index * rowHeight + rowHeight / 2;
  const parts: string[] = [];
  if (row.overall)
    parts.push(svgRect(0, center - rowHeight / 2, layout.plotLeft - 4, rowHeight, { fill: '#EEF3F8' }));
  parts.push(
    svgText(
      6,
      center + 4,
      fitText(row.label, labelWidth - 10, 11.5),
      { 'font-size': 11.5, 'font-weight': row.overall ? 700 : 400 },
      `${row.label}${row.id ? ` (${row.id})` : ''}`,
    ),
  );
  if (row.kappa === null) return [...parts, ...undefinedKappa(layout, row, center)];
  if (row.wald)
    parts.push(
      ...intervalLine(layout, row, center, row.wald, {
        offset: -3,
        attributes: { 'stroke-width': 2 },
        color: '#222222',
        name: `${level} CI`,
      }),
    );
  if (row.bootstrap)
    parts.push(
      ...intervalLine(layout, row, center, row.bootstrap, {
        offset: 4,
        attributes: { 'stroke-width': 3, 'stroke-dasharray': '4 2' },
        color: '#D55E00',
        name: `bootstrap ${level} CI`,
      }),
    );
  parts.push(...kappaPoint(row, row.kappa, center, layout.x(row.kappa)));
  return parts;
}

/** An undefined κ: its reason written across the plot, and "undefined" in the value column. */
function undefinedKappa(layout: ChartLayout, row: IntervalRow, center: number): string[] {
  const { plotLeft, plotRight } = layout;
  const text = `undefined: ${row.reason ?? 'no reason given'}`;
  const lines = wrapText(text, plotRight - plotLeft - 12, 10.5, 2);
  const parts: string[] = [];
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
  return parts;
}

/** An arrowhead at the edge of the axis, for an interval that runs past it. */
const arrow = (tipX: number, y: number, direction: 1 | -1, color: string): string =>
  `<path d="M${coordinate(tipX)} ${coordinate(y)} l${coordinate(-5 * direction)} -3.5 v7 z" fill="${color}"/>`;

/**
 * An interval as a line with a tooltip, `style.offset` below the row's middle, each end a tick, or an
 * arrow where it runs past the axis.
 */
function intervalLine(
  layout: ChartLayout,
  row: IntervalRow,
  center: number,
  range: [number, number],
  style: { offset: number; attributes: Record<string, string | number>; color: string; name: string },
): string[] {
  const { x, low, high } = layout;
  const { offset, attributes, color, name } = style;
  const [from, to] = range;
  const y = center + offset;
  const tooltip = `${row.label}: ${name} ${interval(from, to)}`;
  const parts: string[] = [];
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
  return parts;
}

/** κ as a point (a diamond for the overall figure) with a tooltip, and its value on the right. */
function kappaPoint(row: IntervalRow, kappa: number, center: number, pointX: number): string[] {
  const pointTitle = `<title>${h(`${row.label}: κ = ${fixed(kappa)}`)}</title>`;
  return [
    row.overall
      ? `<path class="kappa-point overall" d="M${coordinate(pointX)} ${coordinate(center - 6)} l6 6 l-6 6 l-6 -6 z" fill="#1F4E79" stroke="#FFFFFF" stroke-width="1">${pointTitle}</path>`
      : `<circle class="kappa-point" cx="${coordinate(pointX)}" cy="${coordinate(center)}" r="4.5" fill="#222222" stroke="#FFFFFF" stroke-width="1">${pointTitle}</circle>`,
    svgText(width - 6, center + 4, fixed(kappa), {
      'font-size': 11.5,
      'text-anchor': 'end',
      'font-weight': row.overall ? 700 : 400,
    }),
  ];
}

/** Every row's figures in words, for the chart's text description. */
function describeRows(rows: IntervalRow[]): string {
  return rows
    .map(
      (row) =>
        `${row.label}: ${row.kappa === null ? `undefined (${row.reason ?? 'no reason given'})` : `κ ${fixed(row.kappa)}${row.wald ? `, CI ${interval(...row.wald)}` : ''}${row.bootstrap ? `, bootstrap CI ${interval(...row.bootstrap)}` : ''}`}`,
    )
    .join('; ');
}
