import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/core/stats/normal.js';

/*
 * Exact quantiles of the double nearest each p, from Python 3.11 mpmath with mp.dps = 40:
 *   mpmath.nstr(mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(p) - 1), 25)
 *   0.975 → 1.959963984540053855604431     0.025 → -1.959963984540054211779584
 *   0.9   → 1.281551565544600593487448     0.995 → 2.575829303548900453857483
 *   0.075 → -1.439531470938455934949801    0.3   → -0.5244005127080408159694544
 *   1e-10 → -6.361340902404056199100397    0.999999 → 4.753424308817087765688097
 * (below: the nearest doubles), and, for p = 1e-300 (beyond mpmath's erfinv), R 4.2.2
 * sprintf('%.17g', qnorm(1e-300)) → -37.047096299361201, which scipy.special.ndtri(1e-300) (Cephes,
 * an independent algorithm) prints identically.
 */
const quantiles: [number, number][] = [
  [0.975, 1.9599639845400538],
  [0.025, -1.9599639845400543],
  [0.9, 1.2815515655446006],
  [0.995, 2.5758293035489004],
  [0.075, -1.439531470938456],
  [0.3, -0.5244005127080408],
  [1e-10, -6.361340902404057],
  [0.999999, 4.753424308817087],
  [1e-300, -37.0470962993612],
];

describe('normalQuantile (Wichura AS 241)', () => {
  it('is accurate to 1e-15 relative in all three regions of the algorithm', () => {
    for (const [probability, expected] of quantiles) {
      const quantile = normalQuantile(probability);
      expect(Math.abs(quantile - expected), `p = ${probability}`).toBeLessThanOrEqual(
        1e-15 * Math.abs(expected),
      );
    }
  });

  it('gives the familiar 1.959963984540054 for 0.975 to within one unit in the last place', () => {
    // R 4.2.2: sprintf('%.17g', qnorm(0.975)) → 1.9599639845400536, the same double as here (both AS 241).
    expect(normalQuantile(0.975)).toBe(1.9599639845400536);
    expect(Math.abs(normalQuantile(0.975) - 1.959963984540054)).toBeLessThanOrEqual(Number.EPSILON * 2);
  });

  it('is 0 at one half and odd around it', () => {
    expect(normalQuantile(0.5)).toBe(0);
    for (const probability of [0.01, 0.2, 0.4, 0.4999]) {
      expect(normalQuantile(probability)).toBeCloseTo(-normalQuantile(1 - probability), 14);
    }
  });

  it('refuses probabilities outside (0, 1), whose quantiles are infinite or do not exist', () => {
    for (const probability of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => normalQuantile(probability)).toThrow(RangeError);
    }
  });
});
