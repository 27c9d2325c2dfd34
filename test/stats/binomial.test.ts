import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { binomial } from '../../src/core/stats/binomial.js';

/** Exact probabilities of B(n, p), by the recursion f(x) = f(x − 1) (n − x + 1)/x · p/q in logs. */
function binomialProbabilities(trials: number, probability: number): Float64Array {
  const probabilities = new Float64Array(trials + 1);
  let logProbability = trials * Math.log1p(-probability);
  probabilities[0] = Math.exp(logProbability);
  for (let value = 1; value <= trials; value++) {
    logProbability += Math.log((trials - value + 1) / value) + Math.log(probability / (1 - probability));
    probabilities[value] = Math.exp(logProbability);
  }
  return probabilities;
}

function draws(trials: number, probability: number, count: number, seed: number): number[] {
  const random = createRandom(seed);
  const values: number[] = [];
  for (let draw = 0; draw < count; draw++) values.push(binomial(trials, probability, random));
  return values;
}

describe('binomial', () => {
  // Inversion below n·min(p, 1 − p) = 30, BTPE above; p > ½ through the complement.
  const settings: [string, number, number][] = [
    ['inversion, small n', 20, 0.3],
    ['inversion, n·p = 20', 100, 0.2],
    ['inversion, tiny p, huge n', 1_000_000_000, 1e-8],
    ['BTPE at the threshold n·p = 30', 60, 0.5],
    ['BTPE', 1000, 0.4],
    ['BTPE, p > ½ by the complement', 1000, 0.95],
    ['BTPE, a million trials', 1_000_000, 0.37],
  ];
  const count = 100_000;

  for (const [name, trials, probability] of settings) {
    it(`has mean n·p and variance n·p·q (${name}: n = ${trials}, p = ${probability})`, () => {
      const values = draws(trials, probability, count, 20260128);
      let sum = 0;
      for (const value of values) sum += value;
      const mean = sum / count;
      let squares = 0;
      for (const value of values) squares += (value - mean) ** 2;
      const variance = squares / (count - 1);
      const expectedVariance = trials * probability * (1 - probability);
      // Mean within 4 standard errors; variance within 4 of its standard errors (≈ σ²·√(2/N)).
      expect(Math.abs(mean - trials * probability)).toBeLessThan(4 * Math.sqrt(expectedVariance / count));
      expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(4 * Math.sqrt(2 / count) + 0.002);
      expect(values.every((value) => Number.isInteger(value) && value >= 0 && value <= trials)).toBe(true);
    });
  }

  for (const [trials, probability] of [
    [30, 0.2],
    [100, 0.4],
    [400, 0.1],
  ] as const) {
    it(`follows the exact distribution B(${trials}, ${probability}) (Kolmogorov distance < 0.005)`, () => {
      const probabilities = binomialProbabilities(trials, probability);
      const histogram = new Float64Array(trials + 1);
      for (const value of draws(trials, probability, count, 7)) histogram[value]!++;
      let empirical = 0;
      let exact = 0;
      let largestGap = 0;
      for (let value = 0; value <= trials; value++) {
        empirical += histogram[value]! / count;
        exact += probabilities[value]!;
        largestGap = Math.max(largestGap, Math.abs(empirical - exact));
      }
      // 1.63/√N = 0.0052 is the 1 % critical value of the Kolmogorov statistic for N = 100,000.
      expect(largestGap).toBeLessThan(0.005);
    });
  }

  it('is deterministic for a seed and handles the edge cases exactly', () => {
    expect(draws(1000, 0.4, 50, 3)).toEqual(draws(1000, 0.4, 50, 3));
    expect(draws(1000, 0.4, 50, 3)).not.toEqual(draws(1000, 0.4, 50, 4));
    const random = createRandom(1);
    expect(binomial(0, 0.5, random)).toBe(0);
    expect(binomial(50, 0, random)).toBe(0);
    expect(binomial(50, 1, random)).toBe(50);
    expect(binomial(2 ** 40, 0.5, random)).toBeGreaterThan(2 ** 39 - 10 * 2 ** 19);
  });

  it('refuses trials that are not whole numbers ≥ 0 and probabilities outside [0, 1]', () => {
    const random = createRandom(1);
    expect(() => binomial(-1, 0.5, random)).toThrow(RangeError);
    expect(() => binomial(2.5, 0.5, random)).toThrow(RangeError);
    expect(() => binomial(10, 1.5, random)).toThrow(RangeError);
    expect(() => binomial(10, Number.NaN, random)).toThrow(RangeError);
  });
});
