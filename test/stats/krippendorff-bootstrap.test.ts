/**
 * The bootstrap of Krippendorff's α (Hayes & Krippendorff 2007). Its point estimate is α itself,
 * pinned to Krippendorff's (2011) worked example; its distribution is checked against the exact
 * binomial law the algorithm implies for nominal data, computed here independently in log space.
 */
import { describe, expect, it } from 'vitest';
import { coincidenceMatrix, krippendorffAlpha } from '../../src/core/stats/krippendorff-alpha.js';
import { krippendorffAlphaBootstrap } from '../../src/core/stats/krippendorff-bootstrap.js';

/** Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units, values 1–5. */
const observers = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const unitCounts = observers[0]!.map((_, unit) =>
  [1, 2, 3, 4, 5].map((value) => observers.filter((ratings) => ratings[unit] === value).length),
);
const matrix = coincidenceMatrix(unitCounts);

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let index = 1; index <= k; index++) sum += Math.log(n - k + index) - Math.log(index);
  return sum;
}

/** P(B > threshold) for B ~ Binomial(trials, p), summed exactly term by term. */
function binomialUpperTail(trials: number, p: number, threshold: number): number {
  let tail = 0;
  for (let b = Math.floor(threshold) + 1; b <= trials; b++)
    tail += Math.exp(logChoose(trials, b) + b * Math.log(p) + (trials - b) * Math.log1p(-p));
  return tail;
}

describe("Krippendorff's α bootstrap (Hayes & Krippendorff 2007)", () => {
  it('is centred on α = 0.743 of Krippendorff (2011), with M = min(25 q, (m − 1) n.. / 2) pairs', () => {
    const result = krippendorffAlphaBootstrap(matrix, 4, { resamples: 20000, seed: 2007 }).value!;
    // Krippendorff (2011) section C: α = 0.743; nltk 3.8 AnnotationTask.alpha() → 0.743421052631579.
    expect(Math.abs(result.alpha - 0.743421052631579)).toBeLessThan(1e-9);
    expect(result.alpha).toBe(krippendorffAlpha(unitCounts).value);
    // n.. = 40 pairable values, 4 observers: (m − 1) n.. / 2 = 60; the matrix has 8 non-zero cells (25 q = 200).
    expect(result.pairs).toBe(60);
    // E[α_b] = α (D_o estimated without bias); 20 000 resamples: SE of the mean < 0.001.
    expect(Math.abs(result.mean - result.alpha)).toBeLessThan(0.005);
    expect(result.low).toBeLessThan(result.alpha);
    expect(result.high).toBeGreaterThan(result.alpha);
  });

  it('gives q(α < α_min) as the exact binomial law predicts, in [0, 1] and increasing in α_min', () => {
    const resamples = 20000;
    const minima = [0.5, 0.6, 0.667, 0.7, 0.8, 0.9];
    const result = krippendorffAlphaBootstrap(matrix, 4, { resamples, seed: 7, minima }).value!;
    // D_o and D_e by Krippendorff's (2011) definitions, from the coincidence matrix.
    const totals = matrix.map((row) => row.reduce((sum, cell) => sum + cell, 0));
    const pairable = totals.reduce((sum, total) => sum + total, 0);
    const agreeing = matrix.reduce((sum, row, index) => sum + row[index]!, 0);
    const observed = (pairable - agreeing) / pairable;
    const expected =
      (pairable * pairable - totals.reduce((sum, total) => sum + total * total, 0)) /
      (pairable * (pairable - 1));
    let previous = 0;
    for (const { minimum, probability } of result.below) {
      expect(probability).toBeGreaterThanOrEqual(previous);
      expect(probability).toBeLessThanOrEqual(1);
      previous = probability;
      // α_b < a ⟺ disagreeing pairs B > M D_e (1 − a), B ~ Binomial(M, D_o).
      const exact = binomialUpperTail(result.pairs, observed, result.pairs * expected * (1 - minimum));
      const tolerance = 4 * Math.sqrt((exact * (1 - exact)) / resamples) + 1e-3;
      expect(Math.abs(probability - exact)).toBeLessThan(tolerance);
    }
    expect(result.below.map((entry) => entry.minimum)).toEqual(minima);
  });

  it('is the same for the same seed and differs for another', () => {
    const first = krippendorffAlphaBootstrap(matrix, 4, { resamples: 1000, seed: 11 }).value!;
    const again = krippendorffAlphaBootstrap(matrix, 4, { resamples: 1000, seed: 11 }).value!;
    const other = krippendorffAlphaBootstrap(matrix, 4, { resamples: 1000, seed: 12 }).value!;
    expect(again).toEqual(first);
    expect(other.mean).not.toBe(first.mean);
    expect(first.below.map((entry) => entry.minimum)).toEqual([0.667, 0.8]);
  });

  it('is undefined, with the reason, when α is', () => {
    expect(krippendorffAlphaBootstrap([[4]], 2, { resamples: 10, seed: 1 }).reason).toMatch(
      /single category/,
    );
    expect(
      krippendorffAlphaBootstrap(
        [
          [0, 0],
          [0, 0],
        ],
        2,
        { resamples: 10, seed: 1 },
      ).reason,
    ).toMatch(/pairable/);
  });
});
