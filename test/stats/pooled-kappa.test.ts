import { describe, expect, it } from 'vitest';
import { cohenKappa } from '../../src/core/stats/cohen-kappa.js';
import { pooledKappa } from '../../src/core/stats/pooled-kappa.js';
import { expectNear, feinsteinCicchetti, figureValue } from './fixtures.js';

/*
 * De Vries, Elliott, Kanouse & Teleki (2008), Field Methods 20(3): κ_pooled = (p̄_o − p̄_e)/(1 − p̄_e).
 * Reference: Python 3.11, statsmodels 0.13.5, from per-code results:
 *   po, pe = [], []
 *   for t in tables:
 *       a = np.array(t, float); r = statsmodels.stats.inter_rater.cohens_kappa(a)
 *       p = np.trace(a) / a.sum(); po.append(p); pe.append((p - r.kappa) / (1 - r.kappa))
 *   po, pe = np.mean(po), np.mean(pe); (po - pe) / (1 - pe)
 * → p̄_o 0.72499999999999998, p̄_e 0.57020000000000004, κ_pooled 0.36016751977664019
 * for the four Feinstein & Cicchetti (1990) tables as four codes.
 */
describe('pooledKappa', () => {
  const fourCodes = [feinsteinCicchetti.a, feinsteinCicchetti.b, feinsteinCicchetti.c, feinsteinCicchetti.d];

  it('pools the observed and expected agreement of the codes, computed from statsmodels per code', () => {
    expectNear(pooledKappa(fourCodes), 0.3601675197766402);
  });

  it('differs from the mean of the per-code kappas', () => {
    const meanKappa =
      fourCodes.reduce((sum, table) => sum + figureValue(cohenKappa(table)), 0) / fourCodes.length;
    // Mean κ = (.6995 + .3182 + .1304 + .2593)/4 = .3518, not .3602.
    expect(Math.abs(meanKappa - figureValue(pooledKappa(fourCodes)))).toBeGreaterThan(0.005);
  });

  it("equals Cohen's κ for a single code", () => {
    expectNear(pooledKappa([feinsteinCicchetti.b]), figureValue(cohenKappa(feinsteinCicchetti.b)));
  });

  it('keeps a code whose own κ is undefined (both coders always "absent")', () => {
    const neverUsed = [
      [0, 0],
      [0, 100],
    ];
    expect(cohenKappa(neverUsed).value).toBeNull();
    // p̄_o = (.85 + 1)/2, p̄_e = (.5008 + 1)/2 → (.925 − .7504)/(.2496)
    expectNear(pooledKappa([feinsteinCicchetti.a, neverUsed]), (0.925 - 0.7504) / (1 - 0.7504));
  });

  it('is undefined with no codes, an empty table, or when every code has p_e = 1', () => {
    expect(pooledKappa([]).value).toBeNull();
    expect(
      pooledKappa([
        feinsteinCicchetti.a,
        [
          [0, 0],
          [0, 0],
        ],
      ]),
    ).toEqual({
      value: null,
      reason: 'no units: the table of code 2 is empty (n = 0)',
    });
    expect(
      pooledKappa([
        [
          [0, 0],
          [0, 5],
        ],
        [
          [7, 0],
          [0, 0],
        ],
      ]).reason,
    ).toMatch(/expected agreement is 1/);
  });

  it('throws a RangeError on a table that is not square or not counts', () => {
    expect(() => pooledKappa([feinsteinCicchetti.a, [[1, 2]]])).toThrow(RangeError);
    expect(() =>
      pooledKappa([
        [
          [1, -2],
          [3, 4],
        ],
      ]),
    ).toThrow(RangeError);
  });
});
