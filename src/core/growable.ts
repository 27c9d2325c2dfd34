/**
 * Typed arrays that grow in place: each is a view of a resizable ArrayBuffer (ES2024), which
 * reserves address space for its largest size and commits memory as it grows, so growing copies
 * nothing and leaves no garbage — which at ten million units is hundreds of megabytes that the
 * collector would free only later. Where resizable buffers are missing, the array is copied to
 * grow, as usual.
 */

type ResizableBuffer = ArrayBuffer & { resize(byteLength: number): void; readonly resizable: boolean };
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options?: { maxByteLength: number },
) => ResizableBuffer;

/** Largest size reserved: 4 GiB (a billion 4-byte elements); reserving costs address space only. */
const maxByteLength = 2 ** 32;
/** Arrays of up to this many bytes are plain ones. */
const plainBytes = 1 << 22;

/** A buffer of `byteLength` bytes holding `old`'s bytes, grown in place when `old` can be. */
function grown(old: ArrayBuffer, used: number, byteLength: number): ArrayBuffer {
  const resizable = old as ResizableBuffer;
  if (resizable.resizable === true) {
    resizable.resize(byteLength);
    return old;
  }
  let buffer: ArrayBuffer | undefined;
  if (byteLength > plainBytes) {
    try {
      const candidate = new ResizableArrayBuffer(byteLength, { maxByteLength });
      if (candidate.resizable === true) buffer = candidate;
    } catch {
      // No resizable buffers, or no address space to reserve: grow by copying.
    }
  }
  buffer ??= new ArrayBuffer(byteLength);
  new Uint8Array(buffer).set(new Uint8Array(old, 0, used));
  return buffer;
}

export class GrowableInt32 {
  private buffer: ArrayBuffer;
  /** The elements (a view of the whole buffer: its length is the capacity). */
  array: Int32Array;

  constructor(capacity = 1024) {
    this.buffer = new ArrayBuffer(capacity * 4);
    this.array = new Int32Array(this.buffer, 0, capacity);
  }

  /** Room for at least `needed` elements (by half again as many, at least); returns the new array. */
  grow(needed: number): Int32Array {
    const capacity = Math.max(needed, Math.ceil(this.array.length * 1.5));
    this.buffer = grown(this.buffer, this.array.byteLength, capacity * 4);
    this.array = new Int32Array(this.buffer, 0, capacity);
    return this.array;
  }

  /** The first `length` elements, sharing the memory (no copy). */
  view(length: number): Int32Array {
    return new Int32Array(this.buffer, 0, length);
  }
}

export class GrowableUint8 {
  private buffer: ArrayBuffer;
  array: Uint8Array;

  constructor(capacity = 1024) {
    this.buffer = new ArrayBuffer(capacity);
    this.array = new Uint8Array(this.buffer, 0, capacity);
  }

  grow(needed: number): Uint8Array {
    const capacity = Math.max(needed, Math.ceil(this.array.length * 1.5));
    this.buffer = grown(this.buffer, this.array.byteLength, capacity);
    this.array = new Uint8Array(this.buffer, 0, capacity);
    return this.array;
  }
}
