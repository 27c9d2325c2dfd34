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

/** Reason given when AC1 has fewer than two categories, where its chance agreement 1/(q − 1) Σ … divides by 0. */
export const AC1_ONE_CATEGORY = 'fewer than 2 categories: chance agreement of AC1 divides by q − 1 = 0';

/** Reason given when no unit has two or more ratings. */
export const AC1_NOTHING_PAIRABLE = 'no unit was rated by two or more coders: no agreement can be observed';

/**
 * Gwet's first-order agreement coefficient (AC1) of two coders, from their k×k table.
 *
 *     AC1 = (p_a − p_e) / (1 − p_e),   p_a = Σ_k p_kk,
 *     p_e = 1/(q − 1) Σ_k π_k (1 − π_k),   π_k = (n_k. + n_.k) / 2n
 *
 * with q the number of categories of the table (rows), used or not. Computed from counts as
 * (4n(q − 1) Σ_k n_kk − S) / (4n²(q − 1) − S), S = Σ_k m_k (2n − m_k), m_k = n_k. + n_.k.
 * Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of high
 * agreement. British Journal of Mathematical and Statistical Psychology, 61(1), 29–48; Gwet, K. L.
 * (2014). Handbook of Inter-Rater Reliability, 4th ed., ch. 4. Cost O(k²).
 *
 * p_e ≤ 1/q, so AC1 is defined whenever n > 0 and q ≥ 2.
 *
 * @param table k×k counts, rows coder A, columns coder B
 * @returns AC1 ≤ 1
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 * @example gwetAc1FromTable([[20, 5], [10, 15]]) // { value: 0.40594059405940597 }
 */
export function gwetAc1FromTable(table: AgreementTable): Figure {
  const categories = checkTable(table);
  const units = tableTotal(table);
  if (units === 0) return undefinedFigure(NO_UNITS);
  if (categories < 2) return undefinedFigure(AC1_ONE_CATEGORY);
  let chanceSum = 0;
  for (const values of pooledMarginals(table)) chanceSum += values * (2 * units - values);
  const scale = 4 * units * (categories - 1);
  return definedFigure((scale * tableDiagonal(table) - chanceSum) / (scale * units - chanceSum));
}

/**
 * Gwet's AC1 for any number of coders, missing ratings allowed (unit-level form of Gwet 2008,
 * eqs. 17–18, extended to missing data in Gwet 2014, the form of irrCAC `gwet.ac1.raw`):
 *
 *     p_a = 1/n' Σ_{i: r_i ≥ 2} Σ_k r_ik (r_ik − 1) / (r_i (r_i − 1))
 *     π_k = 1/n Σ_{i: r_i ≥ 1} r_ik / r_i
 *     p_e = 1/(q − 1) Σ_k π_k (1 − π_k),   AC1 = (p_a − p_e) / (1 − p_e)
 *
 * with r_ik the number of coders who put unit i in category k, r_i = Σ_k r_ik, n' the number of
 * units with r_i ≥ 2, n the number with r_i ≥ 1, and q the number of categories (columns).
 * Gwet, K. L. (2008), British Journal of Mathematical and Statistical Psychology, 61(1), 29–48;
 * Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., ch. 4. Cost O(units × q).
 *
 * Undefined (value null) when q < 2, or when no unit has 2 or more ratings.
 *
 * @param unitCounts per unit, how many coders put it in each category; rows may have different sums
 * @returns AC1 ≤ 1
 * @throws {RangeError} when rows differ in length or hold a value that is not a count
 * @example gwetAc1([[2, 0], [1, 1], [0, 2], [2, 0]]) // { value: 0.5294117647058824 }
 */
export function gwetAc1(unitCounts: UnitCategoryCounts): Figure {
  const categories = checkUnitCounts(unitCounts);
  if (unitCounts.length === 0) return undefinedFigure(NO_UNITS);
  if (categories < 2) return undefinedFigure(AC1_ONE_CATEGORY);
  let agreementSum = 0;
  let pairableUnits = 0;
  let ratedUnits = 0;
  const categoryShareSums: number[] = new Array(categories).fill(0);
  for (const counts of unitCounts) {
    let ratings = 0;
    for (const count of counts) ratings += count;
    if (ratings === 0) continue;
    ratedUnits++;
    for (let category = 0; category < categories; category++) {
      categoryShareSums[category]! += counts[category]! / ratings;
    }
    if (ratings < 2) continue;
    pairableUnits++;
    let agreeingPairs = 0;
    for (const count of counts) agreeingPairs += count * (count - 1);
    agreementSum += agreeingPairs / (ratings * (ratings - 1));
  }
  if (pairableUnits === 0) return undefinedFigure(AC1_NOTHING_PAIRABLE);
  const observed = agreementSum / pairableUnits;
  let chanceSum = 0;
  for (const shareSum of categoryShareSums) {
    const share = shareSum / ratedUnits;
    chanceSum += share * (1 - share);
  }
  const expected = chanceSum / (categories - 1);
  return definedFigure((observed - expected) / (1 - expected));
}

/**
 * Standard error of Gwet's AC1 for two raters, conditional on the raters (Gwet 2008, eq. 37 for
 * unweighted data; Gwet 2014, ch. 5; irrCAC `gwet.ac1.table`):
 *
 *     v = [Σ_kl p_kl (δ_kl − 2(1 − AC1)(1 − (π_k + π_l)/2)/(q − 1))² − (p_a − 2(1 − AC1) p_e)²] / (n (1 − p_e)²)
 *
 * with π_k the pooled shares, p_e = Σ_k π_k(1 − π_k)/(q − 1), q the number of categories of the
 * table. irrCAC cont3x3abstractors: 0.04321747. Cost O(k²).
 *
 * @returns SE ≥ 0; null when AC1 is undefined
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 */
export function gwetAc1StandardError(table: AgreementTable): Figure {
  const ac1 = gwetAc1FromTable(table);
  if (ac1.value === null) return ac1;
  const categories = table.length;
  const units = tableTotal(table);
  const shares = pooledMarginals(table).map((count) => count / (2 * units));
  let chance = 0;
  for (const share of shares) chance += share * (1 - share);
  const expected = chance / (categories - 1);
  const observed = tableDiagonal(table) / units;
  let sum = 0;
  for (let row = 0; row < categories; row++) {
    for (let column = 0; column < categories; column++) {
      const cell = table[row]![column]!;
      if (cell === 0) continue;
      const term =
        (row === column ? 1 : 0) -
        (2 * (1 - ac1.value) * (1 - (shares[row]! + shares[column]!) / 2)) / (categories - 1);
      sum += (cell / units) * term * term;
    }
  }
  const correction = observed - 2 * (1 - ac1.value) * expected;
  return definedFigure(
    Math.sqrt(Math.max(0, sum - correction * correction) / (units * (1 - expected) * (1 - expected))),
  );
}
