import { describe, expect, it } from 'vitest';
import { observedAgreement } from '../../src/core/stats/agreement.js';
import {
  checkBinaryTable,
  checkTable,
  checkUnitCounts,
  columnMarginals,
  definedFigure,
  rowMarginals,
  tableCells,
  tableDiagonal,
  tableFromCells,
  tableTotal,
  undefinedFigure,
} from '../../src/core/stats/table.js';
import { expectNear, fleissCohenEveritt1969 } from './fixtures.js';

describe('table helpers', () => {
  it('sum, marginals and diagonal of Fleiss, Cohen & Everitt (1969)', () => {
    expect(checkTable(fleissCohenEveritt1969)).toBe(3);
    expect(tableTotal(fleissCohenEveritt1969)).toBe(200);
    expect(tableDiagonal(fleissCohenEveritt1969)).toBe(140);
    // The paper's marginal proportions: rows .60 .30 .10, columns .65 .25 .10.
    expect(rowMarginals(fleissCohenEveritt1969)).toEqual([120, 60, 20]);
    expect(columnMarginals(fleissCohenEveritt1969)).toEqual([130, 50, 20]);
    expectNear(observedAgreement(fleissCohenEveritt1969), 0.7);
  });

  it('flattens a table into cells and back', () => {
    const cells = tableCells(fleissCohenEveritt1969);
    expect(cells).toEqual([106, 10, 4, 22, 28, 10, 2, 12, 6]);
    expect(tableFromCells(Float64Array.from(cells), 3)).toEqual(fleissCohenEveritt1969);
    expect(() => tableFromCells([1, 2, 3], 2)).toThrow(RangeError);
  });

  it('accepts the empty 0×0 table and rejects ragged, non-square and non-count tables', () => {
    expect(checkTable([])).toBe(0);
    expect(() => checkTable([[1, 2]])).toThrow(/row 1 of 1 has 2 cells, expected 1/);
    expect(() => checkTable([[1], [2]])).toThrow(RangeError);
    expect(() =>
      checkTable([
        [1, -1],
        [0, 0],
      ]),
    ).toThrow(/table\[0\]\[1\].*received -1/);
    expect(() =>
      checkTable([
        [1, 0.25],
        [0, 0],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      checkTable([
        [1, Number.NaN],
        [0, 0],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      checkTable([
        [1, 2 ** 53],
        [0, 0],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      checkTable([
        [1, '2' as unknown as number],
        [0, 0],
      ]),
    ).toThrow(RangeError);
    expect(() => checkTable('table' as unknown as number[][])).toThrow(RangeError);
    expect(() => checkBinaryTable([[1]], 'PABAK')).toThrow(/PABAK needs a 2×2 table/);
  });

  it('checks unit counts: equal row lengths, counts only', () => {
    expect(checkUnitCounts([])).toBe(0);
    expect(
      checkUnitCounts([
        [1, 0, 2],
        [0, 0, 0],
      ]),
    ).toBe(3);
    expect(() => checkUnitCounts([[1, 0], [1]])).toThrow(/unit 2 has 1 categories, unit 1 has 2/);
    expect(() => checkUnitCounts([[1, -3]])).toThrow(RangeError);
    expect(() => checkUnitCounts([[1, 1.5]])).toThrow(RangeError);
  });

  it('makes figures that are never NaN or infinite', () => {
    expect(definedFigure(0.5)).toEqual({ value: 0.5 });
    expect(undefinedFigure('why')).toEqual({ value: null, reason: 'why' });
    expect(() => definedFigure(Number.NaN)).toThrow();
    expect(() => definedFigure(Number.POSITIVE_INFINITY)).toThrow();
  });
});
