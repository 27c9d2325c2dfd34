/** The study section: corpus, coders, sample, codebook, basis and the headline κ. */

import type { ReportData } from '../data.js';
import { count, fixed, percent } from '../svg.js';
import {
  cautionNote,
  h,
  interval,
  levelText,
  type Palette,
  plural,
  reliabilityLevel,
  section,
} from './shared.js';

function basisText(data: ReportData): string {
  const machine = data.machine_primary;
  if (data.study.basis === 'final' && machine !== undefined)
    return `final codes: the adjudicated codes where the coders disagreed, the agreed codes where they agreed, else a person's; ${machine.label}`;
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
    const headline = multi.fleiss_kappa_gwet ?? null;
    const interval =
      multi.fleiss_kappa_gwet_ci_low != null && multi.fleiss_kappa_gwet_ci_high != null
        ? ` (95 % CI ${fixed(multi.fleiss_kappa_gwet_ci_low)} to ${fixed(multi.fleiss_kappa_gwet_ci_high)})`
        : '';
    const value =
      headline === null
        ? `Fleiss' κ undefined: ${h(multi.reasons['fleiss_kappa_gwet'] ?? multi.reasons['fleiss_kappa'] ?? 'no reason given')}`
        : `Fleiss' κ = ${fixed(headline)}${interval}`;
    const complete =
      multi.fleiss_kappa === null
        ? `Fleiss' κ on the ${plural(multi.fleiss_n, 'unit')} coded by all ${report.coders.length} coders is undefined`
        : `Fleiss' κ on the ${plural(multi.fleiss_n, 'unit')} coded by all ${report.coders.length} coders = ${fixed(multi.fleiss_kappa)}`;
    return (
      `<p class="big">${value}</p>` +
      `<p>${multi.definition === 'pooled' ? 'Pooled over every (unit, code) pair' : 'On the nominal variable of the codes'}, ` +
      `generalised to missing ratings (Gwet 2014) over the ${plural(multi.n, 'unit')} coded by two or more of ${coders}. ` +
      `${complete}; Krippendorff's α = ${fixed(multi.krippendorff_alpha)}, Gwet's AC1 = ${fixed(multi.gwet_ac1)}.</p>`
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

export function summarySection(data: ReportData, colors: Palette): string {
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
  const caution = cautionNote(data, colors);
  const list = facts.map(([term, detail]) => `<div><dt>${h(term)}</dt><dd>${detail}</dd></div>`).join('\n');
  return section(
    'summary',
    'The study',
    `<dl class="facts">\n${list}\n</dl>\n<div class="headline" id="overall-kappa">\n<h3>Inter-coder reliability</h3>\n${headlineKappa(data)}\n</div>${caution ? `\n${caution}` : ''}`,
  );
}
