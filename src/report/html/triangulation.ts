/** The triangulation section: primary against secondary sources per code. */

import type { TriangulationRow, TriangulationStatus } from '../../core/themes.js';
import type { ReportData } from '../data.js';
import { count } from '../svg.js';
import { codeChip, h, num, type Palette, section, tableWrap } from './shared.js';

const statusLabels: Record<TriangulationStatus, string> = {
  converge: 'converge',
  'primary-only': 'primary only',
  'secondary-only': 'secondary only',
  absent: 'absent',
};

export function triangulationSection(data: ReportData, colors: Palette): string {
  const rows: TriangulationRow[] = data.triangulation;
  if (rows.length === 0)
    return section('triangulation', 'Triangulation', '<p>The codebook has no codes.</p>');
  const head =
    '<tr><th scope="col" rowspan="2">Code</th><th scope="colgroup" colspan="2" class="group">Primary sources</th><th scope="colgroup" colspan="2" class="group">Secondary sources</th>' +
    '<th scope="col" rowspan="2" class="num">Role not recorded: units</th><th scope="col" rowspan="2">Status</th></tr>\n' +
    '<tr><th scope="col" class="num">Units</th><th scope="col" class="num">Documents</th><th scope="col" class="num">Units</th><th scope="col" class="num">Documents</th></tr>';
  const body = rows
    .map(
      (row) =>
        `<tr><th scope="row">${codeChip(row.code, colors)}</th>${num(count(row.primary_units))}${num(count(row.primary_documents))}` +
        `${num(count(row.secondary_units))}${num(count(row.secondary_documents))}${num(count(row.unknown_role_units))}` +
        `<td><span class="status status-${h(row.status)}">${h(statusLabels[row.status] ?? row.status)}</span></td></tr>`,
    )
    .join('\n');
  const intro =
    "<p>Does a theme appear in both kinds of source? <em>Primary</em> sources are the actors' own statements, <em>secondary</em> ones report on them (the role recorded for each document). " +
    'Status: <span class="status status-converge">converge</span> both carry the code; <span class="status status-primary-only">primary only</span>; <span class="status status-secondary-only">secondary only</span>; <span class="status status-absent">absent</span> no unit carries it.</p>';
  return section(
    'triangulation',
    'Triangulation',
    `${intro}\n${tableWrap(`<table class="triangulation">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`)}`,
  );
}
