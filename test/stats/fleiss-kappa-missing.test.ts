/**
 * Fleiss' κ generalised to missing ratings (Gwet 2014; irrCAC `fleiss.kappa.raw`). Expected values:
 * irrCAC 1.4's README (5 digits), and irrCAC 1.4's own R code (R/agree.coeff3.raw.r,
 * `fleiss.kappa.raw` with its rounding to 5 digits removed) run in R 4.2.2 with
 * options(digits = 17); interval bounds v ∓ qt(0.975, n − 1)·se, upper bound min(1, ·).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { waldInterval } from '../../src/core/stats/confidence-interval.js';
import { fleissKappa } from '../../src/core/stats/fleiss-kappa.js';
import { fleissKappaMissing } from '../../src/core/stats/fleiss-kappa-missing.js';

const close = (actual: number | null, expected: number): void => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-9);
};

/** Unit-by-category counts of raw ratings (one array per coder, null = not rated). */
function countsOf(raters: Array<Array<number | null>>, categories: number[]): number[][] {
  return raters[0]!.map((_, unit) =>
    categories.map((category) => raters.filter((ratings) => ratings[unit] === category).length),
  );
}

// irrCAC cac.raw5obser (Gwet 2014): 15 units, 5 observers, categories 0–3.
const raw5observers = countsOf(
  [
    [1, 1, 2, null, 0, 0, 1, 1, 2, 2, null, 0, 1, 3, 1],
    [1, 1, 3, 0, 0, 0, 0, null, 2, 1, 1, 0, 2, 3, 1],
    [2, 0, 3, 0, 0, 0, 2, 2, 2, 1, 0, 0, 2, 2, 1],
    [null, 1, 3, null, null, null, null, 0, null, 1, 0, 0, 2, 2, null],
    [2, null, null, 0, 0, 0, 1, null, 2, null, null, null, null, 3, 1],
  ],
  [0, 1, 2, 3],
);

// irrCAC cac.raw4raters (Gwet 2014, p. 120): 12 units, 4 raters, categories 1–5; unit 12 has one rating.
const raw4raters = countsOf(
  [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, null],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ],
  [1, 2, 3, 4, 5],
);

describe("Fleiss' κ with missing ratings (Gwet 2014)", () => {
  it('gives irrCAC fleiss.kappa.raw on cac.raw5obser: 0.45762, SE 0.12045, (0.199, 0.716)', () => {
    const result = fleissKappaMissing(raw5observers);
    // irrCAC R code, full precision: 0.45762168677216974, se 0.12045007194006528.
    close(result.kappa.value, 0.45762168677216974);
    close(result.se.value, 0.12045007194006528);
    expect(result.units).toBe(15);
    const interval = waldInterval(result.kappa, result.se, result.units, 0.95, 't');
    close(interval.low.value, 0.19928197591637592);
    close(interval.high.value, 0.7159613976279635);
    // irrCAC's printed digits.
    expect(result.kappa.value!.toFixed(5)).toBe('0.45762');
    expect(result.se.value!.toFixed(5)).toBe('0.12045');
  });

  it('gives irrCAC fleiss.kappa.raw on cac.raw4raters: 0.76117, SE 0.15302, (0.424, 1)', () => {
    // irrCAC README: coeff.val 0.76117, coeff.se 0.15302, conf.int (0.424,1), pa 0.8181818, pe 0.2387153.
    const result = fleissKappaMissing(raw4raters);
    close(result.kappa.value, 0.7611692754224111);
    close(result.se.value, 0.15301920346949241);
    close(result.observed!, 0.8181818181818182);
    close(result.expected!, 0.23871527777777773);
    const interval = waldInterval(result.kappa, result.se, result.units, 0.95, 't');
    close(interval.low.value, 0.4243762793770153);
    expect(interval.high.value).toBe(1);
  });

  it('without the unit rated once gives irrCAC on units 1–11: 0.76248313090418363', () => {
    // irrCAC fleiss.kappa.raw(cac.raw4raters[1:11, ]) in R: 0.76248313090418363, se 0.13543859851778597.
    const result = fleissKappaMissing(raw4raters.slice(0, 11));
    close(result.kappa.value, 0.7624831309041836);
    close(result.se.value, 0.13543859851778597);
  });

  it("equals Fleiss' (1971) κ when every unit has the same number of ratings", () => {
    const complete = fc.integer({ min: 2, max: 5 }).chain((raters) =>
      fc.integer({ min: 2, max: 4 }).chain((categories) =>
        fc.array(
          fc
            .array(fc.nat(categories - 1), { minLength: raters, maxLength: raters })
            .map((ratings) =>
              Array.from(
                { length: categories },
                (_, category) => ratings.filter((rating) => rating === category).length,
              ),
            ),
          { minLength: 1, maxLength: 20 },
        ),
      ),
    );
    fc.assert(
      fc.property(complete, (counts) => {
        const general = fleissKappaMissing(counts).kappa;
        const fleiss = fleissKappa(counts);
        if (fleiss.value === null) expect(general.value).toBeNull();
        else expect(Math.abs(general.value! - fleiss.value)).toBeLessThan(1e-12);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('says why it is undefined: no units, nothing pairable, one category', () => {
    expect(fleissKappaMissing([]).kappa.reason).toMatch(/no units/);
    expect(
      fleissKappaMissing([
        [1, 0],
        [0, 1],
      ]).kappa.reason,
    ).toMatch(/two or more coders/);
    expect(
      fleissKappaMissing([
        [2, 0],
        [3, 0],
      ]).kappa.reason,
    ).toMatch(/single category/);
  });
});
