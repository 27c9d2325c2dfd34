/** The page shell of report.html: head, table of contents, sections in order, footer. */
import { isValidated } from '../../core/machine-primary.js';
import type { ReportData } from '../data.js';
import { cooccurrenceSection } from './cooccurrence.js';
import { disagreementSection } from './disagreements.js';
import { exemplarSection } from './exemplars.js';
import { frequencySection } from './frequencies.js';
import { actorSection, groupsSection } from './groups.js';
import { machineCodersSection } from './machine-coders.js';
import { reliabilitySection } from './reliability.js';
import { rhetoricSection } from './rhetoric.js';
import { h, makePalette, tableWrap } from './shared.js';
import { styles } from './styles.js';
import { summarySection } from './summary.js';
import { triangulationSection } from './triangulation.js';

export function footer(data: ReportData): string {
  const inputs =
    data.inputs.length === 0
      ? '<p>No input files recorded.</p>'
      : tableWrap(
          `<table class="inputs">\n<thead><tr><th scope="col">Input file</th><th scope="col">SHA-256</th></tr></thead>\n<tbody>\n${data.inputs
            .map(
              (input) =>
                `<tr><th scope="row"><code>${h(input.file)}</code></th><td><code class="hash">${h(input.sha256)}</code></td></tr>`,
            )
            .join('\n')}\n</tbody>\n</table>`,
        );
  return (
    `<footer id="inputs" aria-labelledby="inputs-heading">\n<h2 id="inputs-heading">Inputs and reproduction</h2>\n` +
    `<p>Made by <strong>${h(data.tool)}</strong> from the files below. To make it again, run <code>coding report</code> in the study's folder: the same inputs give the same bytes (the report holds no date, only the tool version and these hashes).</p>\n${inputs}\n</footer>`
  );
}

/**
 * A theme section with the machine primary's label under its heading (every table in it is of
 * the final codes); unchanged when the primary coder is a person. Loud (the caution style) when
 * the machine coder was not validated.
 */
function withMachineNote(data: ReportData, sectionHtml: string): string {
  const machine = data.machine_primary;
  if (machine === undefined) return sectionHtml;
  const style = isValidated(machine) ? 'note-box' : 'caution-note';
  const note = `<p class="${style} machine-primary" role="note"><strong>Final codes ${h(machine.label)}.</strong></p>\n`;
  const heading = sectionHtml.indexOf('</h2>\n');
  if (heading < 0) return `${note}${sectionHtml}`;
  return `${sectionHtml.slice(0, heading + 6)}${note}${sectionHtml.slice(heading + 6)}`;
}

// ---------------------------------------------------------------------------------------------
// The page

export const sections: Array<[string, string]> = [
  ['summary', 'Study'],
  ['frequencies', 'Frequencies'],
  ['actors', 'By actor'],
  ['groups', 'Other groupings'],
  ['reliability', 'Reliability'],
  ['cooccurrence', 'Co-occurrence'],
  ['triangulation', 'Triangulation'],
  ['rhetoric', 'Rhetoric'],
  ['exemplars', 'Exemplars'],
  ['disagreements', 'Disagreements'],
  ['inputs', 'Inputs'],
];

/** The whole report as one HTML5 page. */
export function renderReportHtml(data: ReportData): string {
  const colors = makePalette(data);
  const description = data.description?.trim()
    ? `<div class="callout" role="note"><strong>About this study</strong>${h(data.description.trim())}</div>`
    : '';
  // The machine coders' section (and its entry) appear only in studies that have machine coders.
  const shown: Array<[string, string]> =
    (data.machine_coders ?? []).length === 0
      ? sections
      : [...sections.slice(0, 5), ['machine-coders', 'Machine coders'], ...sections.slice(5)];
  const nav = `<nav class="toc" aria-label="Sections"><ol>${shown.map(([id, title]) => `<li><a href="#${id}">${h(title)}</a></li>`).join('')}</ol></nav>`;
  const body = [
    summarySection(data, colors),
    withMachineNote(data, frequencySection(data, colors)),
    withMachineNote(data, actorSection(data, colors)),
    withMachineNote(data, groupsSection(data, colors)),
    reliabilitySection(data, colors),
    ...((data.machine_coders ?? []).length === 0 ? [] : [machineCodersSection(data, colors)]),
    withMachineNote(data, cooccurrenceSection(data, colors)),
    withMachineNote(data, triangulationSection(data, colors)),
    withMachineNote(data, rhetoricSection(data, colors)),
    withMachineNote(data, exemplarSection(data, colors)),
    disagreementSection(data, colors),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="${h(data.tool)}">
<title>${h(data.title)}: report</title>
<style>${styles}</style>
</head>
<body>
<header class="masthead">
<p class="kicker">Content analysis report</p>
<h1>${h(data.title)}</h1>
${description}
${nav}
</header>
<main>
${body}
</main>
${footer(data)}
</body>
</html>
`;
}
