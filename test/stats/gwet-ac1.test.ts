import { describe, expect, it } from 'vitest';
import {
  AC1_NOTHING_PAIRABLE,
  AC1_ONE_CATEGORY,
  gwetAc1,
  gwetAc1FromTable,
} from '../../src/core/stats/gwet-ac1.js';
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
  sasExample,
  unitCountsOfTable,
} from './fixtures.js';

/*
 * No installed package computes AC1 (irrCAC is not available here), so the full-precision values
 * come from this formula script, Python 3.11 / numpy 1.24, printed with '%.17g' — Gwet (2008),
 * eqs. for two raters, and Gwet (2014), Handbook, ch. 4, for r raters with missing ratings:
 *
 *   def ac1_table(t):                      # two coders, k×k table, q = k
 *       t = np.array(t, float); n = t.sum(); q = t.shape[0]
 *       pa = np.trace(t) / n
 *       pik = (t.sum(1) + t.sum(0)) / (2 * n)
 *       pe = (pik * (1 - pik)).sum() / (q - 1)
 *       return (pa - pe) / (1 - pe)
 *
 *   def ac1(counts):                       # counts[i][k] = raters putting unit i in category k
 *       counts = np.array(counts, float); q = counts.shape[1]; r = counts.sum(1)
 *       two, one = r >= 2, r >= 1
 *       pa = np.mean([(c * (c - 1)).sum() / (ri * (ri - 1)) for c, ri in zip(counts[two], r[two])])
 *       pik = np.mean(counts[one] / r[one][:, None], axis=0)
 *       pe = (pik * (1 - pik)).sum() / (q - 1)
 *       return (pa - pe) / (1 - pe)
 *
 * and the published values, to their printed precision, check the script.
 */
describe('gwetAc1FromTable (two coders)', () => {
  it('reproduces Gwet (2014) / irrCAC: abstractors AC1 = 0.849, cont4x4diagnosis AC1 = 0.456', () => {
    // ac1_table(...) → 0.84933054823134613 and 0.45615763546798033
    expectNear(gwetAc1FromTable(gwetAbstractors), 0.8493305482313461);
    expect(figureValue(gwetAc1FromTable(gwetAbstractors))).toBeCloseTo(0.849, 3);
    expectNear(gwetAc1FromTable(gwetDiagnosis), 0.4561576354679803);
    expect(figureValue(gwetAc1FromTable(gwetDiagnosis))).toBeCloseTo(0.456, 3);
  });

  it('matches the formula script on other published tables', () => {
    expectNear(gwetAc1FromTable(fleissCohenEveritt1969), 0.5935647756138865);
    expectNear(gwetAc1FromTable(sasExample), 0.5559883154819865);
    expectNear(gwetAc1FromTable(feinsteinCicchetti.a), 0.7007481296758106);
    expectNear(gwetAc1FromTable(feinsteinCicchetti.b), 0.8079999999999999);
    expectNear(gwetAc1FromTable(feinsteinCicchetti.c), 0.26605504587155965);
    expectNear(gwetAc1FromTable(feinsteinCicchetti.d), 0.20792079207920788);
    expectNear(gwetAc1FromTable(krippendorffBinary), 0.3103448275862068);
  });

  it('stays high where κ collapses (the prevalence paradox, Feinstein & Cicchetti table b)', () => {
    // p_o = .85 in tables (a) and (b); κ drops from .70 to .32, AC1 rises from .70 to .81.
    expect(figureValue(gwetAc1FromTable(feinsteinCicchetti.b))).toBeGreaterThan(
      figureValue(gwetAc1FromTable(feinsteinCicchetti.a)),
    );
  });

  it('is defined even when both coders used one category (AC1 = 1), and undefined for q < 2 or n = 0', () => {
    // p_a = 1, π = (1, 0), p_e = 0 → AC1 = 1.
    expect(
      gwetAc1FromTable([
        [9, 0],
        [0, 0],
      ]),
    ).toEqual({ value: 1 });
    expect(gwetAc1FromTable([[9]])).toEqual({ value: null, reason: AC1_ONE_CATEGORY });
    expect(
      gwetAc1FromTable([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ value: null, reason: NO_UNITS });
  });

  it('throws a RangeError on tables that are not square or not counts', () => {
    expect(() => gwetAc1FromTable([[1, 2]])).toThrow(RangeError);
    expect(() =>
      gwetAc1FromTable([
        [1, 2],
        [3, 1.5],
      ]),
    ).toThrow(RangeError);
  });
});

describe('gwetAc1 (any number of coders, missing ratings)', () => {
  it('reproduces Gwet (2014, p. 120) cac.raw4raters: p_a = 0.818, p_e = 0.190, AC1 = 0.7754', () => {
    // ac1(counts) → 0.77544406812699496 (p_a 0.81818181818181823, p_e 0.19032118055555555);
    // irrCAC gwet.ac1.raw(cac.raw4raters) prints 0.77544.
    const ac1 = gwetAc1(krippendorffFourObservers);
    expectNear(ac1, 0.775444068126995);
    expect(figureValue(ac1)).toBeCloseTo(0.77544, 5);
  });

  it('matches the formula script on Fleiss (1971), 6 coders on every unit', () => {
    // ac1(aggregate_raters(diagnoses)[0]) → 0.44788451584456401
    expectNear(gwetAc1(fleiss1971), 0.447884515844564);
  });

  it('equals the two-coder table form on the same data given unit by unit', () => {
    for (const table of [fleissCohenEveritt1969, gwetAbstractors, gwetDiagnosis, feinsteinCicchetti.c]) {
      expectNear(figureValue(gwetAc1(unitCountsOfTable(table))), figureValue(gwetAc1FromTable(table)));
    }
  });

  it('lets units rated once count in π_k but not in p_a', () => {
    const withLoneRating = [...krippendorffFourObservers.slice(0, 11), [0, 0, 0, 0, 1]];
    // Changing the lone rating of unit 12 (from category 3 to 5) moves π_k, hence AC1.
    expect(figureValue(gwetAc1(withLoneRating))).not.toBeCloseTo(
      figureValue(gwetAc1(krippendorffFourObservers)),
      6,
    );
    // A unit nobody rated changes nothing.
    expectNear(gwetAc1([...krippendorffFourObservers, [0, 0, 0, 0, 0]]), 0.775444068126995);
  });

  it('is undefined when no unit has two ratings, there are no units, or fewer than 2 categories', () => {
    expect(
      gwetAc1([
        [1, 0],
        [0, 1],
      ]),
    ).toEqual({ value: null, reason: AC1_NOTHING_PAIRABLE });
    expect(gwetAc1([])).toEqual({ value: null, reason: NO_UNITS });
    expect(gwetAc1([[3], [2]])).toEqual({ value: null, reason: AC1_ONE_CATEGORY });
  });

  it('throws a RangeError when rows differ in length or hold values that are not counts', () => {
    expect(() =>
      gwetAc1([
        [1, 1],
        [1, 1, 0],
      ]),
    ).toThrow(RangeError);
    expect(() => gwetAc1([[1, -1]])).toThrow(RangeError);
  });
});
