import { describe, expect, it } from 'vitest';
import { logGamma, studentTDistribution, studentTQuantile } from '../../src/core/stats/student-t.js';

describe("Student's t quantile", () => {
  // R 4.2.2: options(digits = 17); qt(p, df).
  const cases: Array<[number, number, number]> = [
    [0.975, 99, 1.9842169515864172],
    [0.975, 1, 12.706204736174694],
    [0.975, 2, 4.3026527297494619],
    [0.995, 3, 5.8409093097333544],
    [0.975, 10, 2.2281388519862739],
    [0.9, 64, 1.2949198195951737],
    [0.975, 1000, 1.9623390808264076],
    [0.999, 5, 5.8934295313560083],
    [0.975, 14, 2.1447866879178039],
  ];
  for (const [p, degrees, expected] of cases) {
    it(`qt(${p}, ${degrees}) = ${expected} (R)`, () => {
      expect(Math.abs(studentTQuantile(p, degrees) - expected)).toBeLessThan(1e-9);
      expect(Math.abs(studentTQuantile(1 - p, degrees) + expected)).toBeLessThan(1e-9);
      expect(Math.abs(studentTDistribution(expected, degrees) - p)).toBeLessThan(1e-12);
    });
  }

  it('is 0 at p = 1/2, and refuses p outside (0, 1) or df ≤ 0', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(() => studentTQuantile(1, 7)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
  });

  it('has ln Γ exact on integers: ln Γ(5) = ln 24, ln Γ(1/2) = ln √π', () => {
    expect(Math.abs(logGamma(5) - Math.log(24))).toBeLessThan(1e-13);
    expect(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-13);
  });
});
