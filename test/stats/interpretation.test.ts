import { describe, expect, it } from 'vitest';
import { landisKoch } from '../../src/core/stats/interpretation.js';

// Landis & Koch (1977), Biometrics 33(1), p. 165: <0 poor, .00–.20 slight, .21–.40 fair,
// .41–.60 moderate, .61–.80 substantial, .81–1.00 almost perfect.
describe('landisKoch', () => {
  it('labels each band, including its upper bound', () => {
    expect(landisKoch(-0.01)).toBe('poor');
    expect(landisKoch(-1)).toBe('poor');
    expect(landisKoch(0)).toBe('slight');
    expect(landisKoch(0.2)).toBe('slight');
    expect(landisKoch(0.2001)).toBe('fair');
    expect(landisKoch(0.4)).toBe('fair');
    expect(landisKoch(0.41)).toBe('moderate');
    expect(landisKoch(0.6)).toBe('moderate');
    expect(landisKoch(0.61)).toBe('substantial');
    expect(landisKoch(0.8)).toBe('substantial');
    expect(landisKoch(0.81)).toBe('almost perfect');
    expect(landisKoch(1)).toBe('almost perfect');
  });

  it("labels the paper's κ = 0.87 (usmca-review-2026, section 3) 'almost perfect'", () => {
    expect(landisKoch(0.87)).toBe('almost perfect');
  });

  it('refuses NaN and values above 1', () => {
    expect(() => landisKoch(Number.NaN)).toThrow(RangeError);
    expect(() => landisKoch(1.01)).toThrow(RangeError);
  });
});
