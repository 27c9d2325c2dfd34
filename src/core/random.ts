/**
 * Seeded random numbers for the sample and the bootstrap: xoroshiro128+ from pure-rand, whose
 * output for a state is fixed by its algorithm, so the same seed draws the same sample on any
 * machine and any Node version (Math.random cannot be seeded).
 *
 * The 128-bit state is made from the seed with SplitMix64, as the generator's authors recommend
 * (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021). pure-rand's own
 * `xoroshiro128plus(seed)` puts the seed into the state almost unchanged, so that the first draw is
 * about 1 − seed/2³² and streams of nearby seeds stay correlated.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

export interface Random {
  /** A double in [0, 1), 53 random bits. */
  nextDouble(): number;
  /** An integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
}

const mask64 = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea & Flood 2014): the next state and the 64-bit output. */
function splitMix64(state: bigint): { state: bigint; output: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & mask64;
  let mixed = next;
  mixed = ((mixed ^ (mixed >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64;
  mixed = ((mixed ^ (mixed >> 27n)) * 0x94d049bb133111ebn) & mask64;
  return { state: next, output: mixed ^ (mixed >> 31n) };
}

/** The xoroshiro128+ state (pure-rand's layout: high and low 32 bits of s0, then of s1) for a seed. */
export function seedState(seed: number): number[] {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`a seed must be a whole number, received ${seed}`);
  let state = BigInt.asUintN(64, BigInt(seed));
  const words: number[] = [];
  for (let part = 0; part < 2; part++) {
    const step = splitMix64(state);
    state = step.state;
    words.push(Number(step.output >> 32n) | 0, Number(step.output & 0xffffffffn) | 0);
  }
  return words;
}

/**
 * A generator for a seed (a safe integer; the tool's seeds are 0 … 2³² − 1).
 * @throws {RangeError} when the seed is not a whole number
 * @example createRandom(42).nextInt(10) // always the same digit for seed 42
 */
export function createRandom(seed: number): Random {
  const generator = xoroshiro128plusFromState(seedState(seed));
  return {
    nextDouble: () => uniformFloat64(generator),
    nextInt: (maxExclusive: number) => uniformInt(generator, 0, maxExclusive - 1),
  };
}

/** A seeded Fisher–Yates shuffle of a copy of `items`. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = random.nextInt(index + 1);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
