/** The reliability section: headline figures, the interval chart and the tables of figures. */

import type { GateResult } from '../../core/gates.js';
import type {
  CodeReliability,
  FigureSet,
  MultiReliability,
  ReliabilityReport,
} from '../../core/reliability.js';
import type { ReportData } from '../data.js';
import { compareText, count, fixed } from '../svg.js';
import { type IntervalRow, pair, reliabilityChart } from './reliability-chart.js';
import {
  cautionNote,
  codeChip,
  figure,
  h,
  interval,
  num,
  type Palette,
  plural,
  section,
  tableWrap,
} from './shared.js';

/** The verdict cell of a figure under the gate, the figure and value it was read from in a tooltip. */
function verdictCell(gate: GateResult | undefined): string {
  if (!gate) return '<td class="verdict"></td>';
  const detail = gate.verdict === 'undefined' ? (gate.reason ?? '') : `${gate.figure} = ${fixed(gate.value)}`;
  return `<td class="verdict verdict-${gate.verdict}" title="${h(detail)}">${h(gate.verdict)}</td>`;
}

const verdictHead = '<th scope="col">Verdict</th>';

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

function figureRow(
  label: string,
  figures: FigureSet,
  rowClass: string,
  columns: number,
  gated: boolean,
): string {
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
    ...(gated ? [verdictCell(figures.gate)] : []),
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
  const gated = report.gate !== undefined;
  const columns = gated ? 13 : 12;
  const head = gated ? figureHead.replace('</tr>', `${verdictHead}</tr>`) : figureHead;
  const rows: string[] = [];
  if (report.overall) {
    const name =
      report.overall.definition === 'pooled' ? 'Overall (pooled κ)' : "Overall (Cohen's κ, nominal)";
    rows.push(figureRow(h(name), report.overall, 'overall', columns, gated));
  }
  for (const code of report.codes)
    rows.push(figureRow(codeChip(code.code, colors), code, '', columns, gated));
  let text = tableWrap(
    `<table class="reliability" id="reliability-table">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`,
  );
  if (report.categories.length > 0) {
    const categoryRows = report.categories.map((category) =>
      figureRow(
        `${h(category.label)} <span class="muted">(${h(category.values.join(', '))})</span>`,
        category,
        '',
        columns,
        gated,
      ),
    );
    text += `\n<h3>Exclusive categories</h3>\n<p>Each exclusive category as one nominal variable: its codes plus "none".</p>\n${tableWrap(
      `<table class="reliability categories">\n<thead>${head.replace('>Code<', '>Category<')}</thead>\n<tbody>\n${categoryRows.join('\n')}\n</tbody>\n</table>`,
    )}`;
  }
  return `${text}\n${figureLegend}`;
}

function multiCoderTable(multi: MultiReliability, colors: Palette, gated: boolean): string {
  const head =
    '<tr><th scope="col">Code</th><th scope="col" class="num">n</th><th scope="col" class="num">Fleiss\' κ (missing ratings)</th>' +
    '<th scope="col" class="num">Fleiss\' κ (units coded by all)</th><th scope="col" class="num">Units coded by all</th>' +
    '<th scope="col" class="num">α</th><th scope="col" class="num">AC1</th>' +
    (gated ? verdictHead : '') +
    '</tr>';
  const row = (
    label: string,
    figures: MultiReliability | MultiReliability['codes'][number],
    rowClass: string,
  ): string => {
    const notes = reasonText(figures.reasons);
    const main =
      `<tr class="${[rowClass, notes ? 'has-note' : ''].filter((name) => name).join(' ')}"><th scope="row">${label}</th>` +
      num(count(figures.n)) +
      `<td class="num kappa">${h(figures.fleiss_kappa_gwet == null ? 'undefined' : fixed(figures.fleiss_kappa_gwet))}</td>` +
      num(figures.fleiss_kappa === null ? 'undefined' : fixed(figures.fleiss_kappa)) +
      num(count(figures.fleiss_n)) +
      num(fixed(figures.krippendorff_alpha)) +
      num(fixed(figures.gwet_ac1)) +
      (gated ? verdictCell(figures.gate) : '') +
      '</tr>';
    return notes ? `${main}\n<tr class="note"><td colspan="${gated ? 8 : 7}">${h(notes)}</td></tr>` : main;
  };
  const rows = [row(h(`Overall (${multi.definition})`), multi, 'overall')];
  for (const code of multi.codes) rows.push(row(codeChip(code.code, colors), code, ''));
  return tableWrap(
    `<table class="reliability multi" id="reliability-table">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`,
  );
}

export function reliabilitySection(data: ReportData, colors: Palette): string {
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
      kappa: multi.fleiss_kappa_gwet ?? null,
      reason: multi.reasons['fleiss_kappa_gwet'],
      wald: pair(multi.fleiss_kappa_gwet_ci_low, multi.fleiss_kappa_gwet_ci_high),
      bootstrap: undefined,
    });
    for (const code of multi.codes) {
      rows.push({
        label: code.label,
        id: code.code,
        overall: false,
        kappa: code.fleiss_kappa_gwet ?? null,
        reason: code.reasons['fleiss_kappa_gwet'],
        wald: pair(code.fleiss_kappa_gwet_ci_low, code.fleiss_kappa_gwet_ci_high),
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
    `${multi ? " For three or more coders it is Fleiss' κ generalised to missing ratings (Gwet 2014)." : ''} The solid line is the interval from the asymptotic standard error, cut at 1 with an arrow where it passes 1.${bootstrap}` +
    ' The shaded bands and their names follow Landis and Koch (1977): a convention for reading κ, not a test. Undefined κ is written out with its reason.';
  const intro = `<p>Coders: ${report.coders.map(h).join(', ')}. ${plural(report.units_not_shared, 'unit')} reviewed by only ${multi ? 'some of the coders' : 'one coder'} are not part of these figures.</p>`;
  const tables = multi
    ? multiCoderTable(multi, colors, report.gate !== undefined)
    : twoCoderTables(report, colors);
  const gate = report.gate
    ? `<p class="gate">Gate per code (coding.yaml <code>reliability.require</code>): ${h(report.gate.description)}. A code is <em>reliable</em> at or above the first threshold, <em>tentative</em> between the two, <em>unreliable</em> below; <em>undefined</em> when the figure is. ${
        report.gate.failed.length === 0
          ? 'No code or exclusive category fails it.'
          : `Failing: ${report.gate.failed.map(h).join(', ')}.`
      }</p>\n${cautionNote(data, colors)}`
    : '';
  return section(
    'reliability',
    'Reliability per code',
    `${intro}\n${gate ? `${gate}\n` : ''}${figure(reliabilityChart(rows, report, multi !== undefined), caption)}\n${tables}`,
  );
}
