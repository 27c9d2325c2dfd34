/**
 * The LaTeX tables `coding report` writes beside its CSV files: the tables `coding themes` prints
 * and the reliability table, one `.tex` file each (booktabs). Tables that grow with codes × codes
 * or codes × groups keep, like report.html, the 40 codes that carry the most units and the first
 * 200 groups, and say so under the table; the CSV file has the whole table.
 */
import type { ReliabilityReport } from '../core/reliability.js';
import { allGroups, type CrossTable, type FrequencyRow } from '../core/themes.js';
import type { ReportData } from './data.js';
import { maxCodesInMatrix, maxGroupRows } from './html/shared.js';
import { latexTables, type PaperTable } from './paper-table.js';
import { reliabilityPaperTables } from './reliability-paper.js';
import {
  cooccurrenceTable,
  exemplarsTable,
  frequencyTable,
  groupMatrixTable,
  rhetoricTable,
  triangulationTable,
  withCodedBy,
} from './theme-tables.js';
import type { Cautions } from './themes.js';

/**
 * All codes when there are at most `maxCodesInMatrix`; else those carrying the most units (ties:
 * codebook order), in codebook order — the choice report.html makes.
 */
export function codesForMatrix(codes: readonly string[], frequencies: readonly FrequencyRow[]): string[] {
  if (codes.length <= maxCodesInMatrix) return [...codes];
  const units = new Map<string, number>();
  for (const row of frequencies) if (row.code !== '') units.set(row.code, row.units);
  return codes
    .map((code, index) => ({ code, index, units: units.get(code) ?? 0 }))
    .sort((left, right) => right.units - left.units || left.index - right.index)
    .slice(0, maxCodesInMatrix)
    .sort((left, right) => left.index - right.index)
    .map((entry) => entry.code);
}

function leftOutNote(left: number, total: number, what: string, file: string): string | undefined {
  if (left === 0) return undefined;
  return `Left out: ${left} of ${total} ${what}; the full table is in ${file}.`;
}

/** The cross table with at most `maxGroupRows` groups (and the codes given). */
function cappedGroups(table: CrossTable): CrossTable {
  if (table.groups.length <= maxGroupRows) return table;
  const kept = new Set([...table.groups.slice(0, maxGroupRows), allGroups]);
  return {
    ...table,
    groups: table.groups.slice(0, maxGroupRows),
    rows: table.rows.filter((row) => kept.has(row.group)),
  };
}

/** The `.tex` files of a report, by name (frequencies.tex beside frequencies.csv, …). */
export function reportLatexFiles(
  data: ReportData,
  cautions: Cautions,
  options: { caption: string; reliability: ReliabilityReport | undefined },
): Map<string, string> {
  const files = new Map<string, string>();
  // Tables of the final codes carry the machine primary's label; the reliability table (people's
  // agreement) does not.
  const put = (name: string, tables: PaperTable[]) =>
    files.set(name, latexTables(tables.map((table) => withCodedBy(table, data.machine_primary?.label))));
  put('frequencies.tex', [frequencyTable(data.frequencies, cautions, options.caption)]);
  const codes = data.codebook.codes.map((code) => code.id);
  const shown = codesForMatrix(codes, data.frequencies);
  const codesLeft = (file: string) =>
    leftOutNote(codes.length - shown.length, codes.length, 'codes (those with the fewest units)', file);
  for (const [field, table] of Object.entries(data.groups)) {
    const capped = cappedGroups(table);
    const notes = [
      codesLeft(`by-${field}.csv`),
      leftOutNote(
        table.groups.length - capped.groups.length,
        table.groups.length,
        'groups',
        `by-${field}.csv`,
      ),
    ].filter((note): note is string => note !== undefined);
    put(`by-${field}.tex`, [
      groupMatrixTable(capped, cautions, `Codes by ${field}: units (share of the group's units)`, {
        label: `tab:by-${field}`,
        ...(shown.length < codes.length ? { codes: new Set(shown) } : {}),
        ...(notes.length > 0 ? { leftOut: notes.join(' ') } : {}),
      }),
    ]);
  }
  put('cooccurrence.tex', [
    cooccurrenceTable(data.cooccurrence, shown, cautions, {
      ...(codesLeft('cooccurrence.csv') === undefined ? {} : { leftOut: codesLeft('cooccurrence.csv')! }),
    }),
  ]);
  put('exemplars.tex', [exemplarsTable(data.exemplars, cautions)]);
  put('triangulation.tex', [triangulationTable(data.triangulation, cautions)]);
  if (data.rhetoric)
    put('rhetoric.tex', [rhetoricTable(data.rhetoric.rows, data.rhetoric.category, cautions)]);
  if (options.reliability)
    files.set('reliability.tex', latexTables(reliabilityPaperTables(options.reliability)));
  return files;
}
