import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, neutraliseFormula, restoreFormula, toCsv } from '../../src/io/csv-write.js';

const cell = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' a', 'a ', 'a,b', 'a;b', 'a"b', 'a\nb', 'a\rb', '=1+1', '-x', '-1.5', '\t', 'é'),
  fc.integer(),
  fc.double({ noNaN: true }),
);

describe('CSV writing', () => {
  it('writes a line exactly as csv-stringify writes the same row', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(',', ';', '\t'),
        fc.boolean(),
        (cells, delimiter, neutraliseFormulas) => {
          const expected = toCsv(
            cells.map((value) => (typeof value === 'string' ? value : String(value))),
            [],
            { delimiter, neutraliseFormulas },
          );
          const strings = cells.map((value) => (typeof value === 'string' ? value : String(value)));
          expect(csvLine(strings, { delimiter, neutraliseFormulas })).toBe(expected);
        },
      ),
    );
  });

  it('round-trips every cell through csv-parse (without neutralising)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map((row) => csvLine(row, { neutraliseFormulas: false })).join('');
          expect(parse(text, { relax_column_count: true })).toEqual(
            rows.map((row) => row.map((value) => value)),
          );
        },
      ),
    );
  });

  it('neutralises by default, and restoreFormula gives back every cell exactly', () => {
    const tricky = fc.oneof(
      fc.string(),
      fc.stringMatching(/^'{0,3}[=+\-@\t\r'a1]{0,4}[a-z0-9.]{0,3}$/),
      fc.constantFrom("'=literal apostrophe", "''=x", "'-0.25", "'", "'a", '-0.25', '=1+1'),
    );
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 1, maxLength: 4 }), (cells) => {
        const written = csvLine(cells);
        const read = (parse(written) as string[][])[0]!;
        expect(read.map(restoreFormula)).toEqual(cells);
        // What a spreadsheet sees never starts a formula.
        for (const value of read) expect(value).not.toMatch(/^[=@\t\r]|^[+-](?![\d.])/);
      }),
      { numRuns: 2000 },
    );
    expect(csvLine(["'=literal apostrophe", '=HYPERLINK("x")'])).toBe(
      `''=literal apostrophe,"'=HYPERLINK(""x"")"\n`,
    );
  });

  it('neutralises cells a spreadsheet would run as formulas, but not numbers', () => {
    expect(neutraliseFormula('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutraliseFormula('@cmd')).toBe("'@cmd");
    expect(neutraliseFormula('+1+1')).toBe("'+1+1");
    expect(neutraliseFormula('-x')).toBe("'-x");
    expect(neutraliseFormula('\tx')).toBe("'\tx");
    expect(neutraliseFormula('-0.25')).toBe('-0.25');
    expect(neutraliseFormula('+3e5')).toBe('+3e5');
    expect(neutraliseFormula('plain')).toBe('plain');
    expect(neutraliseFormula("'=x")).toBe("''=x");
    expect(neutraliseFormula("'plain")).toBe("'plain");
    expect(restoreFormula("''=x")).toBe("'=x");
    expect(restoreFormula("'plain")).toBe("'plain");
  });
});
