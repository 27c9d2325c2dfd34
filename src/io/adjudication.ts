/** Reading and writing `annotations/adjudication.csv`. */
import { InputError } from '../errors.js';
import {
  type AdjudicationRecord,
  adjudicationHeader,
  type Decision,
  decisions,
} from '../schema/adjudication.js';
import { exists } from './atomic.js';
import { scanCsv } from './csv-scan.js';
import { csvLine, restoreFormula } from './csv-write.js';

export async function readAdjudication(file: string, shownAs: string): Promise<AdjudicationRecord[]> {
  if (!(await exists(file))) return [];
  const records: AdjudicationRecord[] = [];
  let columns: Record<string, number> = {};
  await scanCsv(file, {
    shownAs,
    onHeader(header) {
      const missing = adjudicationHeader.filter((name) => !header.includes(name));
      if (missing.length > 0) {
        throw new InputError(`the adjudication file lacks the columns ${missing.join(', ')}`, {
          location: { file: shownAs, line: 1 },
        });
      }
      columns = Object.fromEntries(header.map((name, index) => [name, index]));
    },
    onRow(fields, line) {
      // The file is written with formulas neutralised (it may be opened in a spreadsheet): undo it.
      const field = (name: (typeof adjudicationHeader)[number]): string =>
        restoreFormula(fields[columns[name]!]!);
      const decision = field('decision') as Decision;
      if (!(decisions as readonly string[]).includes(decision)) {
        throw new InputError(`decision "${decision}" is not one of ${decisions.join(', ')}`, {
          location: { file: shownAs, line },
        });
      }
      records.push({
        unitId: field('unit_id'),
        decision,
        codes: field('codes')
          .split(/\s+/)
          .filter((code) => code !== ''),
        coderA: field('coder_a'),
        coderB: field('coder_b'),
        decidedBy: field('decided_by'),
        decidedAt: field('decided_at'),
        rationale: field('rationale'),
      });
    },
  });
  return records;
}

/** The file's text: one row per unit, in the order given (corpus order). */
export function adjudicationText(records: readonly AdjudicationRecord[]): string {
  return (
    csvLine(adjudicationHeader) +
    records
      .map((record) =>
        csvLine([
          record.unitId,
          record.decision,
          record.codes.join(' '),
          record.coderA,
          record.coderB,
          record.decidedBy,
          record.decidedAt,
          record.rationale,
        ]),
      )
      .join('')
  );
}
