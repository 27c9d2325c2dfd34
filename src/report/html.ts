/**
 * report.html: one self-contained page (no network, no script; inline CSS and hand-written SVG)
 * showing everything in ReportData for people who would rather look than read CSV files. The
 * output depends on the data only: no dates, no random ids, numbers in fixed formats, so the same
 * inputs give the same bytes. Every piece of text from the data goes through `escapeHtml`.
 *
 * The page is built in `html/`: `page.ts` (the shell), `shared.ts` (palette, cells, caps),
 * `styles.ts`, and one module per section.
 */
export { renderReportHtml } from './html/page.js';
export { maxActorsInChart, maxGroupRows } from './html/shared.js';
