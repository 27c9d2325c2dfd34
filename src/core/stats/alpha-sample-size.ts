/**
 * Krippendorff's minimum number of units for a reliability test of α (Krippendorff 2004, *Content
 * Analysis*, 2nd ed., §11.4.2, Table 11.3; 2019, 4th ed., §12.4), after Bloch & Kraemer (1989,
 * eq. 3.7): the number of units two coders must code for α, computed from a variable whose least
 * frequent value has probability p_c, to be significantly above the smallest acceptable α_min:
 *
 *   N = 2 z² · [ (1 + α_min)(3 − α_min) / (4 (1 − α_min) p_c (1 − p_c)) − α_min ]
 *
 * with z the one-sided standard normal quantile of the level of significance (z = 1.645 for .05).
 * The smaller p_c (the rarer a code), the larger N.
 */
import { normalQuantile } from './normal.js';

export interface AlphaSampleSize {
  /** Units to double-code: the exact value rounded up. */
  units: number;
  /** The formula's exact value, before rounding up. */
  exact: number;
  /** The one-sided normal quantile used. */
  z: number;
}

/**
 * @param alphaMin the smallest acceptable α, in (0, 1)
 * @param smallestProbability p_c, the probability of the least frequent value, in (0, 1)
 * @param significance the level of significance (one-sided), in (0, 1): 0.05 for 95 % confidence
 * @throws {RangeError} for a parameter outside its range
 * @example alphaMinimumSample(0.8, 0.25, 0.05).units // 139 (Krippendorff's table, as quoted in the ATLAS.ti manual)
 */
export function alphaMinimumSample(
  alphaMin: number,
  smallestProbability: number,
  significance: number,
): AlphaSampleSize {
  if (!(alphaMin > 0 && alphaMin < 1)) throw new RangeError(`α_min must be in (0, 1), received ${alphaMin}`);
  if (!(smallestProbability > 0 && smallestProbability < 1))
    throw new RangeError(`p_c must be in (0, 1), received ${smallestProbability}`);
  if (!(significance > 0 && significance < 1))
    throw new RangeError(`the level of significance must be in (0, 1), received ${significance}`);
  const z = normalQuantile(1 - significance);
  const spread = smallestProbability * (1 - smallestProbability);
  const exact = 2 * z * z * (((1 + alphaMin) * (3 - alphaMin)) / (4 * (1 - alphaMin) * spread) - alphaMin);
  return { units: roundUp(exact), exact, z };
}

/** ⌈x⌉, forgiving the last bits of floating-point error (100.00000000001 is 100). */
export function roundUp(value: number): number {
  return Math.ceil(value - 1e-9 * Math.max(1, Math.abs(value)));
}
