/**
 * serializeDocument writes a value that needs no escaping as it is, and leaves the others to
 * JSON.stringify: on random records (quotes, backslashes, control characters, lone and paired
 * surrogates, U+2028) it writes what JSON.stringify of every value writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeDocument } from '../../src/io/corpus-store.js';
import { type DocumentRecord, standardFields } from '../../src/schema/corpus.js';

/** The line as written before the fast path: JSON.stringify of every value. */
function reference(record: DocumentRecord): string {
  let line = `{"id":${JSON.stringify(record.id)}`;
  for (const key of standardFields) {
    const value = record[key];
    if (value !== undefined) line += `,"${key}":${JSON.stringify(value)}`;
  }
  line += ',"attributes":{';
  let first = true;
  for (const key of Object.keys(record.attributes).sort()) {
    line += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(record.attributes[key])}`;
    first = false;
  }
  const pages = record.pages === undefined ? '' : `,"pages":[${record.pages.join(',')}]`;
  return `${line}},"unit":"${record.unit}","origin":${JSON.stringify(record.origin)}${pages},"hash":"${record.hash}","text":${JSON.stringify(record.text)}}\n`;
}

const piece = fc.constantFrom(
  'a',
  'é',
  ' ',
  '"',
  '\\',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '😀',
  '\ud800',
  '\udc00',
  '/',
);
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

describe('serializeDocument', () => {
  it('writes what JSON.stringify of each value writes', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: text,
          text,
          origin: text,
          actor: fc.option(text, { nil: undefined }),
          title: fc.option(text, { nil: undefined }),
        }),
        fc.dictionary(text, text, { maxKeys: 3 }),
        (values, attributes) => {
          const record: DocumentRecord = {
            id: values.id,
            text: values.text,
            origin: values.origin,
            unit: 'sentence',
            hash: 'ab',
            attributes,
            ...(values.actor === undefined ? {} : { actor: values.actor }),
            ...(values.title === undefined ? {} : { title: values.title }),
          };
          expect(serializeDocument(record)).toBe(reference(record));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
