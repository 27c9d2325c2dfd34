/** Shared pieces of report.html: the caps, the palette of codes, chips, cells, sections and intervals. */

import { cautionText, codeCautions, type GateResult } from '../../core/gates.js';
import type { ReliabilityReport } from '../../core/reliability.js';
import type { ReportCode, ReportData } from '../data.js';
import { count, escapeHtml, fixed, missing, palette, safeColor } from '../svg.js';
import { cautionMarker } from '../themes.js';

/** Actors drawn in the chart by actor; the table below it lists them all. */
export const maxActorsInChart = 15;
/** Rows of a group table other than the actors' (the CSV file has them all). */
export const maxGroupRows = 200;
/** Pairs listed under the heat map. */
export const strongestPairs = 10;

export const h = escapeHtml;

/** Codes and categories with their colours and labels, looked up by id. */
export interface Palette {
  codes: ReportCode[];
  code(id: string): ReportCode | undefined;
  label(id: string): string;
  color(id: string): string;
  categoryLabel(id: string): string;
  categoryColor(id: string): string;
  /** The gate's verdict of a code flagged "interpret with caution" (not reliable), else undefined. */
  caution(id: string): GateResult | undefined;
}

export function makePalette(data: ReportData): Palette {
  const cautions = codeCautions(data.reliability);
  // A flagged code carries the marker in its label, so every chip, chart and table of the report shows it.
  const codes = data.codebook.codes.map((code) =>
    cautions.has(code.id) ? { ...code, label: `${code.label} ${cautionMarker}` } : code,
  );
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
    caution: (id) => cautions.get(id),
  };
}

/**
 * The note that explains the marker: which codes are flagged, with their verdicts, under which
 * gate; empty when no code is flagged.
 */
export function cautionNote(data: ReportData, colors: Palette): string {
  const gate = data.reliability?.gate;
  const flagged = colors.codes.filter((code) => colors.caution(code.id) !== undefined).map((code) => code.id);
  if (!gate || flagged.length === 0) return '';
  const text = cautionText(flagged, codeCautions(data.reliability));
  return `<p class="caution-note" role="note"><strong>${cautionMarker} ${h(text.replace(/^interpret with caution: /, 'Interpret with caution: '))}.</strong> These codes fall short of the reliability gate ${h(gate.description)} (tentative: between the two thresholds, from which Krippendorff (2004) would draw tentative conclusions only; unreliable: below both; undefined: no figure). They are marked ${cautionMarker} wherever the report names them.</p>`;
}

/** A code as a small coloured chip with its label; the id in a tooltip. */
export function codeChip(id: string, colors: Palette): string {
  const caution = colors.caution(id);
  const title = caution ? `${id}: interpret with caution (${caution.verdict})` : id;
  return `<span class="chip${caution ? ' caution' : ''}" title="${h(title)}"><span class="swatch" style="background:${colors.color(id)}"></span>${h(colors.label(id))}</span>`;
}

export function codeList(ids: readonly string[], colors: Palette, empty = 'no code'): string {
  return ids.length === 0
    ? `<span class="muted">${h(empty)}</span>`
    : ids.map((id) => codeChip(id, colors)).join(' ');
}

export function plural(value: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count(value)} ${value === 1 ? singular : pluralForm}`;
}

/** A numeric table cell. */
export function num(text: string): string {
  return `<td class="num">${h(text)}</td>`;
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-heading">\n<h2 id="${id}-heading">${h(title)}</h2>\n${body}\n</section>`;
}

export function figure(svg: string, caption: string): string {
  return `<figure class="chart">\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

export function tableWrap(table: string): string {
  return `<div class="table-wrap">${table}</div>`;
}

export const reliabilityLevel = (report: ReliabilityReport | undefined): number =>
  report?.bootstrap?.level ?? 0.95;

export function levelText(level: number): string {
  return `${fixed(level * 100, Number.isInteger(level * 100) ? 0 : 1)}\u00a0%`;
}

export function interval(low: number | null | undefined, high: number | null | undefined): string {
  return low === null || low === undefined || high === null || high === undefined
    ? missing
    : `[${fixed(low)}, ${fixed(high)}]`;
}

/**
 * Codes drawn in a table or chart that grows with codes × codes or codes × groups. Above this, such
 * a table shows the codes that carry the most units and says where the full table is (its CSV):
 * a codebook of 2,000 codes once made a 482 MB report.
 */
export const maxCodesInMatrix = 40;

/** The codes a matrix shows, in codebook order, and how many it leaves out. */
export interface ShownCodes {
  codes: ReportCode[];
  left: number;
}

/**
 * All codes when there are at most `maxCodesInMatrix`; else the `maxCodesInMatrix` codes carrying
 * the most units (ties: codebook order), kept in codebook order.
 */
export function codesInMatrix(data: ReportData, colors: Palette): ShownCodes {
  const codes = colors.codes;
  if (codes.length <= maxCodesInMatrix) return { codes, left: 0 };
  const units = new Map<string, number>();
  for (const row of data.frequencies) if (row.code !== '') units.set(row.code, row.units);
  const ranked = codes
    .map((code, index) => ({ index, units: units.get(code.id) ?? 0 }))
    .sort((left, right) => right.units - left.units || left.index - right.index)
    .slice(0, maxCodesInMatrix)
    .map((entry) => entry.index)
    .sort((left, right) => left - right);
  return { codes: ranked.map((index) => codes[index]!), left: codes.length - maxCodesInMatrix };
}

/** The note under a matrix that leaves codes out: how many, which are shown, where the rest are. */
export function leftOutNote(shown: ShownCodes, what: string, file: string): string {
  if (shown.left === 0) return '';
  return `<p class="left-out" role="note">Left out: ${plural(shown.left, 'code')} of ${count(shown.codes.length + shown.left)}. ${h(what)} shows the ${count(shown.codes.length)} codes that carry the most units; the full table is in <code>${h(file)}</code>.</p>`;
}
