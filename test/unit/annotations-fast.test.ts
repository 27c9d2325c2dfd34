/**
 * The fast path of reading long annotation files (io/annotations-fast.ts) against the full row
 * reader: on random files mixing well-formed rows with every kind of row the fast path leaves to
 * the full reader (memos, spaces around fields, empty or unknown units and codes, other coders,
 * quoted fields, wrong field counts), both give the same codings, memos, findings and errors.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelFromCodeList } from '../../src/core/codebook.js';
import { FixedUnitIndex, GrowingUnitIndex } from '../../src/core/units.js';
import { readCodings } from '../../src/io/annotations.js';
import { temporaryFolder } from '../helpers.js';

const units = ['D0000001-s001', 'D0000001-s002', 'D0000002-s001', 'doc:10', 'doc:9'];
const codes = ['trade.ntb', 'trade.tariffs', 'security.drugs'];

const rowArbitrary = fc.record({
  unit: fc.constantFrom(...units, ' doc:9', 'doc:404', ''),
  coder: fc.constantFrom('a', 'b', 'a ', '', 'c'),
  code: fc.constantFrom(...codes, '', '', ' trade.ntb', 'trade.unknown', 'new.code'),
  memo: fc.constantFrom('', '', '', 'a memo', '=1+1', '"quoted, memo"'),
});

async function readBoth(
  text: string,
  options: { codebook: boolean; coderColumn: boolean; onlyCoder: boolean },
) {
  const folder = await temporaryFolder('coding-fast-');
  const file = path.join(folder, 'long.csv');
  await fs.writeFile(file, text);
  const read = async (fastPath: boolean) => {
    const discovered: string[] = [];
    const discover = options.codebook
      ? undefined
      : (id: string): number => {
          const known = discovered.indexOf(id);
          if (known >= 0) return known;
          discovered.push(id);
          return discovered.length - 1;
        };
    const unitIndex = options.codebook ? new FixedUnitIndex(units) : new GrowingUnitIndex();
    try {
      const result = await readCodings({
        file,
        shownAs: 'long.csv',
        units: unitIndex,
        codebook: modelFromCodeList(options.codebook ? codes : []),
        coder: 'a',
        onlyCoder: options.onlyCoder,
        ...(discover ? { discoverCodes: discover } : {}),
        fastPath,
        chunkSize: 61,
      });
      return {
        byCoder: [...result.byCoder].map(([coder, work]) => ({
          coder,
          units: [...work.codings.units].map((index) => unitIndex.idAt(index)),
          offsets: [...work.codings.offsets],
          codes: [...work.codings.codes],
          memos: [...work.memos].sort(([left], [right]) => left - right),
        })),
        rows: result.rows,
        findings: result.findings,
        discovered,
      };
    } catch (error) {
      return { error: String(error), location: (error as { location?: unknown }).location };
    }
  };
  const full = await read(false);
  const fast = await read(true);
  await fs.rm(folder, { recursive: true });
  return { full, fast };
}

const quote = (field: string): string => (/[",]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);

describe('the fast path of long annotation files', () => {
  it('gives exactly what the full row reader gives, on random files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { minLength: 1, maxLength: 40 }),
        fc.record({
          codebook: fc.boolean(),
          coderColumn: fc.boolean(),
          onlyCoder: fc.boolean(),
          memoColumn: fc.boolean(),
        }),
        async (rows, shape) => {
          const header = [
            'unit_id',
            ...(shape.coderColumn ? ['coder'] : []),
            'code',
            ...(shape.memoColumn ? ['memo'] : []),
          ];
          const lines = rows.map((row) =>
            [
              row.unit,
              ...(shape.coderColumn ? [row.coder] : []),
              row.code,
              ...(shape.memoColumn ? [row.memo] : []),
            ]
              .map(quote)
              .join(','),
          );
          const { full, fast } = await readBoth(`${header.join(',')}\n${lines.join('\n')}\n`, shape);
          expect(fast).toEqual(full);
        },
      ),
      { numRuns: 150, seed: 20261130 },
    );
  });

  it('leaves a row with a wrong number of fields to the full reader, which names its line', async () => {
    const text = `unit_id,coder,code\n${'D0000001-s001,a,trade.ntb\n'.repeat(5)}D0000001-s002,a\n`;
    const { full, fast } = await readBoth(text, { codebook: true, coderColumn: true, onlyCoder: false });
    expect(fast).toEqual(full);
    expect(String((fast as { error: string }).error)).toContain('2 fields');
    expect((fast as { location: { line: number } }).location.line).toBe(7);
  });

  it('reports a duplicated row read by the fast path with the lines of both rows', async () => {
    const text = `unit_id,code\n${'D0000001-s001,trade.ntb\nD0000001-s002,security.drugs\n'.repeat(3)}`;
    const { full, fast } = await readBoth(text, { codebook: true, coderColumn: false, onlyCoder: false });
    expect(fast).toEqual(full);
    const messages = (fast as { findings: Array<{ message: string }> }).findings.map(
      (finding) => finding.message,
    );
    expect(messages.some((message) => message.includes('lines 2, 4, 6'))).toBe(true);
  });
});

describe('GrowingUnitIndex', () => {
  it('gives every id one index, whether the ids arrive in ascending order or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd:1', 'd:10', 'd:9', ''), { maxLength: 30 }),
        (ids) => {
          const index = new GrowingUnitIndex();
          const expected = new Map<string, number>();
          for (const id of ids) {
            if (!expected.has(id)) expected.set(id, expected.size);
            expect(index.indexOf(id)).toBe(expected.get(id));
          }
          expect(index.size).toBe(expected.size);
          for (const [id, position] of expected) expect(index.idAt(position)).toBe(id);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
