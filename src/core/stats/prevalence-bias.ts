import { checkBinaryTable, definedFigure, NO_UNITS, tableTotal, undefinedFigure } from './table.js';
import type { AgreementTable, Figure } from './types.js';

/**
 * Prevalence index of a 2×2 table [[a, b], [c, d]] (index 0 = code present, 1 = absent; rows coder
 * A, columns coder B):
 *
 *     PI = (a − d) / n
 *
 * Sign: positive when the coders agree more often on "present" than on "absent" (the code is
 * frequent), negative when they agree more often on "absent" (the code is rare, the usual case
 * for a code in content analysis); |PI| near 1 is where κ falls far below p_o. Swapping the coders
 * leaves PI unchanged. Byrt, T., Bland, J., & Carlin, J. B. (1993). Bias, prevalence and kappa.
 * Journal of Clinical Epidemiology, 46(5), 423–429. Cost O(1).
 *
 * @returns PI in [−1, 1]; null when n = 0
 * @throws {RangeError} when the table is not 2×2 or holds a value that is not a count
 * @example prevalenceIndex([[80, 10], [5, 5]]) // { value: 0.75 }
 */
export function prevalenceIndex(table2x2: AgreementTable): Figure {
  checkBinaryTable(table2x2, 'the prevalence index');
  const units = tableTotal(table2x2);
  if (units === 0) return undefinedFigure(NO_UNITS);
  return definedFigure((table2x2[0]![0]! - table2x2[1]![1]!) / units);
}

/**
 * Bias index of a 2×2 table [[a, b], [c, d]] (index 0 = code present, 1 = absent; rows coder A,
 * columns coder B):
 *
 *     BI = (b − c) / n
 *
 * the difference between the two coders' rates of "present": (a + b)/n − (a + c)/n. Sign: positive
 * when coder A (rows) assigns the code more often than coder B (columns), negative when B does;
 * swapping the coders flips the sign, and |BI| is the size of the bias. Byrt, T., Bland, J., &
 * Carlin, J. B. (1993). Bias, prevalence and kappa. Journal of Clinical Epidemiology, 46(5),
 * 423–429. Cost O(1).
 *
 * @returns BI in [−1, 1]; null when n = 0
 * @throws {RangeError} when the table is not 2×2 or holds a value that is not a count
 * @example biasIndex([[25, 35], [5, 35]]) // { value: 0.3 }
 */
export function biasIndex(table2x2: AgreementTable): Figure {
  checkBinaryTable(table2x2, 'the bias index');
  const units = tableTotal(table2x2);
  if (units === 0) return undefinedFigure(NO_UNITS);
  return definedFigure((table2x2[0]![1]! - table2x2[1]![0]!) / units);
}
