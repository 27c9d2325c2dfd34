/** Unit ids ↔ dense indices, so codings can be counted in typed arrays. */
import { UnitIdPool } from './unit-id-pool.js';

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
 * The units of a corpus, in corpus order: ids not in it are unknown. The ids are characters in one
 * pool (`UnitIdPool`), made into a string by each `idAt`. Files the tool
 * writes list units in corpus order, so a lookup first tries, in place, the unit of the previous
 * lookup, the one after it, and the first unit (where the next file starts); the hash table is
 * made the first time those guesses miss.
 */
export class FixedUnitIndex implements UnitIndex {
  private readonly pool: UnitIdPool;
  /** The ids as given, when they were given as strings (kept: they exist already). */
  private readonly ids: string[] | undefined;
  /** The index the previous `indexOfSlice` found, or −1. */
  private cursor = -1;

  /** From the corpus's ids (each once), as strings or already in a pool. */
  constructor(ids: readonly string[] | UnitIdPool) {
    if (ids instanceof UnitIdPool) this.pool = ids;
    else {
      this.pool = new UnitIdPool();
      for (const id of ids) this.pool.add(id, 0, id.length);
      this.ids = [...ids];
    }
  }

  get size(): number {
    return this.pool.size;
  }

  indexOf(id: string): number {
    return this.pool.find(id, 0, id.length);
  }

  indexOfSlice(text: string, start: number, end: number): number {
    const pool = this.pool;
    const cursor = this.cursor;
    if (cursor >= 0 && pool.equals(cursor, text, start, end)) return cursor;
    if (cursor + 1 < pool.size && pool.equals(cursor + 1, text, start, end)) {
      this.cursor = cursor + 1;
      return cursor + 1;
    }
    const index = cursor > 0 && pool.equals(0, text, start, end) ? 0 : pool.find(text, start, end);
    if (index >= 0) this.cursor = index;
    return index;
  }

  idAt(index: number): string {
    // A string made for each call rather than a million kept: the report, which asks for the ids of
    // the units it shows, peaked 80 MB higher holding every id of a 1M-unit corpus.
    return this.ids === undefined ? this.pool.idAt(index) : this.ids[index]!;
  }

  has(id: string): boolean {
    return this.indexOf(id) >= 0;
  }
}

/**
 * Units as they are met in files outside a workspace: each new id gets the next index. While the
 * ids arrive in ascending order (a file sorted by unit, read once), a new id is simply one greater
 * than the last and needs no lookup; from the first id that is not greater than the last, ids are
 * looked up in the pool's hash table. Either way the ids stay characters in one pool
 * (`UnitIdPool`), never a million strings and a Map.
 */
export class GrowingUnitIndex implements UnitIndex {
  private readonly ids = new UnitIdPool();
  private ascending = true;
  /** The index the previous call returned, or −1. */
  private lastIndex = -1;

  get size(): number {
    return this.ids.size;
  }

  indexOf(id: string): number {
    return this.indexOfSlice(id, 0, id.length);
  }

  /** `indexOf(text.slice(start, end))`, without cutting the string. */
  indexOfSlice(text: string, start: number, end: number): number {
    const ids = this.ids;
    const last = this.lastIndex;
    if (this.ascending) {
      const order = last < 0 ? 1 : ids.compare(last, text, start, end);
      if (order > 0) {
        this.lastIndex = ids.add(text, start, end);
        return this.lastIndex;
      }
      if (order === 0) return last;
      this.ascending = false;
    } else if (ids.equals(last, text, start, end)) {
      // Rows of one unit come together: the unit of the previous call needs no lookup.
      return last;
    }
    let index = ids.find(text, start, end);
    if (index < 0) index = ids.add(text, start, end);
    this.lastIndex = index;
    return index;
  }

  idAt(index: number): string {
    return this.ids.idAt(index);
  }
}
