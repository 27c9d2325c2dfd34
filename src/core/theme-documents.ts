/**
 * The documents of the theme tables, by position, with their metadata in columns: a code per
 * document and field pointing into one list of the distinct values, rather than an object per
 * document. A million statements by a few actors on a few hundred dates took 125 MB as objects;
 * in columns they take the ids and 12 bytes a document.
 */
import type { ThemeDocument } from './themes.js';

/** The metadata fields kept in columns. */
export const documentFields = ['actor', 'source', 'genre', 'date', 'role', 'language'] as const;
export type DocumentField = (typeof documentFields)[number];

const noAttributes: Record<string, string> = Object.freeze({}) as Record<string, string>;

export class ThemeDocuments {
  private readonly ids: string[] = [];
  /** The titles documents were given (most have none). */
  private readonly titles = new Map<number, string>();
  private readonly attributeMaps = new Map<number, Record<string, string>>();
  /** Distinct values; code 0 means "no value". */
  private readonly values: string[] = [''];
  private readonly valueCode = new Map<string, number>();
  private columns: Array<Uint16Array | Int32Array> = documentFields.map(() => new Uint16Array(1024));

  get length(): number {
    return this.ids.length;
  }

  /** Add a document at the next position (its title as stored: undefined when it has none). */
  push(document: Omit<ThemeDocument, 'title'> & { title?: string | undefined }): void {
    const index = this.ids.length;
    if (index === this.columns[0]!.length) this.grow(index * 2, this.values.length > 0xffff);
    this.ids.push(document.id);
    if (document.title !== undefined) this.titles.set(index, document.title);
    if (Object.keys(document.attributes).length > 0) this.attributeMaps.set(index, document.attributes);
    for (const [column, field] of documentFields.entries()) {
      this.columns[column]![index] = this.code(document[field]);
    }
  }

  /** The id of the document at a position. */
  id(index: number): string {
    return this.ids[index]!;
  }

  /** The title the document at a position was given; undefined when it has none. */
  title(index: number): string | undefined {
    return this.titles.get(index);
  }

  /** One field of the document at a position; undefined when it has none. */
  value(index: number, field: DocumentField): string | undefined {
    const code = this.columns[documentFields.indexOf(field)]![index]!;
    return code === 0 ? undefined : this.values[code];
  }

  attributes(index: number): Record<string, string> {
    return this.attributeMaps.get(index) ?? noAttributes;
  }

  /** The document at a position, made on demand. */
  at(index: number): ThemeDocument {
    const id = this.ids[index]!;
    const document: ThemeDocument = {
      id,
      title: this.titles.get(index) ?? id,
      attributes: this.attributes(index),
    };
    for (const field of documentFields) document[field] = this.value(index, field);
    return document;
  }

  private code(value: string | undefined): number {
    if (value === undefined) return 0;
    let code = this.valueCode.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.valueCode.set(value, code);
      // Codes beyond 16 bits: widen every column once.
      if (code === 0x10000) this.grow(this.columns[0]!.length, true);
    }
    return code;
  }

  private grow(length: number, wide: boolean): void {
    this.columns = this.columns.map((column) => {
      const bigger = wide ? new Int32Array(length) : new Uint16Array(length);
      bigger.set(column.subarray(0, Math.min(column.length, length)));
      return bigger;
    });
  }
}
