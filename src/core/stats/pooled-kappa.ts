import { COHEN_SINGLE_CATEGORY } from './cohen-kappa.js';
import {
  checkTable,
  columnMarginals,
  definedFigure,
  rowMarginals,
  tableDiagonal,
  tableTotal,
  undefinedFigure,
} from './table.js';
import type { AgreementTable, Figure } from './types.js';

/**
 * Pooled kappa over several codes (items): the κ of the average observed and average expected
 * agreement, not the average of per-code κs, so that codes whose own κ is undefined or unstable
 * (rare codes) still count.
 *
 *     κ_pooled = (p̄_o − p̄_e) / (1 − p̄_e),   p̄_o = 1/C Σ_c p_o,c,   p̄_e = 1/C Σ_c p_e,c
 *
 * with p_o,c and p_e,c the observed and Cohen's expected agreement of code c (unweighted means
 * over the C codes). De Vries, H., Elliott, M. N., Kanouse, D. E., & Teleki, S. S. (2008). Using
 * pooled kappa to summarize interrater agreement across many items. Field Methods, 20(3), 272–282.
 * Cost O(C × k²).
 *
 * Undefined (value null) when there is no table, a table is empty (n = 0), or p̄_e = 1 (in every
 * code both coders used one and the same category).
 *
 * @param tables one table per code (in this tool a 2×2 present/absent table); each k×k
 * @returns κ_pooled ≤ 1
 * @throws {RangeError} when a table is not square or holds a value that is not a count
 * @example pooledKappa([[[20, 5], [10, 15]], [[40, 9], [6, 45]]]) // { value: 0.5496397117694154 }
 */
export function pooledKappa(tables: readonly AgreementTable[]): Figure {
  if (!Array.isArray(tables)) throw new RangeError('expected an array of tables, one per code');
  if (tables.length === 0) return undefinedFigure('no codes: pooled kappa needs at least one table');
  let observedSum = 0;
  let expectedSum = 0;
  for (let code = 0; code < tables.length; code++) {
    const table = tables[code]!;
    checkTable(table);
    const units = tableTotal(table);
    if (units === 0) return undefinedFigure(`no units: the table of code ${code + 1} is empty (n = 0)`);
    const rows = rowMarginals(table);
    const columns = columnMarginals(table);
    let marginalProducts = 0;
    for (let category = 0; category < rows.length; category++)
      marginalProducts += rows[category]! * columns[category]!;
    observedSum += tableDiagonal(table) / units;
    expectedSum += marginalProducts / (units * units);
  }
  const observed = observedSum / tables.length;
  const expected = expectedSum / tables.length;
  if (expected === 1) return undefinedFigure(`${COHEN_SINGLE_CATEGORY}, in every code`);
  return definedFigure((observed - expected) / (1 - expected));
}
