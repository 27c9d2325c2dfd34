/**
 * Standard errors and intervals of π, α, AC1 and BP for two raters (Gwet 2014, ch. 5), and the z
 * and t intervals. Expected values: irrCAC 1.4's README (cont3x3abstractors, 7 digits), and irrCAC
 * 1.4's own R code (R/agree.coeff2.r: kappa2.table, scott2.table, gwet.ac1.table, bp2.table,
 * krippen2.table) run in R 4.2.2 with options(digits = 17), lower bound v − qt(0.975, n − 1)·se,
 * upper bound min(1, v + qt(0.975, n − 1)·se).
 */
import { describe, expect, it } from 'vitest';
import { brennanPrediger, brennanPredigerStandardError } from '../../src/core/stats/brennan-prediger.js';
import { cohenKappa, cohenKappaStandardError } from '../../src/core/stats/cohen-kappa.js';
import { waldInterval } from '../../src/core/stats/confidence-interval.js';
import { gwetAc1FromTable, gwetAc1StandardError } from '../../src/core/stats/gwet-ac1.js';
import {
  krippendorffAlphaFromTable,
  krippendorffAlphaStandardError,
} from '../../src/core/stats/krippendorff-alpha.js';
import { scottPi, scottPiStandardError } from '../../src/core/stats/scott-pi.js';
import type { AgreementTable, Figure } from '../../src/core/stats/types.js';

type Statistic = (table: AgreementTable) => Figure;
const statistics: Record<string, [Statistic, Statistic]> = {
  kappa: [cohenKappa, cohenKappaStandardError],
  scott: [scottPi, scottPiStandardError],
  ac1: [gwetAc1FromTable, gwetAc1StandardError],
  bp: [brennanPrediger, brennanPredigerStandardError],
  alpha: [krippendorffAlphaFromTable, krippendorffAlphaStandardError],
};

const close = (actual: number | null, expected: number): void => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-9);
};

/** [value, se, t low, t high] per statistic, from irrCAC's R code (see the top of this file). */
const irrCAC: Array<{ name: string; table: number[][]; expected: Record<string, number[]> }> = [
  {
    name: 'cont3x3abstractors',
    table: [
      [13, 0, 0],
      [0, 20, 7],
      [0, 4, 56],
    ],
    expected: {
      kappa: [0.79640940218397205, 0.058910718326081461, 0.67951775625122857, 0.91330104811671553],
      scott: [0.79623969621191104, 0.059054733308957344, 0.67906229330886281, 0.91341709911495927],
      ac1: [0.84933054823134624, 0.043217467522559269, 0.76357771656844875, 0.93508337989424373],
      bp: [0.83500000000000019, 0.04693346354148601, 0.74187382604432051, 0.92812617395567987],
      alpha: [0.79725849773085156, 0.059054733308957344, 0.68008109482780332, 0.91443590063389979],
    },
  },
  {
    name: 'cont4x4diagnosis',
    table: [
      [40, 4, 4, 17],
      [6, 25, 2, 13],
      [4, 1, 21, 12],
      [15, 5, 9, 45],
    ],
    expected: {
      kappa: [0.43150077588117941, 0.045969181562379002, 0.34090896981937335, 0.52209258194298547],
      scott: [0.43034055727554182, 0.04623154442555949, 0.33923171077900854, 0.52144940377207516],
      ac1: [0.45615763546798033, 0.043449874431243277, 0.37053064660058682, 0.54178462433537389],
      bp: [0.44992526158445445, 0.043955275206004112, 0.36330227567263912, 0.53654824749626984],
      alpha: [0.43161782060003617, 0.04623154442555949, 0.34050897410350289, 0.52272666709656945],
    },
  },
  {
    name: 'a small 2×2 table (upper bounds capped at 1)',
    table: [
      [5, 1],
      [0, 2],
    ],
    expected: {
      kappa: [0.7142857142857143, 0.25612041628594145, 0.10865716660793756, 1],
      scott: [0.70909090909090911, 0.27026365359795679, 0.070018919469108987, 1],
      ac1: [0.78082191780821919, 0.21656883405657545, 0.26871800065886753, 1],
      bp: [0.75, 0.23385358667337133, 0.197024137630191, 1],
      alpha: [0.72727272727272729, 0.27026365359795679, 0.088200737650927175, 1],
    },
  },
];

describe('SE and t interval of κ, π, α, AC1 and BP as irrCAC gives them', () => {
  for (const { name, table, expected } of irrCAC) {
    it(name, () => {
      const units = table.flat().reduce((sum, count) => sum + count, 0);
      for (const [key, [estimate, standardError]] of Object.entries(statistics)) {
        const [value, se, low, high] = expected[key]!;
        const point = estimate(table);
        const error = standardError(table);
        close(point.value, value!);
        close(error.value, se!);
        const interval = waldInterval(point, error, units, 0.95, 't');
        close(interval.low.value, low!);
        close(interval.high.value, high!);
      }
    });
  }

  it('matches the digits of the irrCAC README for cont3x3abstractors', () => {
    // irrCAC README: se 0.05891072 (κ), 0.05905473 (π), 0.04321747 (AC1), 0.04693346 (BP), 0.05905473 (α);
    // intervals (0.68,0.913), (0.679,0.913), (0.764,0.935), (0.742,0.928), (0.68,0.914).
    const table = irrCAC[0]!.table;
    const digits: Array<[string, string, string, string]> = [
      ['kappa', '0.05891072', '0.68', '0.913'],
      ['scott', '0.05905473', '0.679', '0.913'],
      ['ac1', '0.04321747', '0.764', '0.935'],
      ['bp', '0.04693346', '0.742', '0.928'],
      ['alpha', '0.05905473', '0.68', '0.914'],
    ];
    for (const [key, se, low, high] of digits) {
      const [estimate, standardError] = statistics[key]!;
      const error = standardError(table);
      expect(error.value!.toFixed(8)).toBe(se);
      const interval = waldInterval(estimate(table), error, 100, 0.95, 't');
      expect(String(Number(interval.low.value!.toFixed(3)))).toBe(low);
      expect(String(Number(interval.high.value!.toFixed(3)))).toBe(high);
    }
  });
});

describe('z and t intervals', () => {
  it('gives estimate ± z·SE unclipped for z, and caps only the t upper bound at 1', () => {
    // z = Φ⁻¹(0.975) = 1.959963984540054 (R qnorm(0.975)).
    const z = waldInterval({ value: 0.9 }, { value: 0.1 }, 10, 0.95, 'z');
    close(z.low.value, 0.9 - 0.1959963984540054);
    close(z.high.value, 0.9 + 0.1959963984540054);
    // t with 9 df: qt(0.975, 9) = 2.2621571627982049 (R 4.2.2).
    const t = waldInterval({ value: 0.9 }, { value: 0.1 }, 10, 0.95, 't');
    close(t.low.value, 0.9 - 0.2262157162798205);
    expect(t.high.value).toBe(1);
  });

  it('says why a t interval on one unit is undefined, and passes an undefined estimate through', () => {
    const one = waldInterval({ value: 1 }, { value: 0 }, 1, 0.95, 't');
    expect(one.low.value).toBeNull();
    expect(one.low.reason).toMatch(/n ≥ 2/);
    const none = waldInterval(
      { value: null, reason: 'no units' },
      { value: null, reason: 'no units' },
      0,
      0.95,
      'z',
    );
    expect(none.high.reason).toBe('no units');
  });
});
