/**
 * The paths that read millions of annotation rows in little memory (issue 14): the builder's
 * unit-order path (`UnitRuns`) against the plain definition and against its packed-key path, the
 * pool of unit ids and its hash table, the study's units.csv read into a pool, and the chunked CSV
 * reader, whose result must not depend on where chunks end, on CRLF line ends or on a BOM.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCodeList } from '../../src/core/codebook.js';
import { CodingsBuilder, packKey } from '../../src/core/codings.js';
import { UnitIdPool } from '../../src/core/unit-id-pool.js';
import { FixedUnitIndex, GrowingUnitIndex } from '../../src/core/units.js';
import { readCodings } from '../../src/io/annotations.js';
import { corpusPaths, readUnitIdPool } from '../../src/io/corpus-store.js';
import { scanCsv } from '../../src/io/csv-scan.js';

let folder: string;
beforeAll(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'coding-reliability-reader-'));
});
afterAll(async () => {
  await fs.rm(folder, { recursive: true, force: true });
});

type Row = readonly [unit: number, code: number, line: number];

/** The definition, with lines: what any order of adding the rows must give. */
function reference(rows: readonly Row[]) {
  const byUnit = new Map<number, Map<number, number[]>>();
  for (const [unit, code, line] of rows) {
    const codes = byUnit.get(unit) ?? new Map<number, number[]>();
    byUnit.set(unit, codes);
    codes.set(code, [...(codes.get(code) ?? []), line]);
  }
  const units = [...byUnit.keys()].sort((left, right) => left - right);
  const ascending = (values: number[]) => [...values].sort((left, right) => left - right);
  const duplicates: Array<{ key: number; lines: number[] }> = [];
  const contradictions: Array<{ unitIndex: number; lines: number[] }> = [];
  for (const unit of units) {
    const codes = byUnit.get(unit)!;
    for (const code of ascending([...codes.keys()])) {
      const lines = codes.get(code)!;
      if (lines.length > 1) duplicates.push({ key: packKey(unit, code), lines: ascending(lines) });
    }
    if (codes.has(-1) && codes.size > 1)
      contradictions.push({ unitIndex: unit, lines: ascending([...codes.values()].flat()) });
  }
  return {
    units,
    codes: units.map((unit) => ascending([...byUnit.get(unit)!.keys()].filter((code) => code >= 0))),
    duplicates,
    contradictions,
    linesOfUnit: (unit: number) => ascending([...(byUnit.get(unit)?.values() ?? [])].flat()),
  };
}

function built(rows: readonly Row[]) {
  const builder = new CodingsBuilder();
  for (const [unit, code, line] of rows) builder.add(unit, code, line);
  const firstLine = builder.firstLine();
  const result = builder.build();
  return {
    unitsAscending: builder.unitsAscending,
    firstLine,
    units: [...result.codings.units],
    codes: [...result.codings.units].map((_, position) => [...result.codings.codesAt(position)]),
    duplicates: result.duplicates,
    contradictions: result.contradictions,
    linesOfUnit: (unit: number) => builder.linesOfUnit(unit),
  };
}

describe('CodingsBuilder: the unit-order path and the packed-key path', () => {
  it('give the same codings, duplicates, contradictions and lines as the definition', () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -1, max: 4 }));
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 60 }),
        // Steps between lines: small (one byte), large (kept whole), or back (a line before the last).
        fc.array(
          fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 200, max: 5000 }), fc.constant(-7)),
          {
            minLength: 60,
            maxLength: 60,
          },
        ),
        fc.boolean(),
        (pairs, steps, inUnitOrder) => {
          let line = 10;
          const rows: Row[] = pairs.map(([unit, code], index) => {
            line = Math.max(1, line + steps[index]!);
            return [unit, code, line];
          });
          // In unit order (stably, so each unit's rows keep their order) the unit-order path is
          // taken throughout; as given, it usually moves to packed keys part way.
          const ordered = inUnitOrder ? [...rows].sort((left, right) => left[0] - right[0]) : rows;
          const expected = reference(ordered);
          const got = built(ordered);
          if (inUnitOrder) expect(got.unitsAscending).toBe(true);
          expect(got.units).toEqual(expected.units);
          expect(got.codes).toEqual(expected.codes);
          expect(got.duplicates).toEqual(expected.duplicates);
          expect(got.contradictions).toEqual(expected.contradictions);
          expect(got.firstLine).toBe(ordered[0]?.[2]);
          for (let unit = 0; unit <= 13; unit++)
            expect(got.linesOfUnit(unit)).toEqual(expected.linesOfUnit(unit));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives the same result whether the units ascend from the start or go back at the end', () => {
    // 300,000 rows in unit order (lines far apart now and then), then one row of unit 0: the
    // unit-order path holds them all, then moves them to packed keys; both builds must agree.
    const rows: Row[] = [];
    let line = 1;
    for (let unit = 0; unit < 100_000; unit++)
      for (let code = 0; code < 3; code++) {
        line += unit % 1000 === 0 ? 300 : 1;
        rows.push([unit, (unit + code) % 7, line]);
      }
    const ascending = built(rows);
    const moved = built([...rows, [0, 6, line + 1]]);
    expect(ascending.unitsAscending).toBe(true);
    expect(moved.unitsAscending).toBe(false);
    expect(moved.units).toEqual(ascending.units);
    expect(moved.codes.slice(1)).toEqual(ascending.codes.slice(1));
    expect(moved.codes[0]).toEqual([...ascending.codes[0]!, 6].sort());
    expect(moved.linesOfUnit(99_000)).toEqual(ascending.linesOfUnit(99_000));
    expect(ascending.linesOfUnit(99_000)).toEqual([rows[297_000]![2], rows[297_001]![2], rows[297_002]![2]]);
  });
});

describe('UnitIdPool', () => {
  it('finds every id it holds, and no other, past several growths of its table', () => {
    const pool = new UnitIdPool();
    const ids = Array.from({ length: 5000 }, (_, index) =>
      index % 3 === 0 ? `s${index}:1` : `é${index}-😀`,
    );
    for (const id of ids) pool.add(`[${id}]`, 1, id.length + 1);
    expect(pool.size).toBe(ids.length);
    for (const [index, id] of ids.entries()) {
      expect(pool.find(`,${id},`, 1, id.length + 1)).toBe(index);
      expect(pool.idAt(index)).toBe(id);
    }
    expect(pool.find('s1:1', 0, 4)).toBe(-1);
    expect(pool.find('', 0, 0)).toBe(-1);
    // Ids added after the table exists are found too.
    expect(pool.add('new', 0, 3)).toBe(5000);
    expect(pool.find('new', 0, 3)).toBe(5000);
  });

  it('compares ids in natural order, a total order in which only equal ids are equal', () => {
    const id = fc.string({ unit: fc.constantFrom('s', ':', '0', '1', '2', '9', 'a', 'é'), maxLength: 7 });
    const compare = (left: string, right: string): number => {
      const pool = new UnitIdPool();
      pool.add(right, 0, right.length);
      return Math.sign(pool.compare(0, left, 0, left.length));
    };
    fc.assert(
      fc.property(id, id, id, (first, second, third) => {
        expect(compare(first, second) === 0).toBe(first === second);
        expect(compare(first, second) + compare(second, first)).toBe(0);
        if (compare(first, second) < 0 && compare(second, third) < 0) expect(compare(first, third)).toBe(-1);
      }),
      { numRuns: 2000 },
    );
    expect(compare('s9:1', 's10:1')).toBe(-1);
    expect(compare('doc:2', 'doc:10')).toBe(-1);
    expect(compare('s01', 's1')).toBe(1);
    expect(compare('s1a', 's01')).toBe(-1);
  });

  it('numbers ids given in natural order without a hash table', () => {
    const index = new GrowingUnitIndex();
    for (let unit = 1; unit <= 5000; unit++) expect(index.indexOf(`s${unit}:1`)).toBe(unit - 1);
    expect((index as unknown as { ids: UnitIdPool }).ids.hashed).toBe(false);
    expect(index.indexOf('s10:1')).toBe(9);
    expect((index as unknown as { ids: UnitIdPool }).ids.hashed).toBe(true);
  });

  it('gives a growing index the same numbers as a Map, for ids in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 3000 }), (numbers) => {
        const index = new GrowingUnitIndex();
        const map = new Map<string, number>();
        for (const number of numbers) {
          const id = `s${number}:1`;
          if (!map.has(id)) map.set(id, map.size);
          expect(index.indexOf(id)).toBe(map.get(id));
        }
        expect(index.size).toBe(map.size);
      }),
      { numRuns: 30 },
    );
  });
});

describe("a study's units.csv read into a pool", () => {
  const write = async (name: string, text: string) => {
    const corpus = path.join(folder, name);
    await fs.mkdir(corpus, { recursive: true });
    await fs.writeFile(path.join(corpus, 'units.csv'), text);
    return corpusPaths(corpus);
  };

  it('holds the ids in order, with LF or CRLF line ends, and finds them in place', async () => {
    const lines = Array.from(
      { length: 3000 },
      (_, index) => `d${index % 50}:${index},d${index % 50},1,0,5,abc`,
    );
    for (const end of ['\n', '\r\n']) {
      const paths = await write(
        `units-${end.length}`,
        `unit_id,doc_id,ordinal,start,end,hash${end}${lines.join(end)}${end}`,
      );
      const index = new FixedUnitIndex(await readUnitIdPool(paths));
      expect(index.size).toBe(3000);
      expect(index.idAt(2999)).toBe('d49:2999');
      expect(index.indexOfSlice('x,d7:1007,', 2, 9)).toBe(1007);
      // In corpus order, and again from the start (a second coder's file).
      for (const position of [0, 1, 2, 0, 1, 2999, 0]) {
        const id = `d${position % 50}:${position}`;
        expect(index.indexOfSlice(id, 0, id.length)).toBe(position);
      }
      expect(index.indexOf('d1:2')).toBe(-1);
    }
  });

  it('refuses a wrong header and a damaged line, naming the line', async () => {
    const wrongHeader = await write('wrong-header', 'unit,doc\na:1,a,1,0,1,x\n');
    await expect(readUnitIdPool(wrongHeader)).rejects.toMatchObject({
      message: expect.stringContaining('unexpected header'),
      location: { line: 1 },
    });
    const damaged = await write('damaged', 'unit_id,doc_id,ordinal,start,end,hash\na:1,a,1,0,1,x\na:2,a,2\n');
    await expect(readUnitIdPool(damaged)).rejects.toMatchObject({
      message: expect.stringContaining('found 3'),
      location: { line: 3 },
    });
  });
});

describe('reading a long file in chunks', () => {
  const rowArbitrary = fc.record({
    unit: fc.constantFrom('D0000001-s001', 'D0000001-s002', 'Dé-s003', 'doc:10', 'doc:9'),
    coder: fc.constantFrom('a', 'b', 'ä'),
    code: fc.constantFrom('trade.ntb', 'trade.tariffs', 'security.drugs', ''),
    memo: fc.constantFrom('', '', 'a memo', 'é, "quoted"', 'line\nbreak'),
  });
  const quote = (field: string): string => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);

  it('gives the same codings, memos and findings for any chunk size, with CRLF or a BOM, in unit order or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { minLength: 1, maxLength: 30 }),
        fc.record({
          crlf: fc.boolean(),
          bom: fc.boolean(),
          inUnitOrder: fc.boolean(),
          chunkSize: fc.integer({ min: 1, max: 80 }),
        }),
        async (rows, shape) => {
          const ordered = shape.inUnitOrder
            ? [...rows].sort((left, right) => (left.unit < right.unit ? -1 : left.unit > right.unit ? 1 : 0))
            : rows;
          const lines = ordered.map((row) => [row.unit, row.coder, row.code, row.memo].map(quote).join(','));
          const plain = `unit_id,coder,code,memo\n${lines.join('\n')}\n`;
          const shaped = `${shape.bom ? '\uFEFF' : ''}${shape.crlf ? plain.replace(/\n/g, '\r\n') : plain}`;
          const read = async (text: string, chunkSize: number) => {
            const file = path.join(folder, `chunks-${chunkSize}-${Math.random().toString(36).slice(2)}.csv`);
            await fs.writeFile(file, text);
            const units = new GrowingUnitIndex();
            try {
              const result = await readCodings({
                file,
                shownAs: 'long.csv',
                units,
                codebook: modelFromCodeList(['trade.ntb', 'trade.tariffs', 'security.drugs']),
                coder: 'a',
                chunkSize,
              });
              return [...result.byCoder].map(([coder, work]) => ({
                coder,
                units: [...work.codings.units].map((index) => units.idAt(index)),
                codes: [...work.codings.units].map((_, position) => [...work.codings.codesAt(position)]),
                // A memo's line break was CRLF in a CRLF file: compare the text.
                memos: [...work.memos].map(([key, memo]) => [key, memo.replace(/\r\n/g, '\n')]),
                findings: result.findings.map((finding) => `${finding.line}: ${finding.message}`),
              }));
            } catch (error) {
              return String(error);
            } finally {
              await fs.rm(file);
            }
          };
          expect(await read(shaped, shape.chunkSize)).toEqual(await read(plain, 1 << 20));
        },
      ),
      { numRuns: 150, seed: 14 },
    );
  });

  it('splits a character cut by a chunk end correctly, and counts lines across chunks', async () => {
    const file = path.join(folder, 'multibyte.csv');
    const rows = Array.from({ length: 200 }, (_, index) => `ü${index}😀,x\r\n`).join('');
    await fs.writeFile(file, `\uFEFFid,value\r\n${rows}`);
    for (const chunkSize of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const seen: string[] = [];
      const lines: number[] = [];
      await scanCsv(file, {
        chunkSize,
        onHeader: (header) => seen.push(header.join('|')),
        onRow: (fields, line) => {
          seen.push(fields.join('|'));
          lines.push(line);
        },
        onLine: (text, start, end, line) => {
          seen.push(text.slice(start, end).replace(',', '|'));
          lines.push(line);
          return true;
        },
      });
      expect(seen[0]).toBe('id|value');
      expect(seen.slice(1)).toEqual(Array.from({ length: 200 }, (_, index) => `ü${index}😀|x`));
      expect(lines).toEqual(Array.from({ length: 200 }, (_, index) => index + 2));
    }
  });
});
