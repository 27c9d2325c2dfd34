/**
 * Gwet's generalisation of Fleiss' κ to missing ratings, with its variance (Gwet 2014, ch. 2 and
 * 5; irrCAC `fleiss.kappa.raw`): every unit may have its own number of ratings r_i.
 */
import { checkUnitCounts, definedFigure, NO_UNITS, undefinedFigure } from './table.js';
import type { Figure, UnitCategoryCounts } from './types.js';

/** Reason given when no unit has two or more ratings. */
export const FLEISS_NOTHING_PAIRABLE =
  'no unit was rated by two or more coders: no agreement can be observed';
/** Reason given when the expected agreement is 1. */
export const FLEISS_MISSING_SINGLE_CATEGORY = 'expected agreement is 1: every rating is in a single category';

export interface FleissKappaMissing {
  kappa: Figure;
  /** Standard error conditional on the coders, from the linearised unit contributions (n ≥ 2). */
  se: Figure;
  /** Units with at least one rating (n), and with two or more (n′). */
  units: number;
  pairableUnits: number;
  observed: number | null;
  expected: number | null;
}

/**
 * Fleiss' κ with missing ratings (Gwet 2014; irrCAC `fleiss.kappa.raw`, unweighted):
 *
 *     p_a = 1/n′ Σ_{i: r_i ≥ 2} Σ_k r_ik (r_ik − 1) / (r_i (r_i − 1))
 *     π_k = 1/n Σ_i r_ik / r_i,   p_e = Σ_k π_k²,   κ = (p_a − p_e) / (1 − p_e)
 *
 * with r_ik the coders who put unit i in category k, r_i = Σ_k r_ik, n the units with r_i ≥ 1
 * (units without a rating are skipped) and n′ those with r_i ≥ 2. With the same r on every unit it
 * is Fleiss' (1971) κ. Its variance, conditional on the coders, is
 *
 *     v = 1/(n (n − 1)) Σ_i (κ*_i − κ)²,
 *     κ*_i = (n/n′)(p_a|i − p_e [r_i ≥ 2]) / (1 − p_e) − 2 (1 − κ)(p_e|i − p_e) / (1 − p_e),
 *     p_a|i = Σ_k r_ik (r_ik − 1) / (r_i (r_i − 1)) (0 when r_i < 2),  p_e|i = Σ_k r_ik π_k / r_i.
 *
 * Cost O(units × categories).
 *
 * @param unitCounts per unit, how many coders put it in each category; rows may have different sums
 * @throws {RangeError} when rows differ in length or hold a value that is not a count
 * @example fleissKappaMissing([[3, 0], [2, 1], [0, 3], [3, 0]]).kappa // { value: 0.625 }
 */
export function fleissKappaMissing(unitCounts: UnitCategoryCounts): FleissKappaMissing {
  const categories = checkUnitCounts(unitCounts);
  const rows = unitCounts.filter((counts) => counts.some((count) => count > 0));
  const units = rows.length;
  const result = (
    kappa: Figure,
    se: Figure,
    pairableUnits = 0,
    observed: number | null = null,
    expected: number | null = null,
  ): FleissKappaMissing => ({ kappa, se, units, pairableUnits, observed, expected });
  if (units === 0) return result(undefinedFigure(NO_UNITS), undefinedFigure(NO_UNITS));
  const ratingsOf = rows.map((counts) => counts.reduce((sum, count) => sum + count, 0));
  const agreementOf = rows.map((counts, unit) => {
    const ratings = ratingsOf[unit]!;
    if (ratings < 2) return 0;
    let pairs = 0;
    for (const count of counts) pairs += count * (count - 1);
    return pairs / (ratings * (ratings - 1));
  });
  let pairableUnits = 0;
  let agreementSum = 0;
  const shares: number[] = new Array(categories).fill(0);
  for (const [unit, counts] of rows.entries()) {
    const ratings = ratingsOf[unit]!;
    for (let category = 0; category < categories; category++)
      shares[category]! += counts[category]! / ratings / units;
    if (ratings >= 2) {
      pairableUnits++;
      agreementSum += agreementOf[unit]!;
    }
  }
  if (pairableUnits === 0)
    return result(undefinedFigure(FLEISS_NOTHING_PAIRABLE), undefinedFigure(FLEISS_NOTHING_PAIRABLE));
  const observed = agreementSum / pairableUnits;
  let expected = 0;
  for (const share of shares) expected += share * share;
  // p_e = 1 exactly when one category holds every rating; tested on the counts, not on p_e.
  if (shares.filter((share) => share > 0).length <= 1) {
    const reason = undefinedFigure(FLEISS_MISSING_SINGLE_CATEGORY);
    return result(reason, reason, pairableUnits, observed, expected);
  }
  const kappa = (observed - expected) / (1 - expected);
  let se: Figure = undefinedFigure('the standard error needs n ≥ 2 units');
  if (units >= 2) {
    let squares = 0;
    for (const [unit, counts] of rows.entries()) {
      const ratings = ratingsOf[unit]!;
      let unitChance = 0;
      for (let category = 0; category < categories; category++)
        unitChance += (counts[category]! * shares[category]!) / ratings;
      const unitKappa =
        ((units / pairableUnits) * (agreementOf[unit]! - (ratings >= 2 ? expected : 0))) / (1 - expected);
      const linearised = unitKappa - (2 * (1 - kappa) * (unitChance - expected)) / (1 - expected);
      squares += (linearised - kappa) ** 2;
    }
    se = definedFigure(Math.sqrt(squares / (units * (units - 1))));
  }
  return result(definedFigure(kappa), se, pairableUnits, observed, expected);
}
