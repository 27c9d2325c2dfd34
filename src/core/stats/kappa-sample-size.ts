/**
 * Units needed for a confidence interval of κ of a chosen half-width, for a binary code and two
 * coders: the goodness-of-fit approach of Donner & Eliasziw (1992, *Statistics in Medicine* 11,
 * 1511–1519), extended by Donner & Rotondi (2010, *International Journal of Biostatistics* 6(1),
 * art. 31). Under the common-correlation model a unit falls in one of three cells (neither coder
 * gives the code, one does, both do) with probabilities, for prevalence π and agreement κ:
 *
 *   P₀(κ) = (1 − π)² + κ π (1 − π),   P₁(κ) = 2 (1 − κ) π (1 − π),   P₂(κ) = π² + κ π (1 − π).
 *
 * The expected interval around κ₀ reaches κ_L = κ₀ − w and κ_U = κ₀ + w when the chi-square
 * distance n · Σ (P_i(κ₀) − P_i(κ₁))² / P_i(κ₁) reaches the critical value χ²₁(level) for both
 * κ₁ = κ_L and κ₁ = κ_U; n is the smallest whole number for which it does.
 */
import { roundUp } from './alpha-sample-size.js';
import { normalQuantile } from './normal.js';

function cells(kappa: number, prevalence: number): [number, number, number] {
  const spread = prevalence * (1 - prevalence);
  return [(1 - prevalence) ** 2 + kappa * spread, 2 * (1 - kappa) * spread, prevalence ** 2 + kappa * spread];
}

/** The chi-square distance per unit between the cell probabilities under κ₀ and under κ₁. */
function distance(kappa0: number, kappa1: number, prevalence: number): number {
  const expected = cells(kappa1, prevalence);
  const observed = cells(kappa0, prevalence);
  let sum = 0;
  for (let cell = 0; cell < 3; cell++) sum += (observed[cell]! - expected[cell]!) ** 2 / expected[cell]!;
  return sum;
}

export interface KappaSampleSize {
  units: number;
  /** The larger of χ² / distance for the two limits, before rounding up. */
  exact: number;
}

/**
 * @param kappa the expected κ₀, in (0, 1)
 * @param halfWidth w, with 0 < κ₀ − w and κ₀ + w < 1
 * @param prevalence π, the share of units with the code, in (0, 1)
 * @param level the confidence level of the two-sided interval, in (0, 1)
 * @throws {RangeError} for a parameter outside its range
 * @example kappaIntervalSample(0.4, 0.1, 0.3, 0.95).units // 397 (kappaSize::CIBinary's example)
 */
export function kappaIntervalSample(
  kappa: number,
  halfWidth: number,
  prevalence: number,
  level: number,
): KappaSampleSize {
  if (!(kappa > 0 && kappa < 1)) throw new RangeError(`κ must be in (0, 1), received ${kappa}`);
  if (!(halfWidth > 0 && kappa - halfWidth > 0 && kappa + halfWidth < 1))
    throw new RangeError(`the interval κ ± w must lie inside (0, 1), received ${kappa} ± ${halfWidth}`);
  if (!(prevalence > 0 && prevalence < 1))
    throw new RangeError(`the prevalence must be in (0, 1), received ${prevalence}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`the level must be in (0, 1), received ${level}`);
  const z = normalQuantile((1 + level) / 2);
  const critical = z * z;
  const exact = Math.max(
    critical / distance(kappa, kappa - halfWidth, prevalence),
    critical / distance(kappa, kappa + halfWidth, prevalence),
  );
  return { units: roundUp(exact), exact };
}
