import { checkUnitCounts, definedFigure, NO_UNITS, undefinedFigure } from './table.js';
import type { Figure, UnitCategoryCounts } from './types.js';

/** Reason given when every rating is in one category, so Fleiss' κ has a zero denominator. */
export const FLEISS_SINGLE_CATEGORY = 'expected agreement is 1: every rating is in a single category';

/**
 * Fleiss' kappa (κ) for m ≥ 2 coders per unit (the coders may differ from unit to unit, but each
 * unit has the same number m of ratings).
 *
 *     P_i = (Σ_j n_ij² − m) / (m (m − 1)),   P̄ = 1/N Σ_i P_i
 *     p_j = 1/(N m) Σ_i n_ij,                 P̄_e = Σ_j p_j²
 *     κ = (P̄ − P̄_e) / (1 − P̄_e)
 *
 * Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
 * Bulletin, 76(5), 378–382. Computed from counts as (A N m − S (m − 1)) / ((m − 1)(N² m² − S)) with
 * A = Σ_i (Σ_j n_ij² − m) and S = Σ_j (Σ_i n_ij)², exact in integers while N² m³ < 2⁵³. For m = 2 it
 * equals Scott's π. Cost O(N × categories).
 *
 * Undefined (value null) when there is no unit, or when every rating is in one category (P̄_e = 1).
 *
 * @param unitCounts per unit, how many coders put it in each category; every row sums to the same m ≥ 2
 * @returns κ ≤ 1
 * @throws {RangeError} when rows differ in length, hold a value that is not a count, or do not all
 *   sum to the same m ≥ 2 (use Krippendorff's α for missing data)
 * @example fleissKappa([[3, 0], [2, 1], [0, 3], [3, 0]]) // { value: 0.625 }
 */
export function fleissKappa(unitCounts: UnitCategoryCounts): Figure {
  const categories = checkUnitCounts(unitCounts);
  const units = unitCounts.length;
  if (units === 0) return undefinedFigure(NO_UNITS);
  let coders = -1;
  for (let unit = 0; unit < units; unit++) {
    let ratings = 0;
    for (const count of unitCounts[unit]!) ratings += count;
    if (coders === -1) coders = ratings;
    if (ratings !== coders || ratings < 2) {
      throw new RangeError(
        `Fleiss' kappa needs the same number (≥ 2) of ratings on every unit: unit 1 has ${coders}, ` +
          `unit ${unit + 1} has ${ratings}; use Krippendorff's alpha when ratings are missing`,
      );
    }
  }
  let agreementSum = 0;
  const categoryTotals: number[] = new Array(categories).fill(0);
  for (const counts of unitCounts) {
    let squares = 0;
    for (let category = 0; category < categories; category++) {
      const count = counts[category]!;
      squares += count * count;
      categoryTotals[category]! += count;
    }
    agreementSum += squares - coders;
  }
  const ratings = units * coders;
  let squaredTotals = 0;
  for (const total of categoryTotals) squaredTotals += total * total;
  // P̄_e = Σ_j T_j² / (N m)²; it is 1 exactly when one category holds every rating.
  const expectedComplement = ratings * ratings - squaredTotals;
  if (expectedComplement === 0) return undefinedFigure(FLEISS_SINGLE_CATEGORY);
  // κ multiplied through by N² m² (m − 1): whole numbers, so one rounding at the end.
  return definedFigure(
    (agreementSum * ratings - squaredTotals * (coders - 1)) / ((coders - 1) * expectedComplement),
  );
}
