import { describe, expect, it } from 'vitest';
import { observedAgreement } from '../../src/core/stats/agreement.js';
import {
  COHEN_SINGLE_CATEGORY,
  cohenExpectedAgreement,
  cohenKappa,
  cohenKappaConfidenceInterval,
  cohenKappaStandardError,
} from '../../src/core/stats/cohen-kappa.js';
import { NO_UNITS } from '../../src/core/stats/table.js';
import type { AgreementTable } from '../../src/core/stats/types.js';
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
 * Reference values, printed with 17 significant digits, from
 *   Python 3.11, statsmodels 0.13.5:  r = statsmodels.stats.inter_rater.cohens_kappa(np.array(table, float))
 *                                     → r.kappa, r.std_kappa, r.kappa_low, r.kappa_upp
 *   R 4.2.2, vcd 1.4.11:              k <- vcd::Kappa(table); k$Unweighted (value, ASE); confint(k)
 *   R 4.2.2, psych 2.2.9:             psych::cohen.kappa(table, n.obs = sum(table)) → kappa, sqrt(var.kappa), confid
 *   scikit-learn 1.2.1:               sklearn.metrics.cohen_kappa_score(a, b) on the label vectors of the table
 * The three agree with each other to 4e-16; the values below are statsmodels'.
 */
interface CohenCase {
  name: string;
  table: AgreementTable;
  kappa: number;
  standardError: number;
  low: number;
  high: number;
}

const cases: CohenCase[] = [
  {
    // vcd: 0.42857142857142849, ASE 0.053711004869167356, CI 0.32329979345440502 0.53384306368845191
    // psych: 0.42857142857142871, se 0.053711004869167328; sklearn: 0.4285714285714286 (exactly 3/7)
    name: 'Fleiss, Cohen & Everitt (1969), 3×3, n = 200',
    table: fleissCohenEveritt1969,
    kappa: 0.4285714285714285,
    standardError: 0.05371100486916735,
    low: 0.32329979345440496,
    high: 0.533843063688452,
  },
  {
    // vcd: ASE 0.13801357830581459, CI 0.21366125307070677 0.75466453878449702; sklearn 0.48416289592760176
    name: 'SAS PROC FREQ example (statsmodels table10), 3×3, n = 19',
    table: sasExample,
    kappa: 0.48416289592760187,
    standardError: 0.1380135783058146,
    low: 0.21366125307070666,
    high: 0.754664538784497,
  },
  {
    // vcd: ASE 0.071393602699988221, CI 0.55959034075069225 0.8394481207877692; sklearn 0.69951923076923084
    name: 'Feinstein & Cicchetti (1990) table (a), 2×2, n = 100',
    table: feinsteinCicchetti.a,
    kappa: 0.6995192307692307,
    standardError: 0.07139360269998822,
    low: 0.5595903407506923,
    high: 0.8394481207877692,
  },
  {
    // vcd: ASE 0.13345652122383614, CI 0.056611843081093904 0.57975179328254212; sklearn 0.31818181818181823
    name: 'Feinstein & Cicchetti (1990) table (b), 2×2, n = 100',
    table: feinsteinCicchetti.b,
    kappa: 0.318181818181818,
    standardError: 0.13345652122383617,
    low: 0.05661184308109374,
    high: 0.5797517932825422,
  },
  {
    // vcd: ASE 0.098661537623439585, CI -0.062938277792589536 0.32380784300998061; sklearn 0.13043478260869568
    name: 'Feinstein & Cicchetti (1990) table (c), 2×2, n = 100',
    table: feinsteinCicchetti.c,
    kappa: 0.13043478260869554,
    standardError: 0.0986615376234396,
    low: -0.06293827779258965,
    high: 0.3238078430099807,
  },
  {
    // vcd: ASE 0.077159731744445723, CI 0.10802896398337375 0.41048955453514474; sklearn 0.2592592592592593
    name: 'Feinstein & Cicchetti (1990) table (d), 2×2, n = 100',
    table: feinsteinCicchetti.d,
    kappa: 0.25925925925925924,
    standardError: 0.07715973174444572,
    low: 0.10802896398337367,
    high: 0.4104895545351448,
  },
  {
    // vcd: ASE 0.28807314145344415, CI -0.47370389125297219 0.65552207307115362; sklearn 0.090909090909090939
    name: 'Krippendorff (2011) binary example, 2×2, n = 10',
    table: krippendorffBinary,
    kappa: 0.09090909090909075,
    standardError: 0.28807314145344415,
    low: -0.4737038912529724,
    high: 0.6555220730711538,
  },
  {
    // vcd: ASE 0.058910718326081447, CI 0.6809465159614686 0.91187228840647527; sklearn 0.79640940218397183
    name: 'Gwet (2014) abstractors, 3×3, n = 100',
    table: gwetAbstractors,
    kappa: 0.7964094021839719,
    standardError: 0.05891071832608148,
    low: 0.6809465159614685,
    high: 0.9118722884064754,
  },
  {
    // vcd: ASE 0.045969181562378995, CI 0.3414028356201339 0.52159871614222486; sklearn 0.4315007758811793
    name: 'irrCAC cont4x4diagnosis, 4×4, n = 223',
    table: gwetDiagnosis,
    kappa: 0.4315007758811794,
    standardError: 0.045969181562379,
    low: 0.34140283562013385,
    high: 0.521598716142225,
  },
];

describe('cohenKappa, its standard error and confidence interval', () => {
  for (const reference of cases) {
    it(`match statsmodels, vcd, psych and scikit-learn on ${reference.name}`, () => {
      expectNear(cohenKappa(reference.table), reference.kappa);
      expectNear(cohenKappaStandardError(reference.table), reference.standardError);
      const interval = cohenKappaConfidenceInterval(reference.table);
      expectNear(interval.low, reference.low);
      expectNear(interval.high, reference.high);
    });
  }

  it('reproduce the published values to their printed precision', () => {
    // Fleiss, Cohen & Everitt (1969): κ = .429.
    expect(figureValue(cohenKappa(fleissCohenEveritt1969))).toBeCloseTo(0.429, 3);
    // SAS printout quoted in statsmodels' tests: κ 0.4842, ASE 0.1380, CI 0.2137–0.7547.
    expect(figureValue(cohenKappa(sasExample))).toBeCloseTo(0.4842, 4);
    expect(figureValue(cohenKappaStandardError(sasExample))).toBeCloseTo(0.138, 4);
    const sas = cohenKappaConfidenceInterval(sasExample);
    expect(figureValue(sas.low)).toBeCloseTo(0.2137, 4);
    expect(figureValue(sas.high)).toBeCloseTo(0.7547, 4);
    // Feinstein & Cicchetti (1990): κ = .70, .32, .13, .26 for tables (a)–(d).
    expect(figureValue(cohenKappa(feinsteinCicchetti.a))).toBeCloseTo(0.7, 2);
    expect(figureValue(cohenKappa(feinsteinCicchetti.b))).toBeCloseTo(0.32, 2);
    expect(figureValue(cohenKappa(feinsteinCicchetti.c))).toBeCloseTo(0.13, 2);
    expect(figureValue(cohenKappa(feinsteinCicchetti.d))).toBeCloseTo(0.26, 2);
  });

  it('give observed and expected agreement as in Cohen (1960)', () => {
    // Fleiss et al. (1969): p_o = (106 + 28 + 6)/200 = .70; p_e = .6·.65 + .3·.25 + .1·.1 = .475.
    expectNear(observedAgreement(fleissCohenEveritt1969), 0.7);
    expectNear(cohenExpectedAgreement(fleissCohenEveritt1969), 0.475);
    // statsmodels: p_e = (p_o − κ)/(1 − κ) from cohens_kappa(table).kappa → 0.50080000000000002
    expectNear(cohenExpectedAgreement(feinsteinCicchetti.a), 0.5008);
  });

  it('take other confidence levels with the exact normal quantile', () => {
    // R 4.2.2: confint(vcd::Kappa(fleiss), level = 0.9) → 0.34022468740517042 0.51691816973768656
    const interval = cohenKappaConfidenceInterval(fleissCohenEveritt1969, 0.9);
    expectNear(interval.low, 0.3402246874051704);
    expectNear(interval.high, 0.5169181697376866);
    expect(() => cohenKappaConfidenceInterval(fleissCohenEveritt1969, 1)).toThrow(RangeError);
    expect(() => cohenKappaConfidenceInterval(fleissCohenEveritt1969, 0)).toThrow(RangeError);
  });

  it('is 1 with standard error 0 for identical coders', () => {
    const identical = [
      [12, 0, 0],
      [0, 7, 0],
      [0, 0, 3],
    ];
    expect(cohenKappa(identical)).toEqual({ value: 1 });
    expect(cohenKappaStandardError(identical)).toEqual({ value: 0 });
    expect(cohenKappaConfidenceInterval(identical)).toEqual({ low: { value: 1 }, high: { value: 1 } });
  });

  it('is undefined, with the reason, when both coders used one and the same category', () => {
    const oneCategory = [
      [0, 0],
      [0, 25],
    ];
    const undefinedKappa = { value: null, reason: COHEN_SINGLE_CATEGORY };
    expect(cohenKappa(oneCategory)).toEqual(undefinedKappa);
    expect(cohenKappaStandardError(oneCategory)).toEqual(undefinedKappa);
    expect(cohenKappaConfidenceInterval(oneCategory)).toEqual({ low: undefinedKappa, high: undefinedKappa });
    expect(COHEN_SINGLE_CATEGORY).toMatch(/^expected agreement is 1/);
    expect(cohenKappa([[9]])).toEqual(undefinedKappa);
  });

  it('is defined when the coders used different single categories (chance agreement 0), and −1 for balanced total disagreement', () => {
    // p_o = 0, p_e = 0 → κ = 0; with A always "present" and B always "absent".
    expect(
      cohenKappa([
        [0, 10],
        [0, 0],
      ]),
    ).toEqual({ value: 0 });
    // Perfect disagreement with balanced marginals: p_o = 0, p_e = .5 → κ = −1.
    expect(
      cohenKappa([
        [0, 5],
        [5, 0],
      ]),
    ).toEqual({ value: -1 });
  });

  it('is undefined for an empty table, and observed/expected agreement refuse it', () => {
    const empty = [
      [0, 0],
      [0, 0],
    ];
    expect(cohenKappa(empty)).toEqual({ value: null, reason: NO_UNITS });
    expect(cohenKappa([])).toEqual({ value: null, reason: NO_UNITS });
    expect(cohenKappaStandardError(empty).value).toBeNull();
    expect(cohenKappaConfidenceInterval(empty).low.value).toBeNull();
    expect(() => observedAgreement(empty)).toThrow(RangeError);
    expect(() => cohenExpectedAgreement(empty)).toThrow(RangeError);
  });

  it('throws a RangeError on tables that are not square or not counts', () => {
    expect(() =>
      cohenKappa([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toThrow(/square/);
    expect(() => cohenKappa([[1, 2], [3]])).toThrow(RangeError);
    expect(() =>
      cohenKappa([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(/whole number/);
    expect(() =>
      cohenKappa([
        [1, 2.5],
        [3, 4],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      cohenKappa([
        [1, Number.NaN],
        [3, 4],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      cohenKappaStandardError([
        [1, 2],
        [3, Number.POSITIVE_INFINITY],
      ]),
    ).toThrow(RangeError);
    expect(() => observedAgreement([[1, 2, 3]])).toThrow(RangeError);
  });
});
