/** Krippendorff's α bootstrap put into the reliability figures, shared by the two-coder path and the path for several coders. */
import { type AlphaBootstrap, krippendorffAlphaBootstrap } from './stats/index.js';

/**
 * Put α's bootstrap (Hayes & Krippendorff 2007) of a coincidence matrix into a figure set, or null
 * with the reason. Shared by the two-coder path and the path for several coders.
 */
export function addAlphaBootstrap(
  figures: { krippendorff_alpha_bootstrap?: AlphaBootstrap | null; reasons: Record<string, string> },
  coincidences: number[][],
  coders: number,
  bootstrap: { resamples: number; seed: number },
  level: number,
): void {
  const result = krippendorffAlphaBootstrap(coincidences, coders, { ...bootstrap, level });
  figures.krippendorff_alpha_bootstrap = result.value;
  if (result.value === null) figures.reasons['krippendorff_alpha_bootstrap'] = result.reason;
}
