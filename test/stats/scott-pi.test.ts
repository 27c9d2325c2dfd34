import { describe, expect, it } from 'vitest';
import { POOLED_SINGLE_CATEGORY, scottPi } from '../../src/core/stats/scott-pi.js';
import { NO_UNITS } from '../../src/core/stats/table.js';
import {
  expectNear,
  feinsteinCicchetti,
  fleissCohenEveritt1969,
  gwetAbstractors,
  gwetDiagnosis,
  krippendorffBinary,
  sasExample,
} from './fixtures.js';

/*
 * Reference: Python 3.11, nltk 3.8: nltk.metrics.agreement.AnnotationTask(data).pi(), with data the
 * triples (coder, unit, label) of the two coders of each table, printed with '%.17g'.
 */
describe('scottPi', () => {
  it('matches nltk AnnotationTask.pi() on published tables', () => {
    expectNear(scottPi(fleissCohenEveritt1969), 0.4272076372315035);
    expectNear(scottPi(sasExample), 0.4532374100719425);
    expectNear(scottPi(feinsteinCicchetti.a), 0.6992481203007519);
    expectNear(scottPi(feinsteinCicchetti.b), 0.31428571428571417);
    expectNear(scottPi(feinsteinCicchetti.c), 0.12087912087912075);
    expectNear(scottPi(feinsteinCicchetti.d), 0.19191919191919188);
    expectNear(scottPi(krippendorffBinary), 0.04761904761904766);
    expectNear(scottPi(gwetAbstractors), 0.7962396962119108);
    expectNear(scottPi(gwetDiagnosis), 0.4303405572755418);
  });

  it('uses pooled marginals: π = (p_o − p_e)/(1 − p_e), p_e = Σ ((p_i. + p_.i)/2)²', () => {
    // By hand for [[20, 5], [10, 15]]: p_o = .7; pooled shares (25 + 30)/100 = .55 and .45; p_e = .505;
    // π = .195/.495 = 13/33.
    expectNear(
      scottPi([
        [20, 5],
        [10, 15],
      ]),
      13 / 33,
    );
  });

  it('is undefined when every rating is in one category, or the table is empty', () => {
    expect(
      scottPi([
        [7, 0],
        [0, 0],
      ]),
    ).toEqual({ value: null, reason: POOLED_SINGLE_CATEGORY });
    expect(
      scottPi([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ value: null, reason: NO_UNITS });
  });

  it('is defined when the two coders used different single categories (pooled p_e = ½)', () => {
    // p_o = 0, p_e = .5 → π = −1.
    expect(
      scottPi([
        [0, 10],
        [0, 0],
      ]),
    ).toEqual({ value: -1 });
  });

  it('throws a RangeError on tables that are not square or not counts', () => {
    expect(() => scottPi([[1, 2]])).toThrow(RangeError);
    expect(() =>
      scottPi([
        [1, -1],
        [0, 2],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      scottPi([
        [1, 0.5],
        [0, 2],
      ]),
    ).toThrow(RangeError);
  });
});
