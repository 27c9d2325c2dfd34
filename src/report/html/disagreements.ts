/** The disagreements section: what the coders disagreed on, for the adjudication meeting. */

import type { ReportData, ReportDisagreement } from '../data.js';
import { count } from '../svg.js';
import { codeList, h, type Palette, plural, section, tableWrap } from './shared.js';

export function disagreementSection(data: ReportData, colors: Palette): string {
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
