import { describe, expect, it } from 'vitest';
import { FLEISS_SINGLE_CATEGORY, fleissKappa } from '../../src/core/stats/fleiss-kappa.js';
import { scottPi } from '../../src/core/stats/scott-pi.js';
import { NO_UNITS } from '../../src/core/stats/table.js';
import {
  expectNear,
  figureValue,
  fleiss1971,
  fleissCohenEveritt1969,
  fleissWikipedia,
  gwetDiagnosis,
  unitCountsOfTable,
} from './fixtures.js';

/*
 * Reference: Python 3.11, statsmodels 0.13.5:
 *   statsmodels.stats.inter_rater.fleiss_kappa(table) printed with '%.17g'; for Fleiss (1971) the
 *   table is aggregate_raters(diagnoses)[0] of statsmodels/stats/tests/test_inter_rater.py, whose
 *   R irr kappam.fleiss(diagnoses) value there is 0.4302445.
 */
describe('fleissKappa', () => {
  it('reproduces Fleiss (1971): 30 patients, 6 psychiatrists, κ = .430', () => {
    expectNear(fleissKappa(fleiss1971), 0.43024452006014074);
    expect(figureValue(fleissKappa(fleiss1971))).toBeCloseTo(0.4302445, 7);
    expect(figureValue(fleissKappa(fleiss1971))).toBeCloseTo(0.43, 3);
  });

  it("reproduces Wikipedia's worked example: 10 subjects, 14 raters, κ = 0.210", () => {
    expectNear(fleissKappa(fleissWikipedia), 0.20993070442195522);
    expect(figureValue(fleissKappa(fleissWikipedia))).toBeCloseTo(0.21, 3);
  });

  it("equals Scott's π when every unit has two coders", () => {
    for (const table of [fleissCohenEveritt1969, gwetDiagnosis]) {
      expectNear(fleissKappa(unitCountsOfTable(table)), figureValue(scottPi(table)));
    }
  });

  it('is undefined with no units or when every rating is in one category', () => {
    expect(fleissKappa([])).toEqual({ value: null, reason: NO_UNITS });
    expect(
      fleissKappa([
        [0, 3],
        [0, 3],
      ]),
    ).toEqual({ value: null, reason: FLEISS_SINGLE_CATEGORY });
  });

  it('throws a RangeError naming the unit when units have different numbers of ratings', () => {
    expect(() =>
      fleissKappa([
        [3, 0],
        [2, 0],
      ]),
    ).toThrow(/unit 1 has 3, unit 2 has 2.*Krippendorff/);
    expect(() => fleissKappa([[1, 0]])).toThrow(/≥ 2/);
    expect(() => fleissKappa([[1, -1, 2]])).toThrow(RangeError);
    expect(() => fleissKappa([[1, 1], [2]])).toThrow(RangeError);
  });
});
