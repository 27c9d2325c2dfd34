/**
 * The ledger of `coding import`: per document id, the fingerprints of the corpus version and of the
 * version read in this run, and where that came from, in growable typed arrays (a million ids
 * without an object each).
 */
import type { Location } from '../errors.js';
import { type UnitKind, unitKinds } from '../schema/config.js';

/** The first 52 bits of a hex digest, as a number: enough to tell two texts apart (collision odds 2⁻⁵²). */
export function hash52(hex: string): number {
  return Number.parseInt(hex.slice(0, 13), 16);
}

/** What `DocumentLedger.visit` says of a new id (the common case), made once. */
const neitherSeenNorKnown = Object.freeze({ earlier: undefined, old: undefined });

/**
 * Per document id, the fingerprints of the corpus version and of the version read in this run,
 * and where the latter came from, in growable typed arrays.
 */
export class DocumentLedger {
  private readonly index = new Map<string, number>();
  private existingText = new Float64Array(1024);
  private existingMetadata = new Float64Array(1024);
  private existingUnit = new Int8Array(1024).fill(-1);
  private seenText = new Float64Array(1024);
  /** Where a document was read in this run: an index into `files` (−1: not read yet), and the line. */
  private seenFile = new Int32Array(1024).fill(-1);
  private seenLine = new Int32Array(1024);
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private size = 0;

  private slot(id: string): number {
    let slot = this.index.get(id);
    if (slot !== undefined) return slot;
    slot = this.size++;
    this.index.set(id, slot);
    if (slot >= this.existingText.length) {
      const grow = <T extends Float64Array | Int8Array | Int32Array>(array: T, fill: number): T => {
        const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
        bigger.fill(fill);
        bigger.set(array);
        return bigger;
      };
      this.existingText = grow(this.existingText, 0);
      this.existingMetadata = grow(this.existingMetadata, 0);
      this.existingUnit = grow(this.existingUnit, -1);
      this.seenText = grow(this.seenText, 0);
      this.seenFile = grow(this.seenFile, -1);
      this.seenLine = grow(this.seenLine, 0);
    }
    return slot;
  }

  addExisting(id: string, textHash: number, metadataHash: number, unit: UnitKind): void {
    const slot = this.slot(id);
    this.existingText[slot] = textHash;
    this.existingMetadata[slot] = metadataHash;
    this.existingUnit[slot] = unitKinds.indexOf(unit);
  }

  /**
   * Record that `id` was read in this run (unless it was read before), with one lookup: what was
   * read earlier under this id, and the corpus version.
   */
  visit(
    id: string,
    textHash: number,
    location: Location,
  ): {
    earlier: { textHash: number; origin: string } | undefined;
    old: { textHash: number; metadataHash: number; unit: UnitKind } | undefined;
  } {
    const slot = this.slot(id);
    const previousFile = this.seenFile[slot]!;
    if (previousFile >= 0) {
      const line = this.seenLine[slot]!;
      return {
        earlier: {
          textHash: this.seenText[slot]!,
          origin: `${this.files[previousFile]}${line > 0 ? `:${line}` : ''}`,
        },
        old: undefined,
      };
    }
    const file = location.file ?? '';
    let fileIndex = this.fileIndex.get(file);
    if (fileIndex === undefined) {
      fileIndex = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, fileIndex);
    }
    this.seenText[slot] = textHash;
    this.seenFile[slot] = fileIndex;
    this.seenLine[slot] = location.line ?? 0;
    const unit = this.existingUnit[slot]!;
    if (unit === -1) return neitherSeenNorKnown;
    return {
      earlier: undefined,
      old: {
        textHash: this.existingText[slot]!,
        metadataHash: this.existingMetadata[slot]!,
        unit: unitKinds[unit]!,
      },
    };
  }
}
