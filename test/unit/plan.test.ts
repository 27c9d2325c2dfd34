import { describe, expect, it } from 'vitest';
import { planFromCodes, planFromPrevalence } from '../../src/core/plan.js';
import { alphaMinimumSample } from '../../src/core/stats/alpha-sample-size.js';
import { kappaIntervalSample } from '../../src/core/stats/kappa-sample-size.js';

const parameters = { alphaMin: 0.8, level: 0.95, target: 0.8, halfWidth: 0.1, method: 'alpha' as const };

describe('the reliability sample plan', () => {
  it('is set by the rarest code, and lists codes with no usable prevalence', () => {
    const plan = planFromCodes(
      [
        { id: 'common', units: 50, reviewed: 200 },
        { id: 'rare', units: 10, reviewed: 200 },
        { id: 'never', units: 0, reviewed: 200 },
        { id: 'always', units: 200, reviewed: 200 },
        { id: 'mostly', units: 190, reviewed: 200 },
      ],
      parameters,
    );
    // 'rare' (π = .05) and 'mostly' (π = .95) have the same p_min and size: the first in codebook order drives.
    expect(plan.driver).toBe('rare');
    expect(plan.size).toBe(alphaMinimumSample(0.8, 0.05, 0.05).units);
    expect(plan.rows.filter((row) => row.drives).map((row) => row.code)).toEqual(['rare']);
    expect(plan.rows.find((row) => row.code === 'mostly')!.p_min).toBeCloseTo(0.05, 12);
    expect(plan.unplanned).toEqual(['never', 'always']);
    expect(plan.rows.find((row) => row.code === 'never')!.units).toBeNull();
  });

  it('takes the κ size, or the larger of the two, as the method says', () => {
    const kappa = planFromPrevalence(0.2, { ...parameters, method: 'kappa' });
    expect(kappa.size).toBe(kappaIntervalSample(0.8, 0.1, 0.2, 0.95).units);
    const both = planFromPrevalence(0.2, { ...parameters, method: 'both' });
    expect(both.size).toBe(
      Math.max(alphaMinimumSample(0.8, 0.2, 0.05).units, kappaIntervalSample(0.8, 0.1, 0.2, 0.95).units),
    );
  });

  it('has no size when no code can be planned for', () => {
    const plan = planFromCodes([{ id: 'never', units: 0, reviewed: 10 }], parameters);
    expect(plan.size).toBeNull();
    expect(plan.driver).toBeNull();
  });
});
