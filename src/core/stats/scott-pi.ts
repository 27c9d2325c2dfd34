import {
  checkTable,
  definedFigure,
  NO_UNITS,
  pooledMarginals,
  tableDiagonal,
  tableTotal,
  undefinedFigure,
} from './table.js';
import type { AgreementTable, Figure } from './types.js';

/** Reason given when every rating of both coders is in one category, so π has a zero denominator. */
export const POOLED_SINGLE_CATEGORY =
  'expected agreement is 1: every rating of both coders is in a single category';

/**
 * Scott's pi (π), chance-corrected agreement of two coders whose chance agreement is computed from
 * the pooled distribution of both coders' ratings (the coders are assumed to share one
 * distribution).
 *
 *     π = (p_o − p_e) / (1 − p_e),   p_o = Σ_i p_ii,   p_e = Σ_i ((p_i. + p_.i) / 2)²
 *
 * computed from counts as (4n Σ_i n_ii − Σ_i m_i²) / (4n² − Σ_i m_i²) with m_i = n_i. + n_.i.
 * Scott, W. A. (1955). Reliability of content analysis: the case of nominal scale coding. Public
 * Opinion Quarterly, 19(3), 321–325. Cost O(k²).
 *
 * Undefined (value null) when n = 0, or when p_e = 1: every rating of both coders is in one category.
 *
 * @param table k×k counts, rows coder A, columns coder B
 * @returns π ≤ 1
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 * @example scottPi([[20, 5], [10, 15]]) // { value: 0.3939393939393939 }
 */
export function scottPi(table: AgreementTable): Figure {
  checkTable(table);
  const units = tableTotal(table);
  if (units === 0) return undefinedFigure(NO_UNITS);
  let pooledSquares = 0;
  for (const pooled of pooledMarginals(table)) pooledSquares += pooled * pooled;
  const denominator = 4 * units * units - pooledSquares;
  if (denominator === 0) return undefinedFigure(POOLED_SINGLE_CATEGORY);
  return definedFigure((4 * units * tableDiagonal(table) - pooledSquares) / denominator);
}
