import {
  checkBinaryTable,
  checkTable,
  definedFigure,
  NO_UNITS,
  tableDiagonal,
  tableTotal,
  undefinedFigure,
} from './table.js';
import type { AgreementTable, Figure } from './types.js';

/** Reason given when a table has fewer than two categories, where 1 − 1/q = 0. */
export const BP_ONE_CATEGORY = 'fewer than 2 categories: chance agreement 1/q is 1';

/**
 * Brennan–Prediger kappa (κ_n, free-marginal kappa; Bennett, Alpert & Goldstein's S for the same
 * q): chance agreement is 1/q, as if coders chose among the q categories uniformly.
 *
 *     κ_BP = (p_o − 1/q) / (1 − 1/q) = (q p_o − 1) / (q − 1)
 *
 * with q the number of categories of the table, used or not. Brennan, R. L., & Prediger, D. J.
 * (1981). Coefficient kappa: some uses, misuses, and alternatives. Educational and Psychological
 * Measurement, 41(3), 687–699; Bennett, E. M., Alpert, R., & Goldstein, A. C. (1954). Public Opinion
 * Quarterly, 18(3), 303–308. Cost O(k²).
 *
 * @param table k×k counts, rows coder A, columns coder B
 * @returns κ_BP in [−1/(q − 1), 1]; null when n = 0 or q < 2
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 * @example brennanPrediger([[20, 5], [10, 15]]) // { value: 0.4 }
 */
export function brennanPrediger(table: AgreementTable): Figure {
  const categories = checkTable(table);
  const units = tableTotal(table);
  if (units === 0) return undefinedFigure(NO_UNITS);
  if (categories < 2) return undefinedFigure(BP_ONE_CATEGORY);
  return definedFigure((categories * tableDiagonal(table) - units) / ((categories - 1) * units));
}

/**
 * Prevalence-adjusted bias-adjusted kappa (PABAK) of a 2×2 table: κ with the table's prevalence
 * and bias removed, which for two categories is
 *
 *     PABAK = 2 p_o − 1
 *
 * (equal to Brennan–Prediger's κ for q = 2). Byrt, T., Bland, J., & Carlin, J. B. (1993). Bias,
 * prevalence and kappa. Journal of Clinical Epidemiology, 46(5), 423–429. Cost O(1).
 *
 * @param table2x2 [[a, b], [c, d]]: a both coders present, d both absent
 * @returns PABAK in [−1, 1]; null when n = 0
 * @throws {RangeError} when the table is not 2×2 or holds a value that is not a count
 * @example pabak([[20, 5], [10, 15]]) // { value: 0.4 }
 */
export function pabak(table2x2: AgreementTable): Figure {
  checkBinaryTable(table2x2, 'PABAK');
  const units = tableTotal(table2x2);
  if (units === 0) return undefinedFigure(NO_UNITS);
  return definedFigure((2 * tableDiagonal(table2x2) - units) / units);
}

/**
 * Standard error of Brennan–Prediger's κ for two raters, conditional on the raters (Gwet 2014,
 * ch. 5; irrCAC `bp2.table`): chance agreement 1/q is fixed, so only p_o varies,
 *
 *     v = p_o (1 − p_o) / (n (1 − 1/q)²)
 *
 * irrCAC cont3x3abstractors: 0.04693346. Cost O(k²).
 *
 * @returns SE ≥ 0; null when κ_BP is undefined
 * @throws {RangeError} when the table is not square or holds a value that is not a count
 */
export function brennanPredigerStandardError(table: AgreementTable): Figure {
  const bp = brennanPrediger(table);
  if (bp.value === null) return bp;
  const units = tableTotal(table);
  const observed = tableDiagonal(table) / units;
  const chanceComplement = 1 - 1 / table.length;
  return definedFigure(
    Math.sqrt((observed * (1 - observed)) / (units * chanceComplement * chanceComplement)),
  );
}
