import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Chunks } from '../../src/io/utf8-chunks.js';

/** Cut `bytes` at the given points (sorted, de-duplicated) into chunks. */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...at, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

function decodeInChunks(chunks: Uint8Array[], fatal: boolean): string {
  const decoder = new Utf8Chunks(fatal);
  return chunks.map((chunk) => decoder.decode(chunk)).join('') + decoder.end();
}

describe('Utf8Chunks', () => {
  it('gives the text of the whole file however the bytes are cut', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', '\n', 'é', 'ñ', '€', '😀', '\u0000', 'z') });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (value, points) => {
        const bytes = new TextEncoder().encode(value);
        expect(decodeInChunks(cut(bytes, points), true)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('reads bytes that are not UTF-8 as TextDecoder does: U+FFFD when lenient, an error when fatal', () => {
    const bytes = fc
      .uint8Array({ maxLength: 40 })
      .map((array) => array.map((byte) => (byte % 3 === 0 ? 0x41 : byte)));
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 6 }), (value, points) => {
        const whole = new TextDecoder('utf-8').decode(value);
        expect(decodeInChunks(cut(value, points), false)).toBe(whole);
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(value);
        } catch {
          valid = false;
        }
        if (valid) expect(decodeInChunks(cut(value, points), true)).toBe(whole);
        else expect(() => decodeInChunks(cut(value, points), true)).toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it('fails at the end of a file cut inside a character', () => {
    const decoder = new Utf8Chunks(true);
    expect(decoder.decode(new Uint8Array([0x61, 0xe2, 0x82]))).toBe('a');
    expect(() => decoder.end()).toThrow();
  });

  // A reader that reads every chunk into the same Buffer (corpus-store's lineBatches): the bytes of
  // a character cut by a chunk's end must be kept, not a view that the next read overwrites.
  it('keeps a cut character when the caller reuses its buffer', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 1, max: 9 }),
        (text, size) => {
          const bytes = Buffer.from(text, 'utf8');
          const buffer = Buffer.alloc(size);
          const decoder = new Utf8Chunks(false);
          let decoded = '';
          for (let start = 0; start < bytes.length; start += size) {
            const length = bytes.copy(buffer, 0, start, start + size);
            decoded += decoder.decode(buffer.subarray(0, length));
          }
          expect(decoded + decoder.end()).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });
});
