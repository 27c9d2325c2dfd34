/**
 * The rules of `coding reliability` where established libraries differ (issue 13): the number of
 * categories q, the nominal value of a unit with several codes. Every expected value comes from a
 * published example or from a hand computation in exact fractions (Python `fractions`), cited
 * next to the assertion.
 */
import { describe, expect, it } from 'vitest';
import { modelFromCodeList } from '../../src/core/codebook.js';
import type { Codings } from '../../src/core/codings.js';
import { multiCoderReliability, twoCoderReliability } from '../../src/core/reliability.js';
import { codingsOf } from './codings.js';

const close = (actual: number | null | undefined, expected: number): void => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-9);
};

/** Two coders' single codes from a k×k table (rows coder A, columns coder B), one unit per count. */
function codingsOfTable(table: number[][]): [Codings, Codings] {
  const a: number[][] = [];
  const b: number[][] = [];
  for (const [row, cells] of table.entries())
    for (const [column, count] of cells.entries())
      for (let unit = 0; unit < count; unit++) {
        a.push([row]);
        b.push([column]);
      }
  return [codingsOf(a), codingsOf(b)];
}

describe('q, the number of categories, is the codes plus "none" only when "none" occurs', () => {
  // Gwet (2014) cont3x3abstractors: rows abstractor 1, columns abstractor 2; every unit has a code.
  const cont3x3abstractors = [
    [13, 0, 0],
    [0, 20, 7],
    [0, 4, 56],
  ];
  const codebook = modelFromCodeList(['Ectopic', 'AIU', 'NIU']);

  it("gives irrCAC's figures on cont3x3abstractors in the two-coder path", () => {
    const [a, b] = codingsOfTable(cont3x3abstractors);
    const report = twoCoderReliability(['A', 'B'], a, b, codebook, { overall: 'nominal' });
    const overall = report.overall!;
    expect(overall.values).toEqual(['Ectopic', 'AIU', 'NIU']);
    expect(overall.table).toEqual(cont3x3abstractors);
    // irrCAC README: bp2.table(cont3x3abstractors) → 0.835; by hand (3 · 0.89 − 1) / 2 = 0.835.
    close(overall.brennan_prediger, 0.835);
    // irrCAC README: gwet.ac1.table → 0.8493305; exact fractions → 0.8493305482313461.
    close(overall.gwet_ac1, 0.8493305482313461);
    // irrCAC README: kappa2.table → 0.7964094, scott2.table → 0.7962397; exact fractions below.
    close(overall.kappa, 0.7964094021839718);
    close(overall.scott_pi, 0.7962396962119107);
    // irrCAC README: krippen2.table → 0.7972585.
    expect(overall.krippendorff_alpha!.toFixed(7)).toBe('0.7972585');
  });

  it('gives the same AC1 in the path for several coders', () => {
    const [a, b] = codingsOfTable(cont3x3abstractors);
    const report = multiCoderReliability(['A', 'B'], [a, b], codebook, { overall: 'nominal' });
    // Same value as above: q = 3 in both paths.
    close(report.multi!.gwet_ac1, 0.8493305482313461);
  });

  it('counts "none" as a category once a unit is left without a code', () => {
    // One more unit that coder A left without a code and coder B coded NIU: q = 4, 101 units, 89 agreements.
    const [a, b] = codingsOfTable(cont3x3abstractors);
    const listsA = [...Array(100).keys()].map((unit) => [...a.codesAt(unit)]);
    const listsB = [...Array(100).keys()].map((unit) => [...b.codesAt(unit)]);
    const report = twoCoderReliability(
      ['A', 'B'],
      codingsOf([...listsA, []]),
      codingsOf([...listsB, [2]]),
      codebook,
      { overall: 'nominal' },
    );
    expect(report.overall!.values).toEqual(['Ectopic', 'AIU', 'NIU', 'none']);
    // By hand: (4 · 89/101 − 1) / 3 = 255/303.
    close(report.overall!.brennan_prediger, 255 / 303);
  });
});

describe('the nominal value of a unit with several codes is the whole set of its codes', () => {
  // Units u1–u6 (codes x = 0, y = 1): A {x,y} {x,y} {y} {} {x} {y}; B {x} {x,y} {y} {x} {x} {x,y}.
  const a = codingsOf([[0, 1], [0, 1], [1], [], [0], [1]]);
  const b = codingsOf([[0], [0, 1], [1], [0], [0], [0, 1]]);
  const codebook = modelFromCodeList(['x', 'y']);

  it('makes a+b a value of its own, so that x+y and x disagree', () => {
    const report = twoCoderReliability(['A', 'B'], a, b, codebook, { overall: 'nominal' });
    const overall = report.overall!;
    expect(overall.values).toEqual(['x', 'y', 'x+y', 'none']);
    expect(overall.table).toEqual([
      [1, 0, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 1, 0],
      [1, 0, 0, 0],
    ]);
    expect(overall.description).toContain('the whole set of codes');
    expect(overall.description).toContain('1 composite value');
    // Exact fractions on A = [x+y, x+y, y, none, x, y], B = [x, x+y, y, x, x, x+y], q = 4:
    // p_o = 1/2, Cohen p_e = 1/4 → κ = 1/3; π 0.29411764705882354; AC1 0.34545454545454546; BP 1/3.
    close(overall.kappa, 1 / 3);
    close(overall.scott_pi, 0.29411764705882354);
    close(overall.gwet_ac1, 0.34545454545454546);
    close(overall.brennan_prediger, 1 / 3);
  });

  it('does the same for several coders', () => {
    const report = multiCoderReliability(['A', 'B'], [a, b], codebook, { overall: 'nominal' });
    // The same AC1 as the two-coder path above (same values, same q).
    close(report.multi!.gwet_ac1, 0.34545454545454546);
  });
});

describe('a unit reviewed by one coder only counts in no figure, whatever the number of coders', () => {
  // irrCAC cac.ben.gerry (Gwet 2014): 12 units, unit 10 rated by Ben only (d). Categories a–e.
  const ben = ['a', 'a', 'b', 'b', 'd', 'c', 'c', 'c', 'e', 'd', 'd', 'a'];
  const gerry = ['b', 'a', 'b', 'b', 'b', 'c', 'c', 'c', 'e', undefined, 'd', 'd'];
  const labels = ['a', 'b', 'c', 'd', 'e'];
  const codebook = modelFromCodeList(labels);
  const codings = (ratings: Array<string | undefined>) =>
    codingsOf(ratings.map((rating) => (rating === undefined ? undefined : [labels.indexOf(rating)])));

  it('gives AC1 0.6615384615384615 on cac.ben.gerry with two coders and with a third on other units', () => {
    // Exact fractions (Python) on the 11 units both rated: 0.6615384615384615 — the figure of
    // irrCAC gwet.ac1.table on their table. irrCAC gwet.ac1.raw keeps unit 10 in the category
    // shares and gives 0.66144; the rule here leaves it out in every path.
    const two = twoCoderReliability(['Ben', 'Gerry'], codings(ben), codings(gerry), codebook, {
      overall: 'nominal',
    });
    close(two.overall!.gwet_ac1, 0.6615384615384615);
    const multi = multiCoderReliability(['Ben', 'Gerry'], [codings(ben), codings(gerry)], codebook, {
      overall: 'nominal',
    });
    close(multi.multi!.gwet_ac1, 0.6615384615384615);
    // A third coder who rated only units 13 and 14, which nobody else rated: nothing changes.
    const third = codingsOf([...Array(12).fill(undefined), [0], [4]]);
    const three = multiCoderReliability(
      ['Ben', 'Gerry', 'Third'],
      [codings(ben), codings(gerry), third],
      codebook,
      { overall: 'nominal' },
    );
    close(three.multi!.gwet_ac1, 0.6615384615384615);
    expect(three.multi!.n).toBe(11);
  });
});
