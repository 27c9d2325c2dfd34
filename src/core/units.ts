/** Unit ids ↔ dense indices, so codings can be counted in typed arrays. */

export interface UnitIndex {
  readonly size: number;
  /** The index of a unit id, or −1 when it is not known (a growing index adds it instead). */
  indexOf(id: string): number;
  /** `indexOf(text.slice(start, end))`; an index may avoid cutting the string. */
  indexOfSlice(text: string, start: number, end: number): number;
  idAt(index: number): string;
}

/**
 * A V8 substring can keep the whole chunk it was cut from alive; a key stored for the life of
 * the table is copied once so that it holds only its own characters.
 */
export function ownString(text: string): string {
  return text.length > 12 ? ` ${text}`.slice(1) : text;
}

/**
 * The units of a corpus, in corpus order: ids not in it are unknown. Files the tool writes list
 * units in corpus order, so a lookup first tries the unit of the previous lookup and the one after
 * it, in place; the hash table is built the first time that guess misses.
 */
export class FixedUnitIndex implements UnitIndex {
  private byId: Map<string, number> | undefined;
  /** The index the previous `indexOfSlice` found, or −1. */
  private cursor = -1;

  constructor(private readonly ids: readonly string[]) {}

  get size(): number {
    return this.ids.length;
  }

  indexOf(id: string): number {
    return this.table().get(id) ?? -1;
  }

  indexOfSlice(text: string, start: number, end: number): number {
    const ids = this.ids;
    for (let guess = Math.max(this.cursor, 0); guess <= this.cursor + 1 && guess < ids.length; guess++) {
      const id = ids[guess]!;
      if (end - start === id.length && text.startsWith(id, start)) {
        this.cursor = guess;
        return guess;
      }
    }
    const index = this.indexOf(text.slice(start, end));
    if (index >= 0) this.cursor = index;
    return index;
  }

  idAt(index: number): string {
    return this.ids[index]!;
  }

  has(id: string): boolean {
    return this.table().has(id);
  }

  private table(): Map<string, number> {
    this.byId ??= new Map(this.ids.map((id, index) => [id, index]));
    return this.byId;
  }
}

/**
 * Units as they are met in files outside a workspace: each new id gets the next index. While the
 * ids arrive in ascending order (a file sorted by unit, read once), a new id is simply one greater
 * than the last and needs no hash table; its characters are appended to one pool instead of
 * becoming a string of their own (a million small strings cost more to make and to collect than
 * the rest of the reading). The first id that is not greater than the last turns the pool into
 * strings and a hash table, used from then on.
 */
export class GrowingUnitIndex implements UnitIndex {
  private byId: Map<string, number> | undefined;
  /** The ids as strings, once the table exists. */
  private ids: string[] = [];
  /**
   * While ascending: the ids' characters, one after the other, and where each starts; one byte a
   * character while every character is below U+0100, two from the first one that is not.
   */
  private pool: Uint8Array | Uint16Array = new Uint8Array(1 << 12);
  private poolLength = 0;
  private starts = new Int32Array(1 << 10);
  private count = 0;
  /** Once the table exists: the index the previous call returned. */
  private lastIndex = -1;

  get size(): number {
    return this.count;
  }

  indexOf(id: string): number {
    return this.indexOfSlice(id, 0, id.length);
  }

  /** `indexOf(text.slice(start, end))`, without cutting the string while the ids ascend. */
  indexOfSlice(text: string, start: number, end: number): number {
    if (this.byId === undefined) {
      const order = this.count === 0 ? 1 : this.compareWithLast(text, start, end);
      if (order > 0) return this.append(text, start, end);
      if (order === 0) return this.count - 1;
      this.buildTable();
    }
    // Rows of one unit come together: the unit of the previous call needs no lookup.
    if (this.lastIndex >= 0) {
      const last = this.ids[this.lastIndex]!;
      if (end - start === last.length && text.startsWith(last, start)) return this.lastIndex;
    }
    const id = text.slice(start, end);
    let index = this.byId!.get(id);
    if (index === undefined) {
      const own = ownString(id);
      index = this.count++;
      this.ids.push(own);
      this.byId!.set(own, index);
    }
    this.lastIndex = index;
    return index;
  }

  idAt(index: number): string {
    if (this.byId !== undefined) return this.ids[index]!;
    const from = this.starts[index]!;
    const to = index + 1 < this.count ? this.starts[index + 1]! : this.poolLength;
    return poolString(this.pool, from, to);
  }

  /** Sign of text[start..end) compared with the last id, as `<` and `>` compare strings. */
  private compareWithLast(text: string, start: number, end: number): number {
    const pool = this.pool;
    const from = this.starts[this.count - 1]!;
    const lastLength = this.poolLength - from;
    const length = end - start;
    const shorter = Math.min(length, lastLength);
    for (let offset = 0; offset < shorter; offset++) {
      const difference = text.charCodeAt(start + offset) - pool[from + offset]!;
      if (difference !== 0) return difference;
    }
    return length - lastLength;
  }

  private append(text: string, start: number, end: number): number {
    const length = end - start;
    let wide = this.pool instanceof Uint16Array;
    if (!wide)
      for (let offset = 0; offset < length; offset++)
        if (text.charCodeAt(start + offset) > 0xff) {
          wide = true;
          break;
        }
    if (this.poolLength + length > this.pool.length || wide !== this.pool instanceof Uint16Array) {
      const size = Math.max(
        this.pool.length * (this.poolLength + length > this.pool.length ? 2 : 1),
        this.poolLength + length,
      );
      const pool = wide ? new Uint16Array(size) : new Uint8Array(size);
      pool.set(this.pool.subarray(0, this.poolLength));
      this.pool = pool;
    }
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[this.count] = this.poolLength;
    for (let offset = 0; offset < length; offset++)
      this.pool[this.poolLength++] = text.charCodeAt(start + offset);
    return this.count++;
  }

  private buildTable(): void {
    const ids = new Array<string>(this.count);
    const byId = new Map<string, number>();
    for (let index = 0; index < this.count; index++) {
      const id = this.idAt(index);
      ids[index] = id;
      byId.set(id, index);
    }
    this.ids = ids;
    this.byId = byId;
    this.pool = new Uint8Array(0);
    this.starts = new Int32Array(0);
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
