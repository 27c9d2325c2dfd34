/**
 * UTF-8 decoding of a file read in chunks, fast for the common case: a chunk of ASCII bytes alone
 * (most annotation files and unit tables) is turned into a string directly, several times faster
 * than a UTF-8 decoder; any other chunk is decoded in full, with the bytes of a character cut by
 * the chunk's end carried to the next chunk, so no decoder state is ever left between chunks.
 */
import { Buffer, isAscii } from 'node:buffer';

/** Where the last, possibly incomplete, character of `bytes` starts; `bytes.length` when it is complete. */
function completeLength(bytes: Uint8Array): number {
  const length = bytes.length;
  // Walk back over at most three continuation bytes (0x80–0xBF) to the byte that starts the character.
  let start = length - 1;
  while (start >= 0 && start > length - 4 && (bytes[start]! & 0xc0) === 0x80) start--;
  if (start < 0) return length;
  const lead = bytes[start]!;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return start + needed > length ? start : length;
}

export class Utf8Chunks {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  private carried: Uint8Array | undefined;

  /** `fatal`: bytes that are not UTF-8 throw (a TypeError from TextDecoder); otherwise they become U+FFFD. */
  constructor(fatal: boolean) {
    this.decoder = new TextDecoder('utf-8', { fatal });
  }

  /** The text of the next chunk (the bytes of a character it cuts are kept for the next call). */
  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.carried !== undefined) {
      bytes = new Uint8Array(this.carried.length + chunk.length);
      bytes.set(this.carried);
      bytes.set(chunk, this.carried.length);
      this.carried = undefined;
    }
    if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    const complete = completeLength(bytes);
    // A copy: `slice` of a Buffer is a view, and a reader that reuses its buffer (lineBatches)
    // would overwrite the carried bytes with the next chunk's.
    if (complete < bytes.length) this.carried = Uint8Array.prototype.slice.call(bytes, complete);
    return this.decoder.decode(bytes.subarray(0, complete));
  }

  /** What is left at the end of the file: the bytes of a cut character fail (fatal) or become U+FFFD. */
  end(): string {
    const rest = this.carried;
    this.carried = undefined;
    return rest === undefined ? '' : this.decoder.decode(rest);
  }
}
