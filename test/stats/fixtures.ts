/**
 * Published tables and data sets used by the statistics tests, each with its source, and small
 * helpers. Reference values are pinned in the test files, next to the call that produced them.
 */
import { expect } from 'vitest';
import type { AgreementTable, Figure } from '../../src/core/stats/types.js';

/**
 * Fleiss, Cohen & Everitt (1969), Psychological Bulletin 72(5), 323–327: two psychiatrists,
 * 200 patients, 3 diagnostic categories (their proportions × 200; the table of R psych's
 * `?cohen.kappa` example `fleiss`). Published unweighted κ = .429.
 */
export const fleissCohenEveritt1969: AgreementTable = [
  [106, 10, 4],
  [22, 28, 10],
  [2, 12, 6],
];

/**
 * SAS PROC FREQ / AGREE example used by statsmodels' test suite (`table10` in
 * statsmodels/stats/tests/test_inter_rater.py), with the SAS printout κ = 0.4842, ASE = 0.1380,
 * 95% CI 0.2137–0.7547.
 */
export const sasExample: AgreementTable = [
  [0, 4, 1],
  [0, 8, 0],
  [0, 1, 5],
];

/**
 * Feinstein, A. R., & Cicchetti, D. V. (1990). High agreement but low kappa: I. The problems of two
 * paradoxes. Journal of Clinical Epidemiology, 43(6), 543–549; the tables discussed by Byrt, Bland
 * & Carlin (1993). Index 0 = present. (a) and (b): p_o = .85, κ = .70 and .32 (prevalence);
 * (c) and (d): p_o = .60, κ = .13 and .26 (bias).
 */
export const feinsteinCicchetti = {
  a: [
    [40, 9],
    [6, 45],
  ],
  b: [
    [80, 10],
    [5, 5],
  ],
  c: [
    [45, 15],
    [25, 15],
  ],
  d: [
    [25, 35],
    [5, 35],
  ],
} as const satisfies Record<string, AgreementTable>;

/**
 * Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability, section A: binary data, two
 * observers, 10 units (Ben: 0 1 0 0 0 0 0 0 1 0, Gerry: 1 1 1 0 0 1 0 0 0 0) as a table, rows Ben,
 * index 0 = value 0.
 * Published α = 0.095.
 */
export const krippendorffBinary: AgreementTable = [
  [5, 3],
  [1, 1],
];

/**
 * Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed.: 100 pregnant women classified
 * by two abstractors as ectopic, abnormal intrauterine, normal intrauterine (irrCAC dataset
 * `cont3x3abstractors`). AC1 = 0.849, as irrCAC `gwet.ac1.table` prints it and the test suite of
 * its Python port asserts (afergadis/irrCAC, test/unit/irrCAC/table/test_gwet.py).
 */
export const gwetAbstractors: AgreementTable = [
  [13, 0, 0],
  [0, 20, 7],
  [0, 4, 56],
];

/**
 * irrCAC dataset `cont4x4diagnosis` (Gwet): 223 psychiatric patients by clinical and research
 * diagnosis, 4 categories. AC1 = 0.456, asserted by afergadis/irrCAC
 * test/unit/irrCAC/table/test_gwet.py.
 */
export const gwetDiagnosis: AgreementTable = [
  [40, 4, 4, 17],
  [6, 25, 2, 13],
  [4, 1, 21, 12],
  [15, 5, 9, 45],
];

/**
 * Krippendorff (2011), section C: 4 observers, 12 units, nominal values 1–5, missing data
 * (A: 1 2 3 3 2 1 4 1 2 . . . ; B: 1 2 3 3 2 2 4 1 2 5 . 3 ; C: . 3 3 3 2 3 4 2 2 5 1 . ;
 * D: 1 2 3 3 2 4 4 1 2 5 1 .), also Gwet (2014, p. 120) `cac.raw4raters`. Per unit, the number
 * of observers giving each value 1…5. Published α = 0.743 (Krippendorff 2011); AC1 0.77544 with
 * p_a 0.818 and p_e 0.190 (irrCAC `gwet.ac1.raw(cac.raw4raters)`, asserted to 3 digits by
 * afergadis/irrCAC test/unit/irrCAC/raw/test_gwet.py). Krippendorff's observer B has a lone 3 on
 * unit 12 where Gwet's rater 3 has it: the counts per unit are the same.
 */
export const krippendorffFourObservers = [
  [3, 0, 0, 0, 0],
  [0, 3, 1, 0, 0],
  [0, 0, 4, 0, 0],
  [0, 0, 4, 0, 0],
  [0, 4, 0, 0, 0],
  [1, 1, 1, 1, 0],
  [0, 0, 0, 4, 0],
  [3, 1, 0, 0, 0],
  [0, 4, 0, 0, 0],
  [0, 0, 0, 0, 3],
  [2, 0, 0, 0, 0],
  [0, 0, 1, 0, 0],
];

/** The same data, observer by observer (null = missing), for building unit counts in the tests. */
export const krippendorffFourObserversRaw: readonly (readonly (number | null)[])[] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];

/**
 * Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
 * Bulletin, 76(5), 378–382: 30 patients, 6 psychiatrists each, 5 categories (depression,
 * personality disorder, schizophrenia, neurosis, other), as `aggregate_raters(diagnoses)` of
 * statsmodels' test suite. Published κ = .430.
 */
export const fleiss1971 = [
  [0, 0, 0, 6, 0],
  [0, 3, 0, 0, 3],
  [0, 1, 4, 0, 1],
  [0, 0, 0, 0, 6],
  [0, 3, 0, 3, 0],
  [2, 0, 4, 0, 0],
  [0, 0, 4, 0, 2],
  [2, 0, 3, 1, 0],
  [2, 0, 0, 4, 0],
  [0, 0, 0, 0, 6],
  [1, 0, 0, 5, 0],
  [1, 1, 0, 4, 0],
  [0, 3, 3, 0, 0],
  [1, 0, 0, 5, 0],
  [0, 2, 0, 3, 1],
  [0, 0, 5, 0, 1],
  [3, 0, 0, 1, 2],
  [5, 1, 0, 0, 0],
  [0, 2, 0, 4, 0],
  [1, 0, 2, 0, 3],
  [0, 0, 0, 0, 6],
  [0, 1, 0, 5, 0],
  [0, 2, 0, 1, 3],
  [2, 0, 0, 4, 0],
  [1, 0, 0, 4, 1],
  [0, 5, 0, 1, 0],
  [4, 0, 0, 0, 2],
  [0, 2, 0, 4, 0],
  [1, 0, 5, 0, 0],
  [0, 0, 0, 0, 6],
];

/**
 * Wikipedia, "Fleiss' kappa", worked example (statsmodels' `table1`): 10 subjects, 14 raters,
 * 5 categories. Published κ = 0.210.
 */
export const fleissWikipedia = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/** The value of a defined figure; fails the test with the reason when it is undefined. */
export function figureValue(figure: Figure): number {
  if (figure.value === null) throw new Error(`expected a defined figure, received null: ${figure.reason}`);
  return figure.value;
}

/** Asserts |actual − expected| < tolerance (default 1e-12, well inside the 1e-9 bar of DESIGN.md). */
export function expectNear(actual: number | Figure, expected: number, tolerance = 1e-12): void {
  const value = typeof actual === 'number' ? actual : figureValue(actual);
  expect(Math.abs(value - expected), `${value} differs from ${expected}`).toBeLessThan(tolerance);
}

/** Unit counts of a two-coder table: one row per unit, with a 1 for each coder's category (2 if they agree). */
export function unitCountsOfTable(table: AgreementTable): number[][] {
  const units: number[][] = [];
  const categories = table.length;
  for (let row = 0; row < categories; row++) {
    for (let column = 0; column < categories; column++) {
      for (let unit = 0; unit < table[row]![column]!; unit++) {
        const counts: number[] = new Array(categories).fill(0);
        counts[row]!++;
        counts[column]!++;
        units.push(counts);
      }
    }
  }
  return units;
}
