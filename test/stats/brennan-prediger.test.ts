import { describe, expect, it } from 'vitest';
import { BP_ONE_CATEGORY, brennanPrediger, pabak } from '../../src/core/stats/brennan-prediger.js';
import { cohenKappa } from '../../src/core/stats/cohen-kappa.js';
import { biasIndex, prevalenceIndex } from '../../src/core/stats/prevalence-bias.js';
import { NO_UNITS } from '../../src/core/stats/table.js';
import {
  expectNear,
  feinsteinCicchetti,
  figureValue,
  fleissCohenEveritt1969,
  gwetAbstractors,
  gwetDiagnosis,
  krippendorffBinary,
  sasExample,
} from './fixtures.js';

/*
 * Reference: Python 3.11, nltk 3.8: AnnotationTask(data).S(), Bennett, Alpert & Goldstein's S,
 * which is Brennan–Prediger's κ_n when q = the number of categories (every category of these
 * tables is used, so nltk's q, the labels seen, is the table's q). Printed with '%.17g'.
 */
describe('brennanPrediger', () => {
  it('matches nltk AnnotationTask.S() on published tables', () => {
    expectNear(brennanPrediger(fleissCohenEveritt1969), 0.5499999999999999);
    expectNear(brennanPrediger(sasExample), 0.5263157894736842);
    expectNear(brennanPrediger(gwetAbstractors), 0.8349999999999999);
    expectNear(brennanPrediger(gwetDiagnosis), 0.44992526158445445);
    expectNear(brennanPrediger(feinsteinCicchetti.a), 0.7);
    expectNear(brennanPrediger(krippendorffBinary), 0.19999999999999996);
  });

  it('counts unused categories in q, as the table defines them', () => {
    // p_o = 1 is 1 whatever q; p_o = .5 gives (3·.5 − 1)/2 = .25 with a third, unused category.
    expectNear(
      brennanPrediger([
        [5, 5, 0],
        [0, 0, 0],
        [0, 0, 0],
      ]),
      0.25,
    );
  });

  it('is undefined for an empty table or a single category', () => {
    expect(
      brennanPrediger([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ value: null, reason: NO_UNITS });
    expect(brennanPrediger([[4]])).toEqual({ value: null, reason: BP_ONE_CATEGORY });
  });
});

describe('pabak (Byrt, Bland & Carlin 1993)', () => {
  it('is 2p_o − 1: .70 for Feinstein & Cicchetti tables (a), (b) and .20 for (c), (d)', () => {
    // p_o = .85, .85, .60, .60 (Feinstein & Cicchetti 1990); nltk S() gives the same 0.7 and 0.2.
    expectNear(pabak(feinsteinCicchetti.a), 0.7);
    expectNear(pabak(feinsteinCicchetti.b), 0.7);
    expectNear(pabak(feinsteinCicchetti.c), 0.2);
    expectNear(pabak(feinsteinCicchetti.d), 0.2);
    expectNear(pabak(krippendorffBinary), 0.2);
  });

  it('satisfies Byrt et al. (1993): κ = (PABAK − PI² + BI²) / (1 − PI² + BI²)', () => {
    for (const table of Object.values(feinsteinCicchetti)) {
      const adjusted = figureValue(pabak(table));
      const prevalence = figureValue(prevalenceIndex(table));
      const bias = figureValue(biasIndex(table));
      const kappa = (adjusted - prevalence ** 2 + bias ** 2) / (1 - prevalence ** 2 + bias ** 2);
      expectNear(cohenKappa(table), kappa);
    }
  });

  it('refuses tables that are not 2×2 and is undefined when empty', () => {
    expect(() => pabak(fleissCohenEveritt1969)).toThrow(/2×2/);
    expect(() => pabak([[1]])).toThrow(RangeError);
    expect(() =>
      pabak([
        [1, 2],
        [3, -1],
      ]),
    ).toThrow(RangeError);
    expect(
      pabak([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ value: null, reason: NO_UNITS });
  });
});
