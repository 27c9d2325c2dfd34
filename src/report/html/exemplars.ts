/** The exemplars section: quotations per code. */
import type { ReportData } from '../data.js';
import { h, type Palette, section } from './shared.js';

export function exemplarSection(data: ReportData, colors: Palette): string {
  const parts = colors.codes.map((code) => {
    const rows = data.exemplars.filter((row) => row.code === code.id).sort((a, b) => a.rank - b.rank);
    const heading = `<h3 id="exemplars-${h(code.id)}"><span class="swatch" style="background:${colors.color(code.id)}"></span>${h(code.label)} <code class="id">${h(code.id)}</code></h3>`;
    const definition = code.definition ? `<p class="code-definition">${h(code.definition)}</p>` : '';
    const quotes =
      rows.length === 0
        ? '<p class="muted">No unit carries this code.</p>'
        : rows
            .map((row) => {
              const source = [row.unit_id, row.actor, row.date, row.basis]
                .filter((part) => part !== '')
                .map(h)
                .join(' · ');
              return `<figure class="exemplar"><blockquote>${h(row.text)}</blockquote><figcaption>${source}</figcaption></figure>`;
            })
            .join('\n');
    return `<div class="exemplar-group">\n${heading}\n${definition}\n${quotes}\n</div>`;
  });
  return section(
    'exemplars',
    'Exemplars per code',
    `<p>Units chosen for each code: those the coders agreed on first, then adjudicated ones, one per document before a second from the same document, in corpus order. Under each quotation: unit, actor, date, and where its codes come from.</p>\n${parts.join('\n')}`,
  );
}
