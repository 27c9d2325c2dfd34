import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { bootstrapPercentile, multinomial, quantileSorted } from '../../src/core/stats/bootstrap.js';
import { cohenKappa, cohenKappaConfidenceInterval } from '../../src/core/stats/cohen-kappa.js';
import { tableCells, tableFromCells } from '../../src/core/stats/table.js';
import type { AgreementTable } from '../../src/core/stats/types.js';
import { expectNear, figureValue, fleissCohenEveritt1969, gwetDiagnosis } from './fixtures.js';

/** The statistic a caller passes for Cohen's κ of a k×k table: rebuild the table from its cells. */
function kappaOfCells(categories: number) {
  return (cells: Float64Array) => cohenKappa(tableFromCells(cells, categories)).value;
}

function kappaInterval(table: AgreementTable, seed: number, resamples = 2000) {
  return bootstrapPercentile({
    patternCounts: tableCells(table),
    statistic: kappaOfCells(table.length),
    resamples,
    seed,
  });
}

describe('quantileSorted (type 7)', () => {
  it('matches numpy.quantile (method "linear") and R quantile(type = 7)', () => {
    // numpy 1.24: np.quantile([3, 1, 4, 1.5, 9, 2.6], [0.025, 0.975, 0.5]) → 1.0625 8.375 2.7999999999999998
    // R 4.2.2: quantile(c(3, 1, 4, 1.5, 9, 2.6), c(0.025, 0.975, 0.5), type = 7) → the same.
    const sorted = [1, 1.5, 2.6, 3, 4, 9];
    expectNear(quantileSorted(sorted, 0.025), 1.0625);
    expectNear(quantileSorted(sorted, 0.975), 8.375);
    expectNear(quantileSorted(sorted, 0.5), 2.8);
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 1)).toBe(9);
    expect(quantileSorted([4], 0.3)).toBe(4);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
    expect(() => quantileSorted(sorted, 1.1)).toThrow(RangeError);
  });
});

describe('multinomial', () => {
  it('always draws exactly n units, none from empty patterns, with mean n·w_i/W', () => {
    const weights = [500, 0, 300, 150, 50];
    const random = createRandom(11);
    const sums = [0, 0, 0, 0, 0];
    const resamples = 4000;
    for (let resample = 0; resample < resamples; resample++) {
      const counts = multinomial(weights, 1000, random);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(1000);
      expect(counts[1]).toBe(0);
      for (let pattern = 0; pattern < 5; pattern++) sums[pattern]! += counts[pattern]!;
    }
    for (let pattern = 0; pattern < 5; pattern++) {
      const share = weights[pattern]! / 1000;
      const standardError = Math.sqrt((1000 * share * (1 - share)) / resamples);
      expect(Math.abs(sums[pattern]! / resamples - 1000 * share)).toBeLessThanOrEqual(4 * standardError);
    }
  });

  it('refuses weights that are not counts and draws from nothing', () => {
    const random = createRandom(1);
    expect(() => multinomial([1, -1], 5, random)).toThrow(RangeError);
    expect(() => multinomial([1, 0.5], 5, random)).toThrow(RangeError);
    expect(() => multinomial([0, 0], 5, random)).toThrow(RangeError);
    expect(() => multinomial([1, 1], 2.5, random)).toThrow(RangeError);
    expect(Array.from(multinomial([0, 0], 0, random))).toEqual([0, 0]);
  });
});

describe('bootstrapPercentile', () => {
  it('gives the same interval for the same seed, and another for another seed', () => {
    const first = kappaInterval(fleissCohenEveritt1969, 42, 500);
    expect(kappaInterval(fleissCohenEveritt1969, 42, 500)).toEqual(first);
    expect(kappaInterval(fleissCohenEveritt1969, 43, 500)).not.toEqual(first);
    expect(first.resamples).toBe(500);
    expect(first.undefinedResamples).toBe(0);
  });

  it('reproduces the binomial percentiles when bootstrapping a proportion', () => {
    // Resampled p̂ of 85 agreements in 100 units is B(100, .85)/100; R 4.2.2:
    // qbinom(c(0.025, 0.975), 100, 0.85) → 78 92.
    const interval = bootstrapPercentile({
      patternCounts: [85, 15],
      statistic: (counts) => counts[0]! / 100,
      resamples: 4000,
      seed: 5,
    });
    expect(Math.abs((interval.low ?? 0) - 0.78)).toBeLessThanOrEqual(0.0101);
    expect(Math.abs((interval.high ?? 0) - 0.92)).toBeLessThanOrEqual(0.0101);
  });

  for (const [name, table] of [
    ['Fleiss, Cohen & Everitt (1969), n = 200', fleissCohenEveritt1969],
    ['irrCAC cont4x4diagnosis, n = 223', gwetDiagnosis],
  ] as const) {
    it(`gives a κ interval containing κ and within 0.01 of κ ± 1.96·SE on ${name}`, () => {
      const kappa = figureValue(cohenKappa(table));
      const wald = cohenKappaConfidenceInterval(table);
      const interval = kappaInterval(table, 2026);
      expect(interval.low).toBeLessThan(kappa);
      expect(interval.high).toBeGreaterThan(kappa);
      expect(Math.abs((interval.low ?? 0) - figureValue(wald.low))).toBeLessThan(0.01);
      expect(Math.abs((interval.high ?? 0) - figureValue(wald.high))).toBeLessThan(0.01);
    });
  }

  it('resamples a million units 1,000 times through binomial draws, not unit by unit', () => {
    const table = [
      [400_000, 50_000],
      [50_000, 500_000],
    ];
    let drawnUnitsAlwaysN = true;
    const interval = bootstrapPercentile({
      patternCounts: tableCells(table),
      statistic: (cells) => {
        drawnUnitsAlwaysN &&= cells[0]! + cells[1]! + cells[2]! + cells[3]! === 1_000_000;
        return kappaOfCells(2)(cells);
      },
      resamples: 1000,
      seed: 9,
    });
    expect(drawnUnitsAlwaysN).toBe(true);
    const wald = cohenKappaConfidenceInterval(table);
    expect(Math.abs((interval.low ?? 0) - figureValue(wald.low))).toBeLessThan(0.001);
    expect(Math.abs((interval.high ?? 0) - figureValue(wald.high))).toBeLessThan(0.001);
  });

  it('counts resamples where the statistic is undefined and leaves them out', () => {
    // 1 unit coded "present" by both, 9 "absent" by both: a resample without the first unit has
    // κ undefined (one category), with probability 0.9^10 ≈ 0.35.
    const interval = kappaInterval(
      [
        [1, 0],
        [0, 9],
      ],
      1,
      1000,
    );
    expect(interval.undefinedResamples).toBeGreaterThan(250);
    expect(interval.undefinedResamples).toBeLessThan(450);
    expect(interval).toMatchObject({ low: 1, high: 1, resamples: 1000 });
    const never = kappaInterval(
      [
        [0, 0],
        [0, 10],
      ],
      1,
      100,
    );
    expect(never).toEqual({ low: null, high: null, resamples: 100, undefinedResamples: 100 });
  });

  it('narrows with the level, and refuses bad options and NaN statistics', () => {
    const wide = kappaInterval(fleissCohenEveritt1969, 3, 1000);
    const narrow = bootstrapPercentile({
      patternCounts: tableCells(fleissCohenEveritt1969),
      statistic: kappaOfCells(3),
      resamples: 1000,
      seed: 3,
      level: 0.5,
    });
    expect(narrow.low).toBeGreaterThan(wide.low ?? 1);
    expect(narrow.high).toBeLessThan(wide.high ?? 0);
    const options = { patternCounts: [3, 4], statistic: () => 0.5, resamples: 10, seed: 1 };
    expect(() => bootstrapPercentile({ ...options, resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapPercentile({ ...options, resamples: 2.5 })).toThrow(RangeError);
    expect(() => bootstrapPercentile({ ...options, level: 1 })).toThrow(RangeError);
    expect(() => bootstrapPercentile({ ...options, seed: 1.5 })).toThrow(RangeError);
    expect(() => bootstrapPercentile({ ...options, patternCounts: [3, -4] })).toThrow(RangeError);
    expect(() => bootstrapPercentile({ ...options, statistic: () => Number.NaN })).toThrow(/return null/);
  });
});
