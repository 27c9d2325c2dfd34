import { pooledShareVariance } from './scott-pi.js';
import {
  checkTable,
  checkUnitCounts,
  definedFigure,
  NO_UNITS,
  pooledMarginals,
  tableDiagonal,
  tableTotal,
  undefinedFigure,
} from './table.js';
import type { AgreementTable, Figure, UnitCategoryCounts } from './types.js';

/** Reason given when all pairable values are in one category: the expected disagreement D_e is 0. */
export const ALPHA_SINGLE_CATEGORY =
  'expected disagreement is 0: every pairable value is in a single category';

/** Reason given when no unit has two or more values. */
export const ALPHA_NOTHING_PAIRABLE = 'no pairable values: no unit was coded by two or more coders';

/**
 * Coincidence matrix of Krippendorff's alpha: o_ck counts the ordered pairs of values (c, k) found
 * in the same unit, each unit weighted by 1/(m_u − 1) so that it contributes its m_u values once.
 *
 *     o_ck = Σ_u n_uc (n_uk − [c = k]) / (m_u − 1),   m_u = Σ_c n_uc, over units with m_u ≥ 2
 *
 * Units with fewer than 2 values are not pairable and contribute nothing. The matrix is symmetric
 * and its total n = Σ_ck o_ck is the number of pairable values. Krippendorff, K. (2011).
 * Computing Krippendorff's alpha-reliability. Annenberg School for Communication, University of
 * Pennsylvania, section C (eq. for o_ck). Cost O(units × categories²).
 *
 * @param unitCounts per unit, how many coders put it in each category
 * @returns q×q matrix of (possibly fractional) pair counts
 * @throws {RangeError} when rows differ in length or hold a value that is not a count
 * @example coincidenceMatrix([[2, 0], [1, 1], [0, 1]]) // [[2, 1], [1, 0]]
 */
export function coincidenceMatrix(unitCounts: UnitCategoryCounts): number[][] {
  const categories = checkUnitCounts(unitCounts);
  const matrix: number[][] = [];
  for (let category = 0; category < categories; category++) matrix.push(new Array(categories).fill(0));
  for (const counts of unitCounts) {
    let values = 0;
    for (const count of counts) values += count;
    if (values < 2) continue;
    for (let first = 0; first < categories; first++) {
      const firstCount = counts[first]!;
      if (firstCount === 0) continue;
      for (let second = 0; second < categories; second++) {
        const pairs = firstCount * (counts[second]! - (first === second ? 1 : 0));
        if (pairs !== 0) matrix[first]![second]! += pairs / (values - 1);
      }
    }
  }
  return matrix;
}

/**
 * Krippendorff's alpha (α) for nominal data, any number of coders, missing values allowed.
 *
 *     α = 1 − D_o / D_e = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k
 *
 * with o_ck the coincidence matrix (see `coincidenceMatrix`), n_c = Σ_k o_ck and n = Σ_c n_c the
 * number of pairable values. Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
 * Annenberg School for Communication, University of Pennsylvania, section C; Krippendorff, K.
 * (2018). Content Analysis, 4th ed., ch. 12. Cost O(units × categories²).
 *
 * Undefined (value null) when no unit has 2 or more values, or when all pairable values are in one
 * category (D_e = 0).
 *
 * @param unitCounts per unit, how many coders put it in each category; rows may have different sums
 * @returns α ≤ 1
 * @throws {RangeError} when rows differ in length or hold a value that is not a count
 * @example krippendorffAlpha([[2, 0], [1, 1], [0, 2], [2, 0]]) // { value: 0.5333333333333333 }
 */
export function krippendorffAlpha(unitCounts: UnitCategoryCounts): Figure {
  const matrix = coincidenceMatrix(unitCounts);
  // n_c = Σ_k o_ck is the number of pairable values in category c, a whole number: summed from the
  // counts it is exact, which keeps the test D_e = 0 exact too.
  const categoryTotals: number[] = new Array(matrix.length).fill(0);
  for (const counts of unitCounts) {
    let values = 0;
    for (const count of counts) values += count;
    if (values < 2) continue;
    for (let category = 0; category < counts.length; category++)
      categoryTotals[category]! += counts[category]!;
  }
  let pairableValues = 0;
  let squaredCategoryTotals = 0;
  let agreeingPairs = 0;
  for (let category = 0; category < matrix.length; category++) {
    const total = categoryTotals[category]!;
    pairableValues += total;
    squaredCategoryTotals += total * total;
    agreeingPairs += matrix[category]![category]!;
  }
  if (pairableValues === 0) return undefinedFigure(ALPHA_NOTHING_PAIRABLE);
  const expectedDisagreements = pairableValues * pairableValues - squaredCategoryTotals;
  if (expectedDisagreements === 0) return undefinedFigure(ALPHA_SINGLE_CATEGORY);
  const disagreeingPairs = pairableValues - agreeingPairs;
  return definedFigure(1 - ((pairableValues - 1) * disagreeingPairs) / expectedDisagreements);
}

/**
 * Krippendorff's alpha (α) for nominal data from the table of two coders without missing values:
 * every unit has two values, so the coincidences are o_cc = 2 n_cc, o_ck = n_ck + n_kc, with
 * n_c = n_c. + n_.c and 2n pairable values:
 *
 *     α = 1 − (2n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k = 1 − (2n − 1) · 2(n − Σ_c n_cc) / (4n² − Σ_c n_c²)
 *
 * exact in integers up to n ≈ 4·10⁷. Krippendorff, K. (2011). Computing Krippendorff's
 * alpha-reliability, section A (binary data, two observers). Cost O(k²).
 *
 * Undefined (value null) when n = 0, or when every rating of both coders is in one category.
 *
 * @param table k×k counts, rows coder A, columns coder B
 * @returns α ≤ 1
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 * @example krippendorffAlphaFromTable([[5, 3], [1, 1]]) // { value: 0.09523809523809523 }
 */
export function krippendorffAlphaFromTable(table: AgreementTable): Figure {
  checkTable(table);
  const units = tableTotal(table);
  if (units === 0) return undefinedFigure(NO_UNITS);
  let squaredCategoryTotals = 0;
  for (const values of pooledMarginals(table)) squaredCategoryTotals += values * values;
  const expectedDisagreements = 4 * units * units - squaredCategoryTotals;
  if (expectedDisagreements === 0) return undefinedFigure(ALPHA_SINGLE_CATEGORY);
  const disagreeingPairs = 2 * (units - tableDiagonal(table));
  return definedFigure(1 - ((2 * units - 1) * disagreeingPairs) / expectedDisagreements);
}

/**
 * Standard error of Krippendorff's α for two raters without missing values, conditional on the
 * raters, as irrCAC's `krippen2.table` computes it (Gwet 2014, ch. 5): the variance of Scott's π
 * on the same table (`pooledShareVariance`), since α = 1 − (1 − 1/(2n))(1 − π) differs from π by a
 * factor of order 1/n in its chance-corrected part. irrCAC cont3x3abstractors: 0.05905473. Cost O(k²).
 *
 * @returns SE ≥ 0; null when α is undefined
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 */
export function krippendorffAlphaStandardError(table: AgreementTable): Figure {
  const alpha = krippendorffAlphaFromTable(table);
  if (alpha.value === null) return alpha;
  return definedFigure(Math.sqrt(pooledShareVariance(table)!));
}
