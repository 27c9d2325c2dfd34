import { describe, expect, it } from 'vitest';
import { biasIndex, prevalenceIndex } from '../../src/core/stats/prevalence-bias.js';
import { NO_UNITS } from '../../src/core/stats/table.js';
import { expectNear, feinsteinCicchetti, fleissCohenEveritt1969, krippendorffBinary } from './fixtures.js';

/*
 * Byrt, Bland & Carlin (1993): PI = (a − d)/n, BI = (b − c)/n for [[a, b], [c, d]]. Reference values
 * by the same formulas in Python 3.11 / numpy 1.24: a = np.array(t, float); n = a.sum();
 * (a[0,0] - a[1,1]) / n and (a[0,1] - a[1,0]) / n, printed with '%.17g'. Feinstein & Cicchetti's
 * tables (a)/(b) differ in prevalence (|PI| .05 vs .75), (c)/(d) in bias (|BI| .10 vs .30), which is
 * how those papers explain κ = .70/.32 and .13/.26 at equal p_o.
 */
describe('prevalenceIndex and biasIndex', () => {
  it('give the prevalence and bias of the Feinstein & Cicchetti (1990) tables', () => {
    expectNear(prevalenceIndex(feinsteinCicchetti.a), -0.05);
    expectNear(biasIndex(feinsteinCicchetti.a), 0.03);
    expectNear(prevalenceIndex(feinsteinCicchetti.b), 0.75);
    expectNear(biasIndex(feinsteinCicchetti.b), 0.05);
    expectNear(prevalenceIndex(feinsteinCicchetti.c), 0.3);
    expectNear(biasIndex(feinsteinCicchetti.c), -0.1);
    expectNear(prevalenceIndex(feinsteinCicchetti.d), -0.1);
    expectNear(biasIndex(feinsteinCicchetti.d), 0.3);
    expectNear(prevalenceIndex(krippendorffBinary), 0.4);
    expectNear(biasIndex(krippendorffBinary), 0.2);
  });

  it('follow the stated signs: PI > 0 when "present" agreements dominate, BI > 0 when coder A says "present" more', () => {
    const rareCode = [
      [2, 1],
      [0, 97],
    ];
    expect(prevalenceIndex(rareCode).value).toBeLessThan(0);
    // Coder A (rows) says present 3 times, coder B (columns) 2 times.
    expect(biasIndex(rareCode).value).toBeGreaterThan(0);
    const swapped = [
      [2, 0],
      [1, 97],
    ];
    expectNear(biasIndex(swapped), -(biasIndex(rareCode).value ?? Number.NaN));
    expectNear(prevalenceIndex(swapped), prevalenceIndex(rareCode).value ?? Number.NaN);
  });

  it('are undefined for an empty table and refuse tables that are not 2×2', () => {
    const empty = [
      [0, 0],
      [0, 0],
    ];
    expect(prevalenceIndex(empty)).toEqual({ value: null, reason: NO_UNITS });
    expect(biasIndex(empty)).toEqual({ value: null, reason: NO_UNITS });
    expect(() => prevalenceIndex(fleissCohenEveritt1969)).toThrow(/2×2/);
    expect(() => biasIndex(fleissCohenEveritt1969)).toThrow(/2×2/);
    expect(() =>
      biasIndex([
        [1, 2],
        [3, 0.5],
      ]),
    ).toThrow(RangeError);
  });
});
