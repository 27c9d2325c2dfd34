import { createRandom, type Random } from '../random.js';
import { binomial } from './binomial.js';

/**
 * A multinomial draw of n units over patterns with the given weights (the observed counts of each
 * distinct unit pattern): the count of pattern i is drawn as B(n − drawn so far, w_i / w remaining),
 * conditional binomials that together follow the multinomial distribution exactly. Weights are
 * whole numbers, so the remaining weight is exact and the last non-empty pattern takes what is left.
 * Cost O(patterns), whatever n.
 *
 * @param weights counts of the patterns, whole numbers ≥ 0
 * @param units n, how many units to draw
 * @param random seeded source of uniforms
 * @param into where to write the counts (length = patterns); a new array when omitted
 * @throws {RangeError} when n or a weight is not a whole number ≥ 0, or the weights are all 0 while n > 0
 * @example multinomial([5, 3, 2], 10, createRandom(1)) // three whole numbers summing to 10
 */
export function multinomial(
  weights: readonly number[],
  units: number,
  random: Random,
  into: Float64Array = new Float64Array(weights.length),
): Float64Array {
  if (!Number.isSafeInteger(units) || units < 0) {
    throw new RangeError(`the number of units to draw must be a whole number ≥ 0, received ${units}`);
  }
  let remainingWeight = 0;
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new RangeError(`pattern counts must be whole numbers ≥ 0, received ${weight}`);
    }
    remainingWeight += weight;
  }
  if (units > 0 && remainingWeight === 0)
    throw new RangeError('cannot draw units from patterns that all have count 0');
  let remainingUnits = units;
  for (let pattern = 0; pattern < weights.length; pattern++) {
    const weight = weights[pattern]!;
    let drawn = 0;
    if (remainingUnits > 0 && weight > 0) {
      drawn =
        weight === remainingWeight
          ? remainingUnits
          : binomial(remainingUnits, weight / remainingWeight, random);
    }
    into[pattern] = drawn;
    remainingUnits -= drawn;
    remainingWeight -= weight;
  }
  return into;
}

/**
 * Quantile of sorted values by linear interpolation between order statistics: R's type 7, numpy's
 * default `method='linear'`, Excel's PERCENTILE.INC.
 *
 *     h = (m − 1) p,   Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋)    (0-based x, m values)
 *
 * Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. The American
 * Statistician, 50(4), 361–365 (definition 7). Cost O(1).
 *
 * @param sorted values in ascending order, at least one
 * @param probability p in [0, 1]
 * @throws {RangeError} when there is no value or p is not in [0, 1]
 * @example quantileSorted([1, 2, 3, 4], 0.25) // 1.75
 */
export function quantileSorted(sorted: ArrayLike<number>, probability: number): number {
  if (sorted.length === 0) throw new RangeError('a quantile needs at least one value');
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`a quantile needs a probability in [0, 1], received ${probability}`);
  }
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const fraction = position - below;
  const lower = sorted[below]!;
  if (fraction === 0) return lower;
  return lower + fraction * (sorted[below + 1]! - lower);
}

export interface BootstrapOptions {
  /** How many units show each distinct pattern (e.g. the cells of an agreement table); n = their sum. */
  patternCounts: readonly number[];
  /**
   * The statistic on one resample, given its pattern counts; null when undefined on that resample.
   * The array is reused from one resample to the next: copy it to keep it.
   */
  statistic: (resampledCounts: Float64Array) => number | null;
  /** Number of resamples, a whole number ≥ 1. */
  resamples: number;
  /** Seed of `createRandom`: the same seed gives the same interval. */
  seed: number;
  /** Confidence level, strictly between 0 and 1 (default 0.95). */
  level?: number;
}

export interface BootstrapInterval {
  /** Lower percentile of the defined resampled values; null when no resample was defined. */
  low: number | null;
  /** Upper percentile of the defined resampled values; null when no resample was defined. */
  high: number | null;
  /** Number of resamples drawn. */
  resamples: number;
  /** Resamples on which the statistic was undefined (null), left out of the percentiles. */
  undefinedResamples: number;
}

/**
 * Percentile bootstrap confidence interval over units, without touching units one by one: each
 * resample draws n units with replacement, which is a multinomial draw of n over the distinct
 * unit patterns with probabilities count/n, made by conditional exact binomials (see
 * `multinomial`), so 1,000 resamples of a million units cost 1,000 × patterns binomial draws.
 *
 *     low = Q((1 − level)/2),   high = Q((1 + level)/2)
 *
 * with Q the type-7 quantile (R's default, numpy's 'linear'; see `quantileSorted`) of the resampled
 * statistics that are defined; undefined ones are counted in `undefinedResamples` and left out.
 * Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13 (percentile
 * interval). Draws come from `createRandom(seed)`, so the
 * same inputs and seed give the same interval on any machine.
 * Cost O(resamples × (patterns + cost of the statistic)), whatever the number of units.
 *
 * @throws {RangeError} when pattern counts are not whole numbers ≥ 0, resamples is not a whole
 *   number ≥ 1, the seed is not a whole number, the level is not in (0, 1), or the statistic
 *   returns NaN or ±Infinity
 * @example bootstrapPercentile({ patternCounts: [40, 9, 6, 45], statistic: (cells) => (cells[0] + cells[3]) / 100, resamples: 1000, seed: 7 }) // { low: ≈0.78, high: ≈0.92, resamples: 1000, undefinedResamples: 0 }
 */
export function bootstrapPercentile(options: BootstrapOptions): BootstrapInterval {
  const { statistic, ...rest } = options;
  return bootstrapPercentiles({ ...rest, statistics: [statistic] })[0]!;
}

export interface BootstrapManyOptions extends Omit<BootstrapOptions, 'statistic'> {
  /** Several statistics, all computed on the same resamples (one multinomial draw per resample). */
  statistics: ReadonlyArray<(resampledCounts: Float64Array) => number | null>;
  /** Called once per resample before the statistics, e.g. to compute tables they share. */
  prepare?: (resampledCounts: Float64Array) => void;
}

/**
 * `bootstrapPercentile` for several statistics at once: every statistic sees the same resamples,
 * so their intervals are consistent with each other and the draws are made only once.
 * @throws {RangeError} as `bootstrapPercentile`
 */
export function bootstrapPercentiles(options: BootstrapManyOptions): BootstrapInterval[] {
  const { patternCounts, statistics, resamples, seed } = options;
  const level = options.level ?? 0.95;
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a whole number ≥ 1, received ${resamples}`);
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`the confidence level must be strictly between 0 and 1, received ${level}`);
  }
  let units = 0;
  for (const count of patternCounts) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`pattern counts must be whole numbers ≥ 0, received ${count}`);
    }
    units += count;
  }
  const random = createRandom(seed);
  const resampledCounts = new Float64Array(patternCounts.length);
  const values = statistics.map(() => new Float64Array(resamples));
  const defined = statistics.map(() => 0);
  for (let resample = 0; resample < resamples; resample++) {
    multinomial(patternCounts, units, random, resampledCounts);
    options.prepare?.(resampledCounts);
    for (const [index, statistic] of statistics.entries()) {
      const value = statistic(resampledCounts);
      if (value === null) continue;
      if (!Number.isFinite(value)) {
        throw new RangeError(`the bootstrap statistic returned ${value}; return null when it is undefined`);
      }
      values[index]![defined[index]!++] = value;
    }
  }
  return statistics.map((_, index) => {
    const count = defined[index]!;
    const undefinedResamples = resamples - count;
    if (count === 0) return { low: null, high: null, resamples, undefinedResamples };
    const sorted = values[index]!.subarray(0, count).sort();
    return {
      low: quantileSorted(sorted, (1 - level) / 2),
      high: quantileSorted(sorted, (1 + level) / 2),
      resamples,
      undefinedResamples,
    };
  });
}
