/** The rhetoric section: actors by rhetorical code, in the shape of the paper's section 4.3. */

import type { ReportData } from '../data.js';
import { count } from '../svg.js';
import { codeChip, h, num, type Palette, section, tableWrap } from './shared.js';

export function rhetoricSection(data: ReportData, colors: Palette): string {
  const rhetoric = data.rhetoric;
  if (!rhetoric)
    return section(
      'rhetoric',
      'Rhetoric by actor',
      '<p>The codebook has no rhetoric category, so there is no rhetoric table.</p>',
    );
  const label = colors.categoryLabel(rhetoric.category);
  if (rhetoric.rows.length === 0) {
    return section(
      'rhetoric',
      'Rhetoric by actor',
      `<p>No unit carries a code of the category ${h(label)}.</p>`,
    );
  }
  const actors: string[] = [];
  for (const row of rhetoric.rows) if (!actors.includes(row.actor)) actors.push(row.actor);
  const bodies = actors.map((actor) => {
    const rows = rhetoric.rows.filter((row) => row.actor === actor);
    return `<tbody>\n${rows
      .map(
        (row, index) =>
          `<tr>${index === 0 ? `<th scope="rowgroup" rowspan="${rows.length}">${h(actor)}</th>` : ''}<td>${codeChip(row.code, colors)}</td>${num(count(row.units))}` +
          `<td>${row.audience === '' ? '<span class="muted">not recorded</span>' : h(row.audience)}</td>` +
          `<td><q>${h(row.exemplar)}</q> <span class="unit-id">${h(row.exemplar_unit)}</span></td></tr>`,
      )
      .join('\n')}\n</tbody>`;
  });
  const head =
    '<thead><tr><th scope="col">Actor</th><th scope="col">Code</th><th scope="col" class="num">Units</th><th scope="col">Audience</th><th scope="col">Exemplar</th></tr></thead>';
  return section(
    'rhetoric',
    'Rhetoric by actor',
    `<p>Per actor and code of the category <strong>${h(label)}</strong>: the units, the audience recorded in the documents' metadata, and one exemplar (the shape of the paper's section 4.3). Only pairs that occur are listed.</p>\n${tableWrap(`<table class="rhetoric">\n${head}\n${bodies.join('\n')}\n</table>`)}`,
  );
}
