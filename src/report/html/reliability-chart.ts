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

export function reliabilityChart(rows: IntervalRow[], report: ReliabilityReport, multi: boolean): string {
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
