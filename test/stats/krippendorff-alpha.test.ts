import { describe, expect, it } from 'vitest';
import {
  ALPHA_NOTHING_PAIRABLE,
  ALPHA_SINGLE_CATEGORY,
  coincidenceMatrix,
  krippendorffAlpha,
  krippendorffAlphaFromTable,
} from '../../src/core/stats/krippendorff-alpha.js';
import { NO_UNITS } from '../../src/core/stats/table.js';
import {
  expectNear,
  feinsteinCicchetti,
  figureValue,
  fleiss1971,
  fleissCohenEveritt1969,
  gwetAbstractors,
  gwetDiagnosis,
  krippendorffBinary,
  krippendorffFourObservers,
  krippendorffFourObserversRaw,
  sasExample,
  unitCountsOfTable,
} from './fixtures.js';

/*
 * Reference: Python 3.11, nltk 3.8: nltk.metrics.agreement.AnnotationTask(data).alpha(), with data
 * the triples (coder, unit, label) — missing values simply absent — printed with '%.17g'. nltk's
 * alpha drops units with fewer than two labels, as Krippendorff (2011) does.
 */
describe('krippendorffAlpha (nominal, any number of coders, missing data)', () => {
  it('reproduces Krippendorff (2011) example C: 4 observers, 12 units, α = 0.743', () => {
    // nltk AnnotationTask(data).alpha() → 0.74342105263157898; exactly 113/152 by fractions.Fraction.
    const alpha = krippendorffAlpha(krippendorffFourObservers);
    expectNear(alpha, 0.743421052631579);
    expectNear(alpha, 113 / 152);
    expect(figureValue(alpha)).toBeCloseTo(0.743, 3);
  });

  it('builds the coincidence matrix printed in Krippendorff (2011), example C', () => {
    // Printed matrix (values 1–5): row 1: 7 4/3 1/3 1/3 0 (n₁ = 9); row 2: 4/3 10 4/3 1/3 0 (13);
    // row 3: 1/3 4/3 8 1/3 0 (10); row 4: 1/3 1/3 1/3 4 0 (5); row 5: 0 0 0 0 3 (3); n = 40.
    // Unit 12 (a single value) is not pairable and drops out.
    const expected = [
      [7, 4 / 3, 1 / 3, 1 / 3, 0],
      [4 / 3, 10, 4 / 3, 1 / 3, 0],
      [1 / 3, 4 / 3, 8, 1 / 3, 0],
      [1 / 3, 1 / 3, 1 / 3, 4, 0],
      [0, 0, 0, 0, 3],
    ];
    const matrix = coincidenceMatrix(krippendorffFourObservers);
    for (let row = 0; row < 5; row++) {
      for (let column = 0; column < 5; column++) expectNear(matrix[row]![column]!, expected[row]![column]!);
    }
  });

  it('builds its unit counts from the observer-by-unit data as printed', () => {
    const counts = krippendorffFourObserversRaw[0]!.map((_, unit) => {
      const row = [0, 0, 0, 0, 0];
      for (const observer of krippendorffFourObserversRaw) {
        const value = observer[unit];
        if (value !== null && value !== undefined) row[value - 1]!++;
      }
      return row;
    });
    expect(counts).toEqual(krippendorffFourObservers);
  });

  it('matches nltk on Fleiss (1971): 30 units, 6 coders each', () => {
    // nltk AnnotationTask(data).alpha() on statsmodels' `diagnoses` → 0.43340982828202879
    expectNear(krippendorffAlpha(fleiss1971), 0.4334098282820288);
  });

  it('is undefined when nothing is pairable or every pairable value is in one category', () => {
    expect(
      krippendorffAlpha([
        [1, 0],
        [0, 1],
        [0, 0],
      ]),
    ).toEqual({ value: null, reason: ALPHA_NOTHING_PAIRABLE });
    expect(krippendorffAlpha([])).toEqual({ value: null, reason: ALPHA_NOTHING_PAIRABLE });
    // Unit 3 has a lone value in category 2; the pairable values are all category 1.
    expect(
      krippendorffAlpha([
        [3, 0],
        [2, 0],
        [0, 1],
      ]),
    ).toEqual({ value: null, reason: ALPHA_SINGLE_CATEGORY });
  });

  it('is 1 when every pairable unit is coded alike, whatever the missing values', () => {
    expect(
      krippendorffAlpha([
        [3, 0, 0],
        [0, 2, 0],
        [0, 0, 1],
        [0, 4, 0],
      ]),
    ).toEqual({ value: 1 });
  });

  it('throws a RangeError when rows differ in length or hold values that are not counts', () => {
    expect(() => krippendorffAlpha([[1, 1], [1]])).toThrow(/one count per category/);
    expect(() => krippendorffAlpha([[1, -1]])).toThrow(RangeError);
    expect(() => coincidenceMatrix([[1, 0.5]])).toThrow(RangeError);
  });
});

describe('krippendorffAlphaFromTable (two coders, no missing data)', () => {
  it('reproduces Krippendorff (2011) example A: binary data, two observers, α = 0.095', () => {
    // nltk AnnotationTask(data).alpha() → 0.095238095238095122 (= 2/21)
    expectNear(krippendorffAlphaFromTable(krippendorffBinary), 0.09523809523809512);
    expect(figureValue(krippendorffAlphaFromTable(krippendorffBinary))).toBeCloseTo(0.095, 3);
  });

  it('matches nltk AnnotationTask.alpha() on published tables', () => {
    expectNear(krippendorffAlphaFromTable(fleissCohenEveritt1969), 0.4286396181384249);
    expectNear(krippendorffAlphaFromTable(sasExample), 0.4676258992805755);
    expectNear(krippendorffAlphaFromTable(feinsteinCicchetti.a), 0.7007518796992481);
    expectNear(krippendorffAlphaFromTable(feinsteinCicchetti.b), 0.3177142857142857);
    expectNear(krippendorffAlphaFromTable(feinsteinCicchetti.c), 0.12527472527472516);
    expectNear(krippendorffAlphaFromTable(feinsteinCicchetti.d), 0.1959595959595959);
    expectNear(krippendorffAlphaFromTable(gwetAbstractors), 0.7972584977308512);
    expectNear(krippendorffAlphaFromTable(gwetDiagnosis), 0.43161782060003606);
  });

  it('equals krippendorffAlpha on the same data given unit by unit', () => {
    for (const table of [fleissCohenEveritt1969, sasExample, krippendorffBinary, gwetDiagnosis]) {
      expectNear(krippendorffAlphaFromTable(table), figureValue(krippendorffAlpha(unitCountsOfTable(table))));
    }
  });

  it('is undefined for an empty table or a single category', () => {
    expect(
      krippendorffAlphaFromTable([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ value: null, reason: NO_UNITS });
    expect(
      krippendorffAlphaFromTable([
        [0, 0],
        [0, 4],
      ]),
    ).toEqual({ value: null, reason: ALPHA_SINGLE_CATEGORY });
  });

  it('throws a RangeError on tables that are not square or not counts', () => {
    expect(() => krippendorffAlphaFromTable([[1, 2]])).toThrow(RangeError);
    expect(() =>
      krippendorffAlphaFromTable([
        [1, 2],
        [3, -4],
      ]),
    ).toThrow(RangeError);
  });
});
