import { checkTable, tableDiagonal, tableTotal } from './table.js';
import type { AgreementTable } from './types.js';

/**
 * Observed agreement (percent agreement as a proportion): the share of units both coders put in
 * the same category.
 *
 *     p_o = Σ_i p_ii = (Σ_i n_ii) / n
 *
 * Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
 * Measurement, 20(1), 37–46 (where it is p_o). Cost O(k²).
 *
 * @param table k×k counts, rows coder A, columns coder B
 * @returns a proportion in [0, 1]
 * @throws {RangeError} when the table is not square, holds a value that is not a count, or is empty
 *   (n = 0, where no proportion exists)
 * @example observedAgreement([[20, 5], [10, 15]]) // 0.7
 */
export function observedAgreement(table: AgreementTable): number {
  checkTable(table);
  const units = tableTotal(table);
  if (units === 0)
    throw new RangeError('observed agreement needs at least one unit: the table is empty (n = 0)');
  return tableDiagonal(table) / units;
}
