/**
 * Wald confidence intervals of a coefficient from its standard error, in the two forms the
 * established tools report: z (SAS, R vcd and psych, statsmodels) and t(n − 1) with the upper
 * bound capped at 1 (irrCAC, Gwet 2014).
 */
import { normalQuantile } from './normal.js';
import { studentTQuantile } from './student-t.js';
import { definedFigure, undefinedFigure } from './table.js';
import type { Figure } from './types.js';

export const intervalMethods = ['z', 't'] as const;
export type IntervalMethod = (typeof intervalMethods)[number];

/** Reason given for a t interval on fewer than 2 units (no degrees of freedom). */
export const T_INTERVAL_ONE_UNIT = 'the t interval needs n ≥ 2 units (n − 1 degrees of freedom)';

/**
 * The interval estimate ± c · SE at confidence `level`:
 * - `z`: c = Φ⁻¹((1 + level)/2), bounds not clipped (an upper bound above 1 says the normal
 *   approximation is poor), as vcd, psych and statsmodels give it;
 * - `t`: c = t_{n−1}((1 + level)/2), upper bound min(1, estimate + c · SE), lower bound not clipped,
 *   as irrCAC gives it (Gwet 2014, ch. 5).
 *
 * @param units n, the number of units the coefficient was computed on (for t's n − 1 degrees of freedom)
 * @throws {RangeError} when the level is not strictly between 0 and 1
 * @example waldInterval({ value: 0.835 }, { value: 0.04693346 }, 100, 0.95, 't') // low ≈ 0.7419, high ≈ 0.9281
 */
export function waldInterval(
  estimate: Figure,
  standardError: Figure,
  units: number,
  level: number,
  method: IntervalMethod,
): { low: Figure; high: Figure } {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`the confidence level must be strictly between 0 and 1, received ${level}`);
  }
  if (estimate.value === null) return { low: estimate, high: estimate };
  if (standardError.value === null) return { low: standardError, high: standardError };
  if (method === 'z') {
    const halfWidth = normalQuantile((1 + level) / 2) * standardError.value;
    return {
      low: definedFigure(estimate.value - halfWidth),
      high: definedFigure(estimate.value + halfWidth),
    };
  }
  if (units < 2)
    return { low: undefinedFigure(T_INTERVAL_ONE_UNIT), high: undefinedFigure(T_INTERVAL_ONE_UNIT) };
  const halfWidth = studentTQuantile((1 + level) / 2, units - 1) * standardError.value;
  return {
    low: definedFigure(estimate.value - halfWidth),
    high: definedFigure(Math.min(1, estimate.value + halfWidth)),
  };
}
