/** Gates per code (coding.yaml reliability.require): verdicts, what fails, what is flagged. */
import { describe, expect, it } from 'vitest';
import { modelFromCodeList } from '../../src/core/codebook.js';
import {
  applyGate,
  cautionText,
  codeCautions,
  describeGate,
  failsGate,
  isFlagged,
  judgeFigures,
  judgeMultiFigures,
  verdictOf,
} from '../../src/core/gates.js';
import { multiCoderReliability, twoCoderReliability } from '../../src/core/reliability.js';
import { figuresOfTable } from '../../src/core/reliability-figures.js';
import { gateSchema } from '../../src/schema/config.js';
import { codingsOf } from '../stats/codings.js';
import { krippendorffBinary } from '../stats/fixtures.js';

const krippendorffRule = gateSchema.parse({});

describe('gateSchema', () => {
  it("defaults to Krippendorff's rule: α ≥ 0.800, tentative from 0.667, on the estimate", () => {
    expect(krippendorffRule).toEqual({ statistic: 'alpha', min: 0.8, tentative: 0.667, on: 'estimate' });
    expect(describeGate(krippendorffRule)).toBe('α ≥ 0.800 (tentative ≥ 0.667) on the estimate');
  });

  it('refuses a tentative threshold above min, an unknown statistic and an unknown key', () => {
    const tentative = gateSchema.safeParse({ min: 0.7, tentative: 0.8 });
    expect(tentative.success).toBe(false);
    expect(tentative.error?.issues[0]?.path).toEqual(['tentative']);
    expect(gateSchema.safeParse({ statistic: 'beta' }).success).toBe(false);
    expect(gateSchema.safeParse({ minimum: 0.8 }).success).toBe(false);
    expect(gateSchema.safeParse({ min: 1.5 }).success).toBe(false);
  });
});

describe('verdictOf', () => {
  it('is reliable from min up, tentative from tentative up to min, unreliable below, undefined for null', () => {
    expect(verdictOf(0.8, krippendorffRule)).toBe('reliable');
    expect(verdictOf(1, krippendorffRule)).toBe('reliable');
    expect(verdictOf(0.7999, krippendorffRule)).toBe('tentative');
    expect(verdictOf(0.667, krippendorffRule)).toBe('tentative');
    expect(verdictOf(0.6669, krippendorffRule)).toBe('unreliable');
    expect(verdictOf(-0.5, krippendorffRule)).toBe('unreliable');
    expect(verdictOf(null, krippendorffRule)).toBe('undefined');
  });
});

describe('judgeFigures', () => {
  it("reads the gate's statistic: α = 0.095 of Krippendorff (2011, section A) is unreliable", () => {
    const figures = figuresOfTable(krippendorffBinary);
    const judged = judgeFigures(figures, krippendorffRule);
    expect(judged.figure).toBe('krippendorff_alpha');
    // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section A: α = 0.095.
    expect(judged.value!.toFixed(3)).toBe('0.095');
    expect(judged.verdict).toBe('unreliable');
    expect(failsGate(judged)).toBe(true);
  });

  it('reads the lower bound of the interval with on: ci_low, and each statistic under its own key', () => {
    const figures = figuresOfTable([
      [9, 2],
      [3, 51],
    ]);
    const onLow = { ...krippendorffRule, on: 'ci_low' as const };
    expect(judgeFigures(figures, { ...onLow, statistic: 'kappa' })).toMatchObject({
      figure: 'ci_low',
      value: figures.ci_low,
    });
    expect(judgeFigures(figures, { ...krippendorffRule, statistic: 'ac1' })).toMatchObject({
      figure: 'gwet_ac1',
      value: figures.gwet_ac1,
    });
    expect(judgeFigures(figures, { ...onLow, statistic: 'pi' }).figure).toBe('scott_pi_ci_low');
    expect(judgeFigures(figures, { ...onLow, statistic: 'bp' }).figure).toBe('brennan_prediger_ci_low');
    // The estimate α = 0.738 is tentative; its lower bound is below 0.667, so unreliable.
    expect(judgeFigures(figures, krippendorffRule).verdict).toBe('tentative');
    expect(figures.krippendorff_alpha_ci_low!).toBeLessThan(0.667);
    expect(judgeFigures(figures, onLow).verdict).toBe('unreliable');
  });

  it('gives an undefined figure the verdict undefined, with the reason of the figure', () => {
    // Both coders say "absent" on every unit: α is undefined (one value only).
    const figures = figuresOfTable([
      [0, 0],
      [0, 10],
    ]);
    const judged = judgeFigures(figures, krippendorffRule);
    expect(judged.verdict).toBe('undefined');
    expect(judged.reason).toBe(figures.reasons['krippendorff_alpha']);
    expect(judged.reason).toBeTruthy();
    expect(failsGate(judged)).toBe(true);
    expect(isFlagged(judged)).toBe(true);
  });
});

describe('applyGate', () => {
  // Codes x (0), y (1), z (2). x: perfect agreement; y: coders disagree on most units; z: never used.
  const a = codingsOf([[0], [0], [1], [], [0, 1], [], [1], [0]]);
  const b = codingsOf([[0], [0], [], [1], [0], [1], [], [0]]);
  const codebook = modelFromCodeList(['x', 'y', 'z']);
  const report = twoCoderReliability(['a', 'b'], a, b, codebook, { overall: 'auto' });
  const gated = applyGate(report, krippendorffRule);

  it('marks every code, names the failing ones, and flags every code that is not reliable', () => {
    expect(gated.codes.map((code) => code.gate?.verdict)).toEqual(['reliable', 'unreliable', 'undefined']);
    expect(gated.gate?.failed).toEqual(['y', 'z']);
    expect(gated.gate?.flagged).toEqual(['y', 'z']);
    expect(gated.overall?.gate?.figure).toBe('krippendorff_alpha');
    // The figures themselves are unchanged.
    expect(gated.codes[1]!.krippendorff_alpha).toBe(report.codes[1]!.krippendorff_alpha);
    expect(report.gate).toBeUndefined();
  });

  it('passes tentative codes but flags them', () => {
    const lenient = applyGate(report, { ...krippendorffRule, min: 0.9, tentative: -1 });
    expect(lenient.codes.map((code) => code.gate?.verdict)).toEqual(['reliable', 'tentative', 'undefined']);
    expect(lenient.gate?.failed).toEqual(['z']);
    expect(lenient.gate?.flagged).toEqual(['y', 'z']);
  });

  it("gives the cautions of the flagged codes, in Krippendorff's words, for theme tables", () => {
    const cautions = codeCautions(gated);
    expect([...cautions.keys()]).toEqual(['y', 'z']);
    expect(cautionText(['x'], cautions)).toBe('');
    expect(cautionText(['y'], cautions)).toBe('interpret with caution: y unreliable');
    expect(cautionText(['y', 'x', 'z', 'y'], cautions)).toBe(
      'interpret with caution: y unreliable, z undefined',
    );
    expect(codeCautions(report).size).toBe(0);
    expect(codeCautions(undefined).size).toBe(0);
  });

  it('judges three or more coders on their own figures, and says why π has no verdict there', () => {
    const c = codingsOf([[0], [0], [1], [1], [0], [1], [], [0]]);
    const multi = multiCoderReliability(['a', 'b', 'c'], [a, b, c], codebook, { overall: 'auto' });
    const judged = applyGate(multi, krippendorffRule);
    expect(judged.multi?.codes[0]?.gate).toMatchObject({
      figure: 'krippendorff_alpha',
      value: multi.multi!.codes[0]!.krippendorff_alpha,
    });
    expect(
      judgeMultiFigures(multi.multi!.codes[0]!, { ...krippendorffRule, statistic: 'kappa' }),
    ).toMatchObject({
      figure: 'fleiss_kappa_gwet',
      value: multi.multi!.codes[0]!.fleiss_kappa_gwet,
    });
    const pi = judgeMultiFigures(multi.multi!.codes[0]!, { ...krippendorffRule, statistic: 'pi' });
    expect(pi.verdict).toBe('undefined');
    expect(pi.reason).toMatch(/two-coder coefficient/);
    const alphaLow = judgeMultiFigures(multi.multi!.codes[0]!, { ...krippendorffRule, on: 'ci_low' });
    expect(alphaLow.verdict).toBe('undefined');
    expect(alphaLow.reason).toMatch(/bootstrap/);
    expect(judged.gate?.failed).toContain('z');
  });
});
