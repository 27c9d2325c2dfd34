import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitQuotedRecord } from '../../src/io/csv-quoted.js';

/** How csv-scan asks csv-parse for a quoted record: its fields, or the fact that it threw. */
function csvParse(text: string, delimiter: string): string[][] | 'error' {
  try {
    return parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch {
    return 'error';
  }
}

const quoteField = (value: string): string => `"${value.replaceAll('"', '""')}"`;

describe('splitQuotedRecord', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(splitQuotedRecord('s1,"a, ""b""",x', ',')).toEqual(['s1', 'a, "b"', 'x']);
    expect(splitQuotedRecord('"",",",""""', ',')).toEqual(['', ',', '"']);
    expect(splitQuotedRecord('"line\nbreak";b', ';')).toEqual(['line\nbreak', 'b']);
    expect(splitQuotedRecord('"¿Qué?",es,', ',')).toEqual(['¿Qué?', 'es', '']);
  });

  it('leaves unusual records to csv-parse', () => {
    expect(splitQuotedRecord('a "b",c', ',')).toBeUndefined(); // a quote inside an unquoted field
    expect(splitQuotedRecord('"a" ,c', ',')).toBeUndefined(); // something after the closing quote
    expect(splitQuotedRecord('"a', ',')).toBeUndefined(); // not closed
    expect(splitQuotedRecord('"a"\r\n', ',')).toBeUndefined(); // a carriage return
    expect(splitQuotedRecord('"a",b\nc', ',')).toBeUndefined(); // a line break outside quotes
  });

  // Well-formed records, as a spreadsheet or a script writes them: every field quoted when needed
  // (and some that need not be).
  const piece = fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', 'é', '¿', '😀', '\t', '');
  const value = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
  it('agrees with csv-parse on well-formed records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(',', ';', '\t'),
        (cells, delimiter) => {
          const text = cells
            .map(([cell, always]) =>
              always || cell.includes(delimiter) || cell.includes('"') || cell.includes('\n')
                ? quoteField(cell)
                : cell,
            )
            .join(delimiter);
          if (!text.includes('"')) return; // csv-scan splits those itself
          const expected = csvParse(text, delimiter);
          expect(expected).toEqual([cells.map(([cell]) => cell)]);
          expect(splitQuotedRecord(text, delimiter)).toEqual(expected === 'error' ? undefined : expected[0]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  // Any text with a quote, well-formed or not: when the fast reader gives fields, they are csv-parse's.
  it('never reads a record differently from csv-parse', () => {
    const character = fc.constantFrom('a', ' ', ',', '"', '\n', '\r', 'é', ';');
    fc.assert(
      fc.property(
        fc.array(character, { minLength: 1, maxLength: 16 }),
        fc.constantFrom(',', ';'),
        (characters, delimiter) => {
          const text = characters.join('');
          if (!text.includes('"')) return;
          const fast = splitQuotedRecord(text, delimiter);
          if (fast === undefined) return;
          expect(csvParse(text, delimiter)).toEqual([fast]);
        },
      ),
      { numRuns: 20000 },
    );
  });
});
