/**
 * Drawing the double-coding sample: a simple random sample of units, or a stratified one with
 * proportional allocation. The size is exact and documented: n = round(fraction × N) (halves
 * round up; at least 1), or the size asked for; strata get their quotas by the largest-remainder
 * method (Hamilton): each stratum first gets floor(n × N_s / N), the units left go to the strata
 * with the largest remainders, ties to the stratum that sorts first.
 */
import { createRandom, shuffled } from './random.js';

export interface SampleRequest {
  /** Fraction of the units, in (0, 1]; or `size`. */
  fraction?: number | undefined;
  size?: number | undefined;
  /** Seed of the generator (0 ≤ seed < 2^32). */
  seed: number;
}

export interface Stratum {
  name: string;
  population: number;
  sample: number;
}

export interface DrawnSample {
  /** Indices of the sampled units, ascending (corpus order). */
  units: number[];
  /** The stratum of each sampled unit, parallel to `units`. */
  strata: string[];
  size: number;
  population: number;
  allocation: Stratum[];
}

/** The sample size for a population: round(fraction × N), halves up, at least 1; or the size given. */
export function sampleSize(population: number, request: Pick<SampleRequest, 'fraction' | 'size'>): number {
  if (request.size !== undefined) return Math.min(request.size, population);
  const exact = (request.fraction ?? 0) * population;
  // Guard against 0.2 × 1000 = 200.00000000000003 style errors before rounding.
  const rounded = Math.floor(Number(exact.toPrecision(12)) + 0.5);
  return Math.max(1, Math.min(population, rounded));
}

/** Proportional allocation of `size` over strata by the largest-remainder method. */
export function allocate(
  size: number,
  populations: ReadonlyArray<{ name: string; population: number }>,
): Stratum[] {
  const total = populations.reduce((sum, stratum) => sum + stratum.population, 0);
  const quotas = populations.map((stratum, order) => {
    const exact = total === 0 ? 0 : (size * stratum.population) / total;
    const floor = Math.floor(Number(exact.toPrecision(12)));
    return { ...stratum, order, floor, remainder: exact - floor };
  });
  let left = size - quotas.reduce((sum, quota) => sum + quota.floor, 0);
  const byRemainder = [...quotas].sort(
    (left, right) => right.remainder - left.remainder || left.order - right.order,
  );
  const extra = new Set<number>();
  for (const quota of byRemainder) {
    if (left <= 0) break;
    if (quota.floor < quota.population) {
      extra.add(quota.order);
      left--;
    }
  }
  return quotas.map((quota) => ({
    name: quota.name,
    population: quota.population,
    sample: quota.floor + (extra.has(quota.order) ? 1 : 0),
  }));
}

/**
 * Draw the sample. `strataOf[i]` is unit i's stratum (all the same for a simple random sample).
 * Strata are processed in sorted order; within each, the units (in corpus order) are shuffled with
 * one seeded generator (xoroshiro128+, Fisher–Yates) and the first quota taken.
 * @example drawSample(['a','a','b','b'], { fraction: 0.5, seed: 1 }).size // 2
 */
export function drawSample(strataOf: readonly string[], request: SampleRequest): DrawnSample {
  const population = strataOf.length;
  const size = sampleSize(population, request);
  const members = new Map<string, number[]>();
  for (const [index, stratum] of strataOf.entries()) {
    const list = members.get(stratum);
    if (list) list.push(index);
    else members.set(stratum, [index]);
  }
  const names = [...members.keys()].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  const allocation = allocate(
    size,
    names.map((name) => ({ name, population: members.get(name)!.length })),
  );
  const random = createRandom(request.seed);
  const chosen: number[] = [];
  for (const stratum of allocation)
    chosen.push(...shuffled(members.get(stratum.name)!, random).slice(0, stratum.sample));
  chosen.sort((left, right) => left - right);
  return { units: chosen, strata: chosen.map((index) => strataOf[index]!), size, population, allocation };
}
