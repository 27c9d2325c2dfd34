/** Unit ids ↔ dense indices, so codings can be counted in typed arrays. */

export interface UnitIndex {
  readonly size: number;
  /** The index of a unit id, or −1 when it is not known (a growing index adds it instead). */
  indexOf(id: string): number;
  idAt(index: number): string;
}

/**
 * A V8 substring can keep the whole chunk it was cut from alive; a key stored for the life of
 * the table is copied once so that it holds only its own characters.
 */
export function ownString(text: string): string {
  return text.length > 12 ? ` ${text}`.slice(1) : text;
}

/** The units of a corpus, in corpus order: ids not in it are unknown. */
export class FixedUnitIndex implements UnitIndex {
  private readonly byId: Map<string, number>;

  constructor(private readonly ids: readonly string[]) {
    this.byId = new Map(ids.map((id, index) => [id, index]));
  }

  get size(): number {
    return this.ids.length;
  }

  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  idAt(index: number): string {
    return this.ids[index]!;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }
}

/**
 * Units as they are met in files outside a workspace: each new id gets the next index. While the
 * ids arrive in ascending order (a file sorted by unit, read once), a new id is simply one greater
 * than the last and needs no hash table; the table is built the first time an id is met that is
 * not greater than the last, and used from then on.
 */
export class GrowingUnitIndex implements UnitIndex {
  private byId: Map<string, number> | undefined;
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  indexOf(id: string): number {
    const ids = this.ids;
    if (this.byId === undefined) {
      if (ids.length === 0 || id > ids[ids.length - 1]!) {
        ids.push(ownString(id));
        return ids.length - 1;
      }
      this.byId = new Map(ids.map((known, index) => [known, index]));
    }
    let index = this.byId.get(id);
    if (index === undefined) {
      const own = ownString(id);
      index = ids.length;
      ids.push(own);
      this.byId.set(own, index);
    }
    return index;
  }

  idAt(index: number): string {
    return this.ids[index]!;
  }
}
