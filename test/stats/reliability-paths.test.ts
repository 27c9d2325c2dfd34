/**
 * Property tests: the two-coder path and the path for several coders give identical figures on
 * data where both apply, and coders who only rate units nobody else rated change nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelFromCodeList } from '../../src/core/codebook.js';
import { multiCoderReliability, twoCoderReliability } from '../../src/core/reliability.js';
import { codingsOf } from './codings.js';

const same = (left: number | null | undefined, right: number | null | undefined): void => {
  if (left === null || left === undefined || right === null || right === undefined) {
    expect(left ?? null).toBe(right ?? null);
  } else expect(Math.abs(left - right)).toBeLessThan(1e-12);
};

/** A coder's codings of up to 25 units over `codeCount` codes: per unit not reviewed, or a set of codes. */
const coderOf = (units: number, codeCount: number, multiple: boolean) =>
  fc.array(
    fc.option(
      multiple
        ? fc.uniqueArray(fc.nat(codeCount - 1), { maxLength: codeCount })
        : fc.array(fc.nat(codeCount - 1), { maxLength: 1 }),
      { nil: undefined, freq: 4 },
    ),
    { minLength: units, maxLength: units },
  );

const studies = fc
  .record({
    units: fc.integer({ min: 1, max: 25 }),
    codeCount: fc.integer({ min: 2, max: 4 }),
    multiple: fc.boolean(),
  })
  .chain(({ units, codeCount, multiple }) =>
    fc.record({
      codeCount: fc.constant(codeCount),
      a: coderOf(units, codeCount, multiple),
      b: coderOf(units, codeCount, multiple),
      extra: fc.array(fc.array(fc.nat(codeCount - 1), { maxLength: 1 }), { maxLength: 5 }),
    }),
  )
  .filter(({ a, b }) => a.some((codes, unit) => codes !== undefined && b[unit] !== undefined));

describe('two coders: the two-coder path and the path for several coders agree', () => {
  it('on α, AC1 and Fleiss κ (= Scott π for two coders), overall nominal and per code', () => {
    fc.assert(
      fc.property(studies, ({ codeCount, a, b, extra }) => {
        const codebook = modelFromCodeList(Array.from({ length: codeCount }, (_, index) => `c${index}`));
        const codingsA = codingsOf(a);
        const codingsB = codingsOf(b);
        const options = { overall: 'nominal' as const };
        const two = twoCoderReliability(['A', 'B'], codingsA, codingsB, codebook, options);
        const multi = multiCoderReliability(['A', 'B'], [codingsA, codingsB], codebook, options).multi!;
        expect(multi.n).toBe(two.n_units);
        same(multi.krippendorff_alpha, two.overall!.krippendorff_alpha);
        same(multi.gwet_ac1, two.overall!.gwet_ac1);
        same(multi.fleiss_kappa, two.overall!.scott_pi);
        for (const [index, code] of two.codes.entries()) {
          same(multi.codes[index]!.krippendorff_alpha, code.krippendorff_alpha);
          same(multi.codes[index]!.gwet_ac1, code.gwet_ac1);
          same(multi.codes[index]!.fleiss_kappa, code.scott_pi);
        }
        // A third coder who rates only units after the others' (nobody else rated them): the
        // figures that allow missing ratings do not change.
        const third = codingsOf([...Array(a.length).fill(undefined), ...extra]);
        const three = multiCoderReliability(['A', 'B', 'C'], [codingsA, codingsB, third], codebook, options)
          .multi!;
        same(three.krippendorff_alpha, multi.krippendorff_alpha);
        same(three.gwet_ac1, multi.gwet_ac1);
        for (const [index, code] of multi.codes.entries()) {
          same(three.codes[index]!.krippendorff_alpha, code.krippendorff_alpha);
          same(three.codes[index]!.gwet_ac1, code.gwet_ac1);
        }
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
