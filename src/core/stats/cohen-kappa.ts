import { normalQuantile } from './normal.js';
import {
  checkTable,
  columnMarginals,
  definedFigure,
  NO_UNITS,
  rowMarginals,
  tableDiagonal,
  tableTotal,
  undefinedFigure,
} from './table.js';
import type { AgreementTable, Figure } from './types.js';

/** Reason given when Cohen's expected agreement is 1, so κ = (p_o − p_e)/(1 − p_e) has a zero denominator. */
export const COHEN_SINGLE_CATEGORY =
  'expected agreement is 1: both coders used a single category, the same one, for every unit';

/** Σ_i n_i. n_.i, the product of the two coders' marginals summed over the categories (n² p_e). */
function marginalProductSum(table: AgreementTable): number {
  const rows = rowMarginals(table);
  const columns = columnMarginals(table);
  let sum = 0;
  for (let category = 0; category < rows.length; category++) sum += rows[category]! * columns[category]!;
  return sum;
}

/**
 * Cohen's expected (chance) agreement: the agreement two coders would reach by chance, each
 * keeping their own distribution over the categories.
 *
 *     p_e = Σ_i p_i. p_.i      (p_i. row marginal of coder A, p_.i column marginal of coder B)
 *
 * Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
 * Measurement, 20(1), 37–46. Cost O(k²).
 *
 * @throws {RangeError} when the table is not square, holds a value that is not a count, or is empty (n = 0)
 * @example cohenExpectedAgreement([[20, 5], [10, 15]]) // 0.5
 */
export function cohenExpectedAgreement(table: AgreementTable): number {
  checkTable(table);
  const units = tableTotal(table);
  if (units === 0)
    throw new RangeError('expected agreement needs at least one unit: the table is empty (n = 0)');
  return marginalProductSum(table) / (units * units);
}

/**
 * Cohen's kappa (κ), chance-corrected agreement of two coders on a nominal scale.
 *
 *     κ = (p_o − p_e) / (1 − p_e),   p_o = Σ_i p_ii,   p_e = Σ_i p_i. p_.i
 *
 * computed from counts as (n Σ_i n_ii − Σ_i n_i. n_.i) / (n² − Σ_i n_i. n_.i), exact in integers up
 * to n ≈ 9·10⁷ and then rounded once. Cohen, J. (1960). A coefficient of agreement for nominal
 * scales. Educational and Psychological Measurement, 20(1), 37–46. Cost O(k²).
 *
 * Undefined (value null) when n = 0, or when p_e = 1: both coders put every unit in the same single
 * category, so chance explains all agreement and κ is 0/0.
 *
 * @param table k×k counts, rows coder A, columns coder B
 * @returns κ in [−1, 1] (−1 needs total disagreement with balanced marginals)
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 * @example cohenKappa([[20, 5], [10, 15]]) // { value: 0.4 }
 */
export function cohenKappa(table: AgreementTable): Figure {
  checkTable(table);
  const units = tableTotal(table);
  if (units === 0) return undefinedFigure(NO_UNITS);
  const chanceProducts = marginalProductSum(table);
  const denominator = units * units - chanceProducts;
  if (denominator === 0) return undefinedFigure(COHEN_SINGLE_CATEGORY);
  return definedFigure((units * tableDiagonal(table) - chanceProducts) / denominator);
}

/**
 * Large-sample standard error of Cohen's κ, not assuming κ = 0 (for confidence intervals), of
 * Fleiss, Cohen & Everitt (1969), the ASE of R `vcd::Kappa`, `psych::cohen.kappa`, statsmodels
 * `cohens_kappa(...).std_kappa` and SAS PROC FREQ:
 *
 *     Var(κ) = [ A + B − C ] / [ n (1 − p_e)² ]
 *     A = Σ_i p_ii [1 − (p_i. + p_.i)(1 − κ)]²
 *     B = (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)²
 *     C = [κ − p_e (1 − κ)]²
 *
 * Fleiss, J. L., Cohen, J., & Everitt, B. S. (1969). Large sample standard errors of kappa and
 * weighted kappa. Psychological Bulletin, 72(5), 323–327. Cost O(k²).
 *
 * Undefined when κ is (n = 0 or p_e = 1). It is 0 for perfect agreement (κ = 1), where the
 * large-sample approximation has nothing left to say.
 *
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 * @example cohenKappaStandardError([[20, 5], [10, 15]]) // { value: 0.12699606293110033 }
 */
export function cohenKappaStandardError(table: AgreementTable): Figure {
  const kappa = cohenKappa(table);
  if (kappa.value === null) return kappa;
  const units = tableTotal(table);
  const categories = table.length;
  const rowShares = rowMarginals(table).map((count) => count / units);
  const columnShares = columnMarginals(table).map((count) => count / units);
  let expected = 0;
  for (let category = 0; category < categories; category++) {
    expected += rowShares[category]! * columnShares[category]!;
  }
  const disagreementFactor = 1 - kappa.value;
  let diagonalTerm = 0;
  let offDiagonalTerm = 0;
  for (let row = 0; row < categories; row++) {
    for (let column = 0; column < categories; column++) {
      const share = table[row]![column]! / units;
      if (row === column) {
        const factor = 1 - (rowShares[row]! + columnShares[row]!) * disagreementFactor;
        diagonalTerm += share * factor * factor;
      } else {
        const marginalSum = columnShares[row]! + rowShares[column]!;
        offDiagonalTerm += share * marginalSum * marginalSum;
      }
    }
  }
  const correction = kappa.value - expected * disagreementFactor;
  const numerator =
    diagonalTerm + disagreementFactor * disagreementFactor * offDiagonalTerm - correction * correction;
  // Rounding can leave a tiny negative numerator when κ = 1; the variance is then 0.
  const variance = Math.max(0, numerator) / (units * (1 - expected) * (1 - expected));
  return definedFigure(Math.sqrt(variance));
}

/**
 * Wald confidence interval for Cohen's κ: κ ± z·SE, with SE the large-sample standard error of
 * Fleiss, Cohen & Everitt (1969) (see `cohenKappaStandardError`) and z = Φ⁻¹((1 + level)/2) the
 * exact normal quantile (AS 241). As in statsmodels, vcd and psych, the bounds are not clipped to
 * [−1, 1]: an upper bound above 1 says the approximation is poor, and a bootstrap interval is then
 * the better report. Cost O(k²).
 *
 * @param level confidence level, strictly between 0 and 1 (default 0.95)
 * @throws {RangeError} when the table is not square, holds a value that is not a count, or the level is not in (0, 1)
 * @example cohenKappaConfidenceInterval([[20, 5], [10, 15]]) // { low: { value: 0.15109229047666123 }, high: { value: 0.6489077095233389 } }
 */
export function cohenKappaConfidenceInterval(
  table: AgreementTable,
  level = 0.95,
): { low: Figure; high: Figure } {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`the confidence level must be strictly between 0 and 1, received ${level}`);
  }
  const kappa = cohenKappa(table);
  const standardError = cohenKappaStandardError(table);
  if (kappa.value === null) return { low: kappa, high: kappa };
  if (standardError.value === null) return { low: standardError, high: standardError };
  const halfWidth = normalQuantile((1 + level) / 2) * standardError.value;
  return { low: definedFigure(kappa.value - halfWidth), high: definedFigure(kappa.value + halfWidth) };
}
