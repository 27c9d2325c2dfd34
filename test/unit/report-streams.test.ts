/**
 * The report's streaming pieces against the simple forms they replace: `ByteChunks` gives the bytes
 * of `Buffer.from` on each text in turn, and `wantedUnitsWithDocuments` (a batch of lines at a time)
 * gives what filtering `unitsWithDocuments` (a document parsed per unit) gives, across batch
 * boundaries, CRLF lines, blank lines, a byte-order mark, bytes that are not UTF-8 and a line not
 * written by the tool.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteChunks } from '../../src/app/report-reliability.js';
import { corpusPaths, serializeDocument, serializeUnit, unitsHeaderLine } from '../../src/io/corpus-store.js';
import { unitsWithDocuments, wantedUnitsWithDocuments } from '../../src/io/corpus-walk.js';
import type { DocumentRecord, UnitRecord } from '../../src/schema/corpus.js';

describe('ByteChunks', () => {
  const piece = fc.constantFrom('a', 'é', '😀', '\ud800', '\udc00', ',', '"', '\n', 'abcdefghij');
  // Each text is encoded on its own (the report adds whole CSV lines, so no pair is ever split).
  it('gives the UTF-8 bytes of the texts one after another, whatever the size of its buffers', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')),
          { maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 64 }),
        (texts, size) => {
          const chunks = new ByteChunks(size);
          for (const text of texts) chunks.add(text);
          const expected = Buffer.concat(texts.map((text) => Buffer.from(text, 'utf8')));
          expect(Buffer.concat(chunks.pieces()).equals(expected)).toBe(true);
        },
      ),
    );
  });
});

describe('wantedUnitsWithDocuments', () => {
  let folder: string;
  const units: UnitRecord[] = [];
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'coding-report-streams-'));
    const documentLines: string[] = [];
    let unitLines = unitsHeaderLine();
    for (let index = 0; index < 3000; index++) {
      const text = `Document ${index} ${'é😀 words '.repeat(index % 7)}end.`;
      const record: DocumentRecord = {
        id: `d${index}`,
        actor: `actor ${index % 5}`,
        attributes: {},
        unit: 'sentence',
        origin: `input.csv:${index + 2}`,
        hash: 'f'.repeat(64),
        text,
      };
      let line = serializeDocument(record);
      // A line in another key order (not the tool's), one with CRLF, and blank lines.
      if (index === 17)
        line = `${JSON.stringify({ text, id: record.id, actor: record.actor, attributes: {}, unit: record.unit, origin: record.origin, hash: record.hash })}\n`;
      if (index === 18) line = `${line.slice(0, -1)}\r\n`;
      if (index % 500 === 3) line += '\n';
      documentLines.push(line);
      const pieces = index % 3;
      for (let ordinal = 0; ordinal <= pieces; ordinal++) {
        const unit: UnitRecord = {
          id: `d${index}-${ordinal}`,
          docId: record.id,
          ordinal,
          start: ordinal,
          end: ordinal + 4,
          hash: 'a'.repeat(16),
        };
        units.push(unit);
        unitLines += serializeUnit(unit);
      }
    }
    const paths = corpusPaths(folder);
    // A byte-order mark first, and a text with bytes that are not UTF-8 (they become U+FFFD).
    const bytes = Buffer.from(`\ufeff${documentLines.join('')}`, 'utf8');
    const broken = bytes.indexOf('Document 40 ');
    bytes[broken + 3] = 0xff;
    bytes[broken + 5] = 0xc3;
    await writeFile(paths.documents, bytes);
    await writeFile(paths.units, unitLines);
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('yields the units wanted with their documents, as filtering every unit does', async () => {
    const paths = corpusPaths(folder);
    const seen: string[] = [];
    const wanted = (unitIndex: number, unitId?: string): boolean => {
      if (unitId !== undefined) seen.push(unitId);
      return unitIndex % 7 === 0 || unitIndex % 11 === 3;
    };
    const expected: Array<{ unit: UnitRecord; document: DocumentRecord; unitIndex: number }> = [];
    let position = 0;
    for await (const { unit, document } of unitsWithDocuments(paths)) {
      const unitIndex = position++;
      if (wanted(unitIndex)) expected.push({ unit, document, unitIndex });
    }
    const actual: typeof expected = [];
    for await (const entry of wantedUnitsWithDocuments(paths, wanted)) actual.push(entry);
    expect(position).toBe(units.length);
    expect(seen).toEqual(units.map((unit) => unit.id));
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);
    expect(actual.some(({ document }) => document.text.includes('\ufffd'))).toBe(true);
  });

  it('refuses a line of the unit index without its six fields, even for a unit not wanted', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'coding-report-streams-'));
    try {
      const otherPaths = corpusPaths(other);
      await writeFile(otherPaths.documents, '');
      await writeFile(otherPaths.units, `${unitsHeaderLine()}u1,d0,0,0,4\n`);
      await expect(async () => {
        for await (const _ of wantedUnitsWithDocuments(otherPaths, () => false)) void _;
      }).rejects.toThrow('the unit index is damaged: expected 6 fields, found 5');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('says which document is missing when the unit index refers to one not in documents.jsonl', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'coding-report-streams-'));
    try {
      const otherPaths = corpusPaths(other);
      await writeFile(otherPaths.documents, '');
      await writeFile(otherPaths.units, `${unitsHeaderLine()}${serializeUnit(units[0]!)}`);
      await expect(async () => {
        for await (const _ of wantedUnitsWithDocuments(otherPaths, () => true)) void _;
      }).rejects.toThrow('the unit index refers to document "d0"');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
