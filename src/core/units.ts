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

/** Units as they are met in files outside a workspace: each new id gets the next index. */
export class GrowingUnitIndex implements UnitIndex {
  private readonly byId = new Map<string, number>();
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  indexOf(id: string): number {
    let index = this.byId.get(id);
    if (index === undefined) {
      const own = ownString(id);
      index = this.ids.length;
      this.ids.push(own);
      this.byId.set(own, index);
    }
    return index;
  }

  idAt(index: number): string {
    return this.ids[index]!;
  }
}
