/**
 * The bootstrap distribution of Krippendorff's α for nominal data as Krippendorff specifies it
 * (Hayes & Krippendorff 2007; Krippendorff 2018, ch. 12; the algorithm of Hayes' KALPHA macro):
 * the expected disagreement D_e is held fixed, M pairs of values are drawn with replacement from
 * the coincidence matrix's pairs, and each resample gives α_b = 1 − (disagreeing pairs)/(M · D_e).
 * It reports the percentile interval and q(α < α_min), the probability that α is below a minimum
 * (0.667 and 0.800 are Krippendorff's usual minima).
 */
import { createRandom } from '../random.js';
import { binomial } from './binomial.js';
import { ALPHA_NOTHING_PAIRABLE, ALPHA_SINGLE_CATEGORY } from './krippendorff-alpha.js';

/** Krippendorff's minima: 0.667, the lowest conceivable, and 0.800, the customary (Krippendorff 2018, §12.6). */
export const alphaMinima = [0.667, 0.8] as const;

export interface AlphaBootstrap {
  /** α of the data (the centre of the distribution). */
  alpha: number;
  resamples: number;
  seed: number;
  /** M, the pairs of values drawn per resample: min(25 q, (m − 1) n.. / 2), q the non-zero cells of the coincidence matrix. */
  pairs: number;
  level: number;
  /** Mean of the resampled α_b (close to α: the draws are unbiased for D_o). */
  mean: number;
  /** KALPHA's percentile bounds: the order statistics max(⌊N(1 − level)/2⌋, 1) and min(⌊N(1 + level)/2⌋ + 1, N). */
  low: number;
  high: number;
  /** q(α < α_min): the share of resamples with α_b < α_min. */
  below: Array<{ minimum: number; probability: number }>;
}

export interface AlphaBootstrapOptions {
  resamples: number;
  seed: number;
  level?: number;
  minima?: readonly number[];
}

/**
 * Bootstrap of nominal α from its coincidence matrix `matrix` (see `coincidenceMatrix`) and the
 * number of coders `coders` (m). For nominal data a pair disagrees or not, so the disagreeing
 * pairs among M drawn are Binomial(M, D_o), D_o = Σ_{c≠k} o_ck / n.. — the same distribution as
 * drawing the M pairs one by one, in O(1) per resample. As KALPHA does, α_b is floored at −1, and
 * when several values were used, round(N Σ_c (o_cc/n..)^M) resamples with α_b = 1 (all pairs drawn
 * from one value, where α would be 0/0) are set to 0. Deterministic for a seed. Cost O(N log N).
 *
 * Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure
 * for coding data. Communication Methods and Measures, 1(1), 77–89. Krippendorff, K. (2018).
 * Content Analysis (4th ed.), ch. 12.
 *
 * @returns the bootstrap, or a reason when α is undefined
 * @throws {RangeError} when resamples is not a whole number ≥ 1
 */
export function krippendorffAlphaBootstrap(
  matrix: readonly (readonly number[])[],
  coders: number,
  options: AlphaBootstrapOptions,
): { value: AlphaBootstrap; reason?: undefined } | { value: null; reason: string } {
  const { resamples, seed } = options;
  const level = options.level ?? 0.95;
  if (!Number.isSafeInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a whole number ≥ 1, received ${resamples}`);
  const totals = matrix.map((row) => row.reduce((sum, cell) => sum + cell, 0));
  const pairable = totals.reduce((sum, total) => sum + total, 0);
  if (pairable === 0) return { value: null, reason: ALPHA_NOTHING_PAIRABLE };
  let squaredTotals = 0;
  for (const total of totals) squaredTotals += total * total;
  const expected = (pairable * pairable - squaredTotals) / (pairable * (pairable - 1));
  if (!(expected > 0)) return { value: null, reason: ALPHA_SINGLE_CATEGORY };
  let agreeing = 0;
  let nonZeroCells = 0;
  let diagonalCells = 0;
  for (const [row, cells] of matrix.entries()) {
    for (const cell of cells) if (cell !== 0) nonZeroCells++;
    agreeing += cells[row]!;
    if (cells[row]! !== 0) diagonalCells++;
  }
  const observed = Math.min(1, Math.max(0, (pairable - agreeing) / pairable));
  const alpha = 1 - observed / expected;
  const pairs = Math.max(1, Math.floor(Math.min(25 * nonZeroCells, ((coders - 1) * pairable) / 2)));
  const random = createRandom(seed);
  const draws = new Float64Array(resamples);
  let ones = 0;
  for (let index = 0; index < resamples; index++) {
    const disagreeing = binomial(pairs, observed, random);
    let value = Math.max(-1, 1 - disagreeing / (pairs * expected));
    if (disagreeing === 0) {
      if (diagonalCells === 1) value = 0;
      else ones++;
    }
    draws[index] = value;
  }
  // KALPHA's correction for resamples whose pairs all come from one value (α = 0/0, not 1).
  let singleValueShare = 0;
  for (const [row, cells] of matrix.entries()) singleValueShare += (cells[row]! / pairable) ** pairs;
  let corrections = Math.min(Math.round(resamples * singleValueShare), ones);
  for (let index = 0; index < resamples && corrections > 0; index++) {
    if (draws[index] === 1) {
      draws[index] = 0;
      corrections--;
    }
  }
  draws.sort();
  let sum = 0;
  for (const draw of draws) sum += draw;
  const lowIndex = Math.max(Math.trunc(((1 - level) / 2) * resamples), 1) - 1;
  const highIndex = Math.min(Math.trunc(((1 + level) / 2) * resamples) + 1, resamples) - 1;
  const below = (options.minima ?? alphaMinima).map((minimum) => {
    let count = 0;
    while (count < resamples && draws[count]! < minimum) count++;
    return { minimum, probability: count / resamples };
  });
  return {
    value: {
      alpha,
      resamples,
      seed,
      pairs,
      level,
      mean: sum / resamples,
      low: draws[lowIndex]!,
      high: draws[highIndex]!,
      below,
    },
  };
}
