import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brennanPrediger, pabak } from '../../src/core/stats/brennan-prediger.js';
import { cohenKappa, cohenKappaStandardError } from '../../src/core/stats/cohen-kappa.js';
import { fleissKappa } from '../../src/core/stats/fleiss-kappa.js';
import { gwetAc1, gwetAc1FromTable } from '../../src/core/stats/gwet-ac1.js';
import { krippendorffAlpha, krippendorffAlphaFromTable } from '../../src/core/stats/krippendorff-alpha.js';
import { biasIndex, prevalenceIndex } from '../../src/core/stats/prevalence-bias.js';
import { scottPi } from '../../src/core/stats/scott-pi.js';
import type { AgreementTable, Figure } from '../../src/core/stats/types.js';
import { unitCountsOfTable } from './fixtures.js';

/** Square tables of 2–5 categories with small counts (zeros frequent, so degenerate tables occur). */
const tables = fc.integer({ min: 2, max: 5 }).chain((categories) =>
  fc.array(fc.array(fc.oneof(fc.constant(0), fc.nat(30)), { minLength: categories, maxLength: categories }), {
    minLength: categories,
    maxLength: categories,
  }),
);

const binaryTables = fc.array(fc.array(fc.nat(60), { minLength: 2, maxLength: 2 }), {
  minLength: 2,
  maxLength: 2,
});

const tableStatistics: [string, (table: AgreementTable) => Figure][] = [
  ["Cohen's κ", cohenKappa],
  ["Cohen's κ standard error", cohenKappaStandardError],
  ["Scott's π", scottPi],
  ["Krippendorff's α", krippendorffAlphaFromTable],
  ["Gwet's AC1", gwetAc1FromTable],
  ['Brennan–Prediger κ', brennanPrediger],
];

const transpose = (table: AgreementTable) => table.map((_, row) => table.map((cells) => cells[row]!));

const permute = (table: AgreementTable, order: number[]) =>
  order.map((row) => order.map((column) => table[row]![column]!));

/** Same value to 1e-12, or both undefined (with the same reason unless the two come from different forms). */
function expectSame(first: Figure, second: Figure, sameReason = true): void {
  if (first.value === null || second.value === null) {
    if (sameReason) expect(second).toEqual(first);
    else expect([first.value, second.value]).toEqual([null, null]);
  } else {
    expect(Math.abs(first.value - second.value)).toBeLessThan(1e-12);
  }
}

function isWellFormed(figure: Figure): boolean {
  return figure.value === null ? figure.reason.length > 0 : Number.isFinite(figure.value);
}

describe('properties of the agreement coefficients on random tables', () => {
  it('are finite numbers or null with a reason, never NaN or ±Infinity', () => {
    fc.assert(
      fc.property(tables, (table) =>
        tableStatistics.every(([, statistic]) => isWellFormed(statistic(table))),
      ),
      { numRuns: 300 },
    );
  });

  it('lie in their bounds where defined: κ, π, AC1 in [−1, 1]; α in (−1, 1]; BP in [−1/(q − 1), 1]', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const epsilon = 1e-12;
        for (const statistic of [cohenKappa, scottPi, gwetAc1FromTable]) {
          const value = statistic(table).value;
          if (value !== null) expect(value >= -1 - epsilon && value <= 1 + epsilon).toBe(true);
        }
        const alpha = krippendorffAlphaFromTable(table).value;
        if (alpha !== null) expect(alpha > -1 && alpha <= 1 + epsilon).toBe(true);
        const bp = brennanPrediger(table).value;
        if (bp !== null) expect(bp >= -1 / (table.length - 1) - epsilon && bp <= 1 + epsilon).toBe(true);
        const standardError = cohenKappaStandardError(table).value;
        if (standardError !== null) expect(standardError).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('are 1 for identical coders (a diagonal table), where defined', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 2, maxLength: 6 }), (diagonal) => {
        const table = diagonal.map((count, row) => diagonal.map((_, column) => (row === column ? count : 0)));
        for (const statistic of [
          cohenKappa,
          scottPi,
          krippendorffAlphaFromTable,
          gwetAc1FromTable,
          brennanPrediger,
        ]) {
          const value = statistic(table).value;
          if (value !== null) expect(value).toBeCloseTo(1, 12);
        }
        // κ is undefined exactly when fewer than two categories are used.
        const used = diagonal.filter((count) => count > 0).length;
        expect(cohenKappa(table).value === null).toBe(used < 2);
      }),
      { numRuns: 200 },
    );
  });

  it('do not change when the coders are swapped (the table transposed)', () => {
    fc.assert(
      fc.property(tables, (table) => {
        for (const [, statistic] of tableStatistics)
          expectSame(statistic(table), statistic(transpose(table)));
      }),
      { numRuns: 300 },
    );
  });

  it('do not change when the categories are reordered (same permutation on rows and columns)', () => {
    const tablesWithOrder = tables.chain((table) =>
      fc.tuple(fc.constant(table), fc.shuffledSubarray([...table.keys()], { minLength: table.length })),
    );
    fc.assert(
      fc.property(tablesWithOrder, ([table, order]) => {
        for (const [, statistic] of tableStatistics)
          expectSame(statistic(table), statistic(permute(table, order)));
      }),
      { numRuns: 300 },
    );
  });

  it("give the same Krippendorff's α from the table and from the unit counts", () => {
    fc.assert(
      fc.property(tables, (table) => {
        expectSame(krippendorffAlphaFromTable(table), krippendorffAlpha(unitCountsOfTable(table)), false);
      }),
      { numRuns: 200 },
    );
  });

  it("give the same AC1 from the table and from the unit counts, and Fleiss' κ = Scott's π for two coders", () => {
    fc.assert(
      fc.property(tables, (table) => {
        const units = unitCountsOfTable(table);
        if (units.length === 0) return;
        expectSame(gwetAc1FromTable(table), gwetAc1(units), false);
        expectSame(scottPi(table), fleissKappa(units), false);
      }),
      { numRuns: 200 },
    );
  });

  it('tie α to π for two coders: α = π + (1 − π)/(2n) (Krippendorff 2011, small-sample correction)', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const pi = scottPi(table).value;
        const alpha = krippendorffAlphaFromTable(table).value;
        if (pi === null || alpha === null) return;
        const units = table.flat().reduce((sum, count) => sum + count, 0);
        expect(Math.abs(alpha - (pi + (1 - pi) / (2 * units)))).toBeLessThan(1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('on 2×2 tables: PABAK and PI symmetric, BI antisymmetric, and κ = (PABAK − PI² + BI²)/(1 − PI² + BI²)', () => {
    fc.assert(
      fc.property(binaryTables, (table) => {
        expectSame(pabak(table), pabak(transpose(table)));
        expectSame(prevalenceIndex(table), prevalenceIndex(transpose(table)));
        const bias = biasIndex(table).value;
        const swappedBias = biasIndex(transpose(table)).value;
        if (bias !== null && swappedBias !== null) expect(Math.abs(bias + swappedBias)).toBeLessThan(1e-15);
        const kappa = cohenKappa(table).value;
        const adjusted = pabak(table).value;
        const prevalence = prevalenceIndex(table).value;
        if (kappa === null || adjusted === null || prevalence === null || bias === null) return;
        const byrt = (adjusted - prevalence ** 2 + bias ** 2) / (1 - prevalence ** 2 + bias ** 2);
        expect(Math.abs(kappa - byrt)).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });
});
