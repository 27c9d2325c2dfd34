import { describe, expect, it } from 'vitest';
import { alphaMinimumSample } from '../../src/core/stats/alpha-sample-size.js';
import { kappaIntervalSample } from '../../src/core/stats/kappa-sample-size.js';

describe("Krippendorff's minimum sample for α", () => {
  it('matches the published table entries', () => {
    // Krippendorff (2019, Content Analysis 4th ed., §12.4, table of minimum sample sizes, after
    // Bloch & Kraemer 1989 eq. 3.7), as quoted in the ATLAS.ti 22 Windows manual, "Sample Size and
    // Decision Rules": four equally likely codes (p_c = .25), α_min = .800, significance .05 → 139 units.
    expect(alphaMinimumSample(0.8, 0.25, 0.05).units).toBe(139);
    // Same table and page: p_c = .25, α_min = .667, significance .05 → 81 units.
    expect(alphaMinimumSample(0.667, 0.25, 0.05).units).toBe(81);
  });

  it('uses the one-sided z of the significance level', () => {
    // Krippendorff (2004, §11.4.2): z = 1.645 at the .05 level of significance (one-tailed).
    expect(alphaMinimumSample(0.8, 0.25, 0.05).z).toBeCloseTo(1.6448536269514722, 12);
  });

  it('needs more units for a rarer smallest category, a higher α_min and a stricter level', () => {
    const base = alphaMinimumSample(0.8, 0.25, 0.05).exact;
    expect(alphaMinimumSample(0.8, 0.1, 0.05).exact).toBeGreaterThan(base);
    expect(alphaMinimumSample(0.9, 0.25, 0.05).exact).toBeGreaterThan(base);
    expect(alphaMinimumSample(0.8, 0.25, 0.01).exact).toBeGreaterThan(base);
    // p_c and 1 − p_c give the same size: the formula depends on p_c (1 − p_c) only.
    expect(alphaMinimumSample(0.8, 0.75, 0.05).exact).toBe(alphaMinimumSample(0.8, 0.25, 0.05).exact);
  });

  it('refuses parameters outside their range', () => {
    expect(() => alphaMinimumSample(1, 0.25, 0.05)).toThrow(RangeError);
    expect(() => alphaMinimumSample(0, 0.25, 0.05)).toThrow(RangeError);
    expect(() => alphaMinimumSample(0.8, 0, 0.05)).toThrow(RangeError);
    expect(() => alphaMinimumSample(0.8, 0.25, 1)).toThrow(RangeError);
  });
});

describe('units for a κ confidence interval of a given half-width (Donner & Rotondi 2010)', () => {
  // Independent implementation: kappaSize 1.2 (M. A. Rotondi, CRAN), CIBinary(kappa0, kappaL, kappaU,
  // props, raters = 2, alpha), run in R 4 with the arguments in each row; its N is in the last column.
  const cases: Array<[kappa: number, halfWidth: number, prevalence: number, level: number, units: number]> = [
    [0.4, 0.1, 0.3, 0.95, 397], // CIBinary(0.4, 0.3, 0.5, props = 0.30, alpha = 0.05): the package's own example
    [0.8, 0.1, 0.5, 0.95, 196], // CIBinary(0.8, 0.7, 0.9, props = 0.5, alpha = 0.05)
    [0.8, 0.1, 0.1, 0.95, 534], // CIBinary(0.8, 0.7, 0.9, props = 0.1, alpha = 0.05)
    [0.6, 0.2, 0.2, 0.95, 118], // CIBinary(0.6, 0.4, 0.8, props = 0.2, alpha = 0.05)
    [0.8, 0.1, 0.05, 0.95, 1006], // CIBinary(0.8, 0.7, 0.9, props = 0.05, alpha = 0.05)
    [0.85, 0.1, 0.2, 0.9, 184], // CIBinary(0.85, 0.75, 0.95, props = 0.2, alpha = 0.10)
    [0.7, 0.1, 0.3, 0.99, 501], // CIBinary(0.7, 0.6, 0.8, props = 0.3, alpha = 0.01)
  ];
  it.each(cases)(
    'κ₀ = %s ± %s, prevalence %s, level %s → %s units',
    (kappa, halfWidth, prevalence, level, units) => {
      expect(kappaIntervalSample(kappa, halfWidth, prevalence, level).units).toBe(units);
    },
  );

  it('is symmetric in the prevalence (a code and its absence)', () => {
    expect(kappaIntervalSample(0.8, 0.1, 0.2, 0.95).exact).toBeCloseTo(
      kappaIntervalSample(0.8, 0.1, 0.8, 0.95).exact,
      9,
    );
  });

  it('refuses an interval that leaves (0, 1)', () => {
    expect(() => kappaIntervalSample(0.9, 0.1, 0.2, 0.95)).toThrow(RangeError);
    expect(() => kappaIntervalSample(0.8, 0, 0.2, 0.95)).toThrow(RangeError);
    expect(() => kappaIntervalSample(0.8, 0.1, 1, 0.95)).toThrow(RangeError);
    expect(() => kappaIntervalSample(0.8, 0.1, 0.2, 1)).toThrow(RangeError);
  });
});
