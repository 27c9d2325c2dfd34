/**
 * Unit ids kept as characters in one pool rather than as a million small strings (which cost more
 * to make, to hash in a Map and to collect than the rest of reading a file), with an
 * open-addressing hash table of their indices, made the first time it is needed. An id is compared
 * and hashed in place in the text it is read from, so looking one up cuts no string.
 */

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** FNV-1a over the UTF-16 code units of text[start..end). */
function hashOf(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let at = start; at < end; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  return hash >>> 0;
}

export class UnitIdPool {
  /**
   * The ids' characters, one after the other; one byte a character while every character is below
   * U+0100, two from the first one that is not.
   */
  private pool: Uint8Array | Uint16Array = new Uint8Array(1 << 12);
  private poolLength = 0;
  /** Where each id starts in the pool. */
  private starts = new Int32Array(1 << 10);
  private count = 0;
  /** Index + 1 of the id in each slot, 0 for an empty slot; undefined until first needed. */
  private slots: Int32Array | undefined;

  get size(): number {
    return this.count;
  }

  /** Whether the hash table exists (it is made by the first `find`). */
  get hashed(): boolean {
    return this.slots !== undefined;
  }

  /** Append text[start..end) as the next id, without checking that it is new; returns its index. */
  add(text: string, start: number, end: number): number {
    const length = end - start;
    let wide = this.pool instanceof Uint16Array;
    if (!wide)
      for (let offset = 0; offset < length; offset++)
        if (text.charCodeAt(start + offset) > 0xff) {
          wide = true;
          break;
        }
    if (this.poolLength + length > this.pool.length || wide !== this.pool instanceof Uint16Array) {
      // Grown by half: at ten million ids the pool is over 100 MB, and doubling would leave up
      // to half of it unused.
      const size = Math.max(
        this.poolLength + length > this.pool.length ? Math.ceil(this.pool.length * 1.5) : this.pool.length,
        this.poolLength + length,
      );
      const pool = wide ? new Uint16Array(size) : new Uint8Array(size);
      pool.set(this.pool.subarray(0, this.poolLength));
      this.pool = pool;
    }
    if (this.count === this.starts.length) {
      const starts = new Int32Array(Math.ceil(this.starts.length * 1.5));
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[this.count] = this.poolLength;
    const pool = this.pool;
    let at = this.poolLength;
    for (let offset = start; offset < end; offset++) pool[at++] = text.charCodeAt(offset);
    this.poolLength = at;
    const index = this.count++;
    if (this.slots !== undefined) {
      if (this.count * 2 > this.slots.length) this.rehash();
      else this.insert(index, hashOf(text, start, end));
    }
    return index;
  }

  /** The index of text[start..end), or −1 when it is not an id of the pool. */
  find(text: string, start: number, end: number): number {
    if (this.slots === undefined) this.rehash();
    const slots = this.slots!;
    const mask = slots.length - 1;
    for (let slot = hashOf(text, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      if (this.equals(entry - 1, text, start, end)) return entry - 1;
    }
  }

  /** Whether id `index` is text[start..end). */
  equals(index: number, text: string, start: number, end: number): boolean {
    const from = this.starts[index]!;
    const to = index + 1 < this.count ? this.starts[index + 1]! : this.poolLength;
    if (to - from !== end - start) return false;
    const pool = this.pool;
    for (let offset = 0; offset < to - from; offset++)
      if (pool[from + offset] !== text.charCodeAt(start + offset)) return false;
    return true;
  }

  /**
   * Sign of text[start..end) compared with id `index` in natural order: runs of digits compare by
   * their numbers (`s9:1` < `s10:1`, as units are numbered), anything else by character code. A
   * total order in which only equal ids are equal (a number written with more leading zeros comes
   * after the same number with fewer), so an id greater than every id so far is a new one.
   */
  compare(index: number, text: string, start: number, end: number): number {
    const pool = this.pool;
    const from = this.starts[index]!;
    const to = index + 1 < this.count ? this.starts[index + 1]! : this.poolLength;
    let at = start;
    let other = from;
    // The common prefix first, character by character: most ids compared are equal, or differ
    // where no digit is involved, and then the first difference decides as it does for strings.
    while (at < end && other < to && text.charCodeAt(at) === pool[other]) {
      at++;
      other++;
    }
    if (at === end || other === to) return end - at - (to - other);
    if (!isDigit(text.charCodeAt(at)) && !isDigit(pool[other]!)) return text.charCodeAt(at) - pool[other]!;
    // A difference within digits: compare from the start of the run of digits it is in.
    while (at > start && isDigit(text.charCodeAt(at - 1))) {
      at--;
      other--;
    }
    while (at < end && other < to) {
      const left = text.charCodeAt(at);
      const right = pool[other]!;
      if (left >= 48 && left <= 57 && right >= 48 && right <= 57) {
        // Two runs of digits: skip their leading zeros, then the longer number is the greater.
        let leftEnd = at;
        while (leftEnd < end && isDigit(text.charCodeAt(leftEnd))) leftEnd++;
        let rightEnd = other;
        while (rightEnd < to && isDigit(pool[rightEnd]!)) rightEnd++;
        let leftStart = at;
        while (leftStart < leftEnd - 1 && text.charCodeAt(leftStart) === 48) leftStart++;
        let rightStart = other;
        while (rightStart < rightEnd - 1 && pool[rightStart] === 48) rightStart++;
        const lengths = leftEnd - leftStart - (rightEnd - rightStart);
        if (lengths !== 0) return lengths;
        for (let offset = 0; offset < leftEnd - leftStart; offset++) {
          const difference = text.charCodeAt(leftStart + offset) - pool[rightStart + offset]!;
          if (difference !== 0) return difference;
        }
        const zeros = leftStart - at - (rightStart - other);
        if (zeros !== 0) return zeros;
        at = leftEnd;
        other = rightEnd;
        continue;
      }
      if (left !== right) return left - right;
      at++;
      other++;
    }
    return end - at - (to - other);
  }

  idAt(index: number): string {
    const from = this.starts[index]!;
    const to = index + 1 < this.count ? this.starts[index + 1]! : this.poolLength;
    return poolString(this.pool, from, to);
  }

  /** A table of twice (or more) the ids' number of slots, filled with every id. */
  private rehash(): void {
    let length = 1024;
    while (length < this.count * 4) length *= 2;
    this.slots = new Int32Array(length);
    const pool = this.pool;
    for (let index = 0; index < this.count; index++) {
      const from = this.starts[index]!;
      const to = index + 1 < this.count ? this.starts[index + 1]! : this.poolLength;
      let hash = 0x811c9dc5;
      for (let at = from; at < to; at++) hash = Math.imul(hash ^ pool[at]!, 0x01000193);
      this.insert(index, hash >>> 0);
    }
  }

  private insert(index: number, hash: number): void {
    const slots = this.slots!;
    const mask = slots.length - 1;
    let slot = hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = index + 1;
  }
}

/** The string of pool[from..to), in pieces small enough for `String.fromCharCode`'s arguments. */
function poolString(pool: Uint8Array | Uint16Array, from: number, to: number): string {
  if (to - from <= 4096)
    return String.fromCharCode.apply(null, pool.subarray(from, to) as unknown as number[]);
  let text = '';
  for (let at = from; at < to; at += 4096)
    text += String.fromCharCode.apply(
      null,
      pool.subarray(at, Math.min(to, at + 4096)) as unknown as number[],
    );
  return text;
}
