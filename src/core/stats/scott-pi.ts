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

/**
 * The variance of a chance-corrected coefficient of two raters whose chance agreement comes from
 * the pooled shares π_k (Scott's π and, in irrCAC, Krippendorff's α), conditional on the two
 * raters (Gwet 2014, ch. 5; irrCAC `scott2.table`):
 *
 *     v = [Σ_kl p_kl (δ_kl − (1 − c)(π_k + π_l))² − (p_a − 2(1 − c) p_e)²] / (n (1 − p_e)²)
 *
 * with c the coefficient computed with p_a, p_e = Σ_k π_k². Returns null when n = 0 or p_e = 1.
 */
export function pooledShareVariance(table: AgreementTable): number | null {
  checkTable(table);
  const units = tableTotal(table);
  if (units === 0) return null;
  const shares = pooledMarginals(table).map((count) => count / (2 * units));
  let expected = 0;
  for (const share of shares) expected += share * share;
  if (expected >= 1) return null;
  const observed = tableDiagonal(table) / units;
  const coefficient = (observed - expected) / (1 - expected);
  let sum = 0;
  for (let row = 0; row < table.length; row++) {
    for (let column = 0; column < table.length; column++) {
      const cell = table[row]![column]!;
      if (cell === 0) continue;
      const term = (row === column ? 1 : 0) - (1 - coefficient) * (shares[row]! + shares[column]!);
      sum += (cell / units) * term * term;
    }
  }
  const correction = observed - 2 * (1 - coefficient) * expected;
  return Math.max(0, sum - correction * correction) / (units * (1 - expected) * (1 - expected));
}

/**
 * Standard error of Scott's π for two raters, conditional on the raters: the square root of
 * `pooledShareVariance`. Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., ch. 5;
 * irrCAC `scott2.table` (cont3x3abstractors: 0.05905473). Cost O(k²).
 *
 * @returns SE ≥ 0; null when π is undefined
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 */
export function scottPiStandardError(table: AgreementTable): Figure {
  const pi = scottPi(table);
  if (pi.value === null) return pi;
  return definedFigure(Math.sqrt(pooledShareVariance(table)!));
}
