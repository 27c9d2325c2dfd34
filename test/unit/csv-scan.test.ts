/**
 * The fast CSV reader (csv-scan) against csv-parse, the reference: identical rows on every
 * fixture and on random files, whatever mix of plain and quoted records they hold.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanCsv } from '../../src/io/csv-scan.js';
import { csvLine } from '../../src/io/csv-write.js';
import { repositoryRoot, temporaryFolder } from '../helpers.js';

async function scanned(file: string, delimiter?: string): Promise<string[][]> {
  const rows: string[][] = [];
  await scanCsv(file, {
    delimiter,
    onHeader(header) {
      rows.push(header);
    },
    onRow(fields) {
      rows.push(fields);
    },
  });
  return rows;
}

/** csv-parse's reading of the same text: BOM dropped, empty lines skipped, CRLF inside quotes as LF (as the tool stores text). */
function reference(text: string, delimiter = ','): string[][] {
  const rows = parse(text, {
    bom: true,
    delimiter,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as string[][];
  return rows.map((row, index) =>
    row.map((field) => (index === 0 ? field.trim() : field.replace(/\r\n/g, '\n'))),
  );
}

async function temporaryFile(text: string | Buffer): Promise<string> {
  const folder = await temporaryFolder('coding-csv-');
  const file = path.join(folder, 'data.csv');
  await fs.writeFile(file, text);
  return file;
}

describe('scanCsv against csv-parse', () => {
  it('reads every CSV file of the bundled study identically', async () => {
    const files = [
      'annotations/coder1.csv',
      'annotations/coder2.csv',
      'annotations/sample.csv',
      'annotations/adjudication.csv',
      'corpus/units.csv',
    ];
    for (const name of files) {
      const file = path.join(repositoryRoot, name);
      expect(await scanned(file), name).toEqual(reference(await fs.readFile(file, 'utf8')));
    }
  });

  it('reads hand-made files with quotes, embedded line ends, a BOM, CRLF and semicolons identically', async () => {
    const cases: Array<[string, string | undefined]> = [
      ['unit_id,code,memo\r\na:1,x,"a memo, with a comma"\r\na:2,,\r\n', undefined],
      ['\uFEFFunit_id,code,memo\na:1,x,"two\nlines"\na:2,y,"a ""quoted"" word"\n', undefined],
      ['unit_id;code;memo\na:1;x;"semi; colon"\n\na:2;y;plain\n', undefined],
      ['unit_id\tcode\na:1\tx\n', '\t'],
      ['id,text\n1,"starts plain\r\nand goes on, quoted"\n2,last line without newline', undefined],
    ];
    for (const [text, delimiter] of cases) {
      const file = await temporaryFile(text);
      const detected = delimiter ?? (text.split('\n')[0]!.includes(';') ? ';' : ',');
      expect(await scanned(file, delimiter), JSON.stringify(text)).toEqual(reference(text, detected));
    }
  });

  it('reads random files written in both quoted and plain records identically', async () => {
    const field = fc.oneof(
      fc.stringMatching(/^[a-z0-9:._-]{0,8}$/),
      fc.string({ maxLength: 10 }).filter((text) => !/^\s|\s$/.test(text) || text.includes('"')),
      fc.constantFrom('a,b', 'a"b', 'a\nb', 'x\r\ny', 'é ü'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(field, field, field), { minLength: 1, maxLength: 40 }),
        async (rows) => {
          const text = csvLine(['unit_id', 'code', 'memo']) + rows.map((row) => csvLine(row)).join('');
          const file = await temporaryFile(text);
          expect(await scanned(file)).toEqual(reference(text));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same rows on a file of several chunks, where the fast path reads the plain ones', async () => {
    // About 2 MiB: the first chunk holds the header (line by line); later chunks without quotes are
    // split directly; the chunk with a quoted record goes line by line again.
    const lines = ['unit_id,coder,code'];
    for (let unit = 1; unit <= 120_000; unit++) {
      lines.push(
        unit === 90_000
          ? `u${unit}:1,a,"quoted, with a comma"`
          : `u${unit}:1,${unit % 2 === 0 ? 'a' : 'b'},code${unit % 9}`,
      );
    }
    const text = `${lines.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(1.9 * 1024 * 1024);
    const file = await temporaryFile(text);
    const rows = await scanned(file);
    expect(rows).toEqual(reference(text));
    expect(rows[90_000]).toEqual(['u90000:1', 'a', 'quoted, with a comma']);
  });

  it('reports an unclosed quote at the line where it opens, and a short row with its line', async () => {
    await expect(scanned(await temporaryFile('a,b\n1,2\n3,"open\n4,5\n'))).rejects.toThrow(
      /quoted field opened here is never closed/,
    );
    await expect(scanned(await temporaryFile('a,b\n1,2\n3\n'))).rejects.toMatchObject({
      location: { line: 3 },
    });
  });

  it('names the line of a byte that is not UTF-8 in a later chunk, and of a character cut by the end of the file', async () => {
    const lines = ['unit_id,coder,code', ...Array.from({ length: 400 }, (_, index) => `u${index},a,x`)];
    const latin1 = Buffer.concat([
      Buffer.from(`${lines.join('\n')}\n`),
      Buffer.from('u400,a,caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const file = await temporaryFile('');
    await fs.writeFile(file, latin1);
    const scan = (chunkSize: number) =>
      scanCsv(file, { chunkSize, onHeader() {}, onRow() {} }).then(() => 'read');
    for (const chunkSize of [64, 1000, 1 << 20])
      await expect(scan(chunkSize)).rejects.toMatchObject({ location: { line: 402 } });
    await fs.writeFile(file, Buffer.concat([Buffer.from('a,b\n1,x\n2,'), Buffer.from([0xe2, 0x82])]));
    for (const chunkSize of [3, 1 << 20])
      await expect(scan(chunkSize)).rejects.toMatchObject({ location: { line: 3 } });
  });
});
