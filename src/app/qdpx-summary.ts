/** The terminal summary of `coding import FILE.qdpx`. */
import type { ImportQdpxResult } from './qdpx.js';
import type { ExportQdpxResult } from './qdpx-export.js';
import type { ChangedCoding } from './qdpx-export-original.js';

/** The summary of an import for a terminal. */
export function renderQdpxImportSummary(result: ImportQdpxResult): string {
  const lines: string[] = [];
  const { documents, sources, settings } = result;
  lines.push(
    `${result.file}: project "${result.project.name}"${result.project.origin === undefined ? '' : ` written by ${result.project.origin}`}`,
    `positions as ${settings.offsets === 'utf16' ? 'UTF-16 code units' : 'code points'}, CRLF as ${settings.crlf} character${settings.crlf === 'one' ? '' : 's'} (${settings.positions}); overlap ${settings.overlap}; reviewed: ${settings.reviewed === 'document' ? 'every unit of a document the coder coded' : "the units the coder's selections cover"}`,
  );
  const skipped = Object.entries(sources.skipped)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind.replace('Source', '')}`);
  lines.push(
    `sources: ${sources.imported} of ${sources.text} text source${sources.text === 1 ? '' : 's'} imported` +
      (sources.empty.length > 0 ? ` (${sources.empty.length} empty, left out)` : '') +
      (sources.missing.length > 0
        ? `; ${sources.missing.length} missing from the archive, left out with their ${sources.missing.reduce((sum, item) => sum + item.codings, 0)} codings: ${sources.missing.map((item) => `"${item.name}"`).join(', ')}`
        : '') +
      (skipped.length > 0 ? `; skipped: ${skipped.join(', ')}` : ''),
    `documents: ${documents.documents.added} new, ${documents.documents.unchanged} unchanged` +
      (documents.documents.metadataUpdated > 0
        ? ` (${documents.documents.metadataUpdated} with new metadata)`
        : '') +
      (documents.documents.changed > 0 ? `, ${documents.documents.changed} re-segmented` : '') +
      `; ${documents.documents.total} in the corpus`,
    `units: ${documents.units.added} new, ${documents.units.unchanged} unchanged; ${documents.units.total} in the corpus`,
  );
  const leftOut = Object.entries(result.leftOut);
  if (leftOut.length > 0)
    lines.push(
      `left out (nothing here holds them): ${leftOut.map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    );
  if (result.selections.kept > 0)
    lines.push(
      `selections: ${result.selections.kept} kept as they were in ${result.selections.file}${result.dryRun ? ' (would be)' : ''}, for coding export --format qdpx to give back`,
    );
  const sets = result.documentSets;
  if (sets.sets > 0)
    lines.push(
      `sets of documents: ${sets.sets}, kept as the attribute "sets" of their documents (${sets.memberships} membership${sets.memberships === 1 ? '' : 's'})` +
        (sets.leftOut > 0
          ? `; ${sets.leftOut} member${sets.leftOut === 1 ? '' : 's'} left out (see the warning)`
          : ''),
    );
  if (result.codebook !== undefined) {
    const { codebook } = result;
    lines.push(
      `codebook: ${codebook.file} (${codebook.categories} categories, ${codebook.codes} codes)` +
        (codebook.planned.write ? (result.dryRun ? ', would be written' : ', written') : ', unchanged') +
        (codebook.planned.switch
          ? result.dryRun
            ? '; coding.yaml would use it'
            : '; coding.yaml now uses it'
          : ''),
    );
  } else lines.push('codebook: the project has none; the workspace keeps its own');
  lines.push(...coderLines(result));
  if (result.dryRun) lines.push('dry run: nothing was written');
  return `${lines.join('\n')}\n`;
}

/** The coders imported (user → coder, what was stored), and what reliability needs. */
function coderLines(result: ImportQdpxResult): string[] {
  const lines: string[] = [];
  const missingCodings = result.sources.missing.reduce((sum, item) => sum + item.codings, 0);
  if (result.coders.length === 0)
    lines.push(
      missingCodings > 0
        ? `coders: none imported; the project's ${missingCodings} text codings are on the sources missing from the archive`
        : 'coders: the project holds no codings',
    );
  else lines.push('coders (REFI-QDA user → coder):');
  for (const coder of result.coders) {
    const stored = coder.stored;
    lines.push(
      `  ${coder.user} → ${coder.coder}: ${coder.codings} coding${coder.codings === 1 ? '' : 's'} in ${coder.documents} document${coder.documents === 1 ? '' : 's'}; ${coder.unitsReviewed} units reviewed, ${coder.unitsCoded} coded` +
        (stored === undefined
          ? coder.unitsReviewed === 0
            ? ' (nothing to store)'
            : ''
          : `; annotations/${coder.coder}.csv: ${stored.added} new, ${stored.unchanged} unchanged, ${stored.replaced} replaced, ${stored.kept} kept from before`),
    );
    if (stored?.backup !== undefined) lines.push(`    the previous file was copied to ${stored.backup}`);
  }
  const coded = result.coders.filter((coder) => coder.unitsCoded > 0);
  if (coded.length < 2) {
    lines.push(
      `reliability: needs two coders who coded the same documents; this project has ${coded.length === 0 ? 'none' : `one (${coded[0]!.coder})`}. ` +
        'Have a second coder code a sample (coding sample, then coding code --coder NAME) or import their project; ' +
        'coding themes works with one coder.',
    );
  }
  return lines;
}

/**
 * The summary of `coding export --format qdpx` for stderr: what was written (with `-o`), and always
 * what happened to imported selections the team changed or that could not go back.
 */
export function renderQdpxExportSummary(result: ExportQdpxResult, output: string | undefined): string {
  const lines: string[] = [];
  const { settings, original } = result;
  if (output !== undefined)
    lines.push(
      `wrote ${output}: ${result.documents} document${result.documents === 1 ? '' : 's'}, ${result.coders.length} coder${result.coders.length === 1 ? '' : 's'} (${result.coders.join(', ')}), ${result.selections} selection${result.selections === 1 ? '' : 's'} with ${result.codings} coding${result.codings === 1 ? '' : 's'}`,
      `selections: ${settings.selections === 'units' ? 'one per unit and coder (--selections units)' : original.selections === 0 && !result.original.imported ? 'one per unit and coder (the study holds no imported selections)' : `${original.selections} imported ones as they were, ${result.selections - original.selections} made of units for what was coded in coding`}; positions in ${settings.offsets === 'utf16' ? 'UTF-16 code units' : 'code points'}, texts with ${settings.lineEnds === 'crlf' ? `CRLF line ends counted as ${settings.crlf === 'one' ? 'one character' : 'two characters'}` : 'LF line ends'} (${settings.why})`,
    );
  const describe = (change: ChangedCoding): string =>
    `${change.coder} ${change.code} (selection ${change.selection})${change.units.length > 0 ? ` on ${change.units.slice(0, 5).join(', ')}${change.units.length > 5 ? ', …' : ''}` : ''}`;
  if (original.removed.length > 0)
    lines.push(
      `left out: ${original.removed.length} imported coding${original.removed.length === 1 ? '' : 's'} whose code the coder removed in coding from every unit ${original.removed.length === 1 ? 'it' : 'they'} covered: ${original.removed.slice(0, 10).map(describe).join('; ')}${original.removed.length > 10 ? '; …' : ''}`,
    );
  if (original.partlyRemoved.length > 0)
    lines.push(
      `kept as imported: ${original.partlyRemoved.length} imported coding${original.partlyRemoved.length === 1 ? '' : 's'} whose code the coder removed from some of the units ${original.partlyRemoved.length === 1 ? 'it' : 'they'} covered (a selection is not cut): ${original.partlyRemoved.slice(0, 10).map(describe).join('; ')}${original.partlyRemoved.length > 10 ? '; …' : ''}`,
    );
  const leftOut = Object.entries(original.leftOut);
  if (leftOut.length > 0)
    lines.push(
      `left out of the imported selections: ${leftOut.map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    );
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
