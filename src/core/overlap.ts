/**
 * From a REFI-QDA text selection to our coding units: positions in another program's text are
 * mapped into the stored (normalised) text, and a unit carries a code when the selections of a
 * coder with that code cover it under an overlap rule.
 *
 * Positions in a project count "characters" of the source's plain text as that program held it:
 * Unicode code points (QualCoder, the qc tool, this tool) or UTF-16 code units (programs built on
 * .NET, Cocoa or Qt strings may count so); a CRLF line end counts two (the text as stored) or one
 * (ATLAS.ti). The corpus keeps the text normalised — no BOM, LF line ends, NFC — and unit offsets in
 * code points, so every position goes through `PositionMap`.
 */

import { graphemeWindow, segmentInWindows } from './segmenter.js';

export const offsetUnits = ['codepoints', 'utf16'] as const;
export type OffsetUnit = (typeof offsetUnits)[number];

export const crlfCounts = ['two', 'one'] as const;
export type CrlfCount = (typeof crlfCounts)[number];

export const overlapRules = ['any', 'majority', 'full'] as const;
export type OverlapRule = (typeof overlapRules)[number];

/** A half-open range [start, end) in code points of the normalised text. */
export interface Range {
  start: number;
  end: number;
}

export interface PositionMap {
  /** The normalised text: no BOM, LF line ends, NFC (equal to `normaliseText` of the original). */
  text: string;
  /** Length of the original text in the chosen units (the largest valid position). */
  originalLength: number;
  /** False when part of the text had to be mapped as a whole (a normalisation that did not split into pieces). */
  exact: boolean;
  /** The normalised position (code points) of an original position, or undefined when outside the text. */
  toNormalised(position: number): number | undefined;
}

/**
 * A text cut once into pieces that every reading maps the same way, so that choosing a reading
 * and mapping positions never copy or re-normalise the text. A piece is a run of characters each
 * one code point and one UTF-16 code unit that normalisation leaves as they are (merged), a
 * character outside the BMP (one code point, two code units), a line end with CR, or a grapheme
 * cluster that NFC changes. Its lengths are kept in typed arrays: original UTF-16 code units,
 * original code points, code points it became, and whether it is a CRLF.
 */
export interface PositionPieces {
  /** The normalised text (no BOM, LF, NFC). */
  text: string;
  count: number;
  utf16: Int32Array;
  codePoints: Int32Array;
  /** Start of each piece in the normalised text (code points), `count + 1` entries. */
  normalisedStart: Int32Array;
  /** 1: a CRLF (one or two characters by the reading); 2: mapped proportionally (NFC across clusters). */
  kind: Uint8Array;
  /** The text holds a character outside the BMP (the readings in code points and UTF-16 differ). */
  astral: boolean;
  /** The text holds a CRLF (the readings of a CRLF as one or two differ). */
  crlf: boolean;
  exact: boolean;
}

const identityPiece = 0;
const crlfPiece = 1;
const proportionalPiece = 2;

/** Growable columns of pieces (typed arrays, doubled when full). */
class PieceColumns {
  count = 0;
  utf16 = new Int32Array(1024);
  codePoints = new Int32Array(1024);
  normalised = new Int32Array(1024);
  kind = new Uint8Array(1024);

  push(utf16: number, codePoints: number, normalised: number, kind: number): void {
    const last = this.count - 1;
    // Runs that every reading maps one to one merge into one piece.
    if (
      kind === identityPiece &&
      utf16 === codePoints &&
      codePoints === normalised &&
      last >= 0 &&
      this.kind[last] === identityPiece &&
      this.utf16[last] === this.codePoints[last] &&
      this.codePoints[last] === this.normalised[last]
    ) {
      this.utf16[last]! += utf16;
      this.codePoints[last]! += codePoints;
      this.normalised[last]! += normalised;
      return;
    }
    if (this.count === this.kind.length) this.grow();
    this.utf16[this.count] = utf16;
    this.codePoints[this.count] = codePoints;
    this.normalised[this.count] = normalised;
    this.kind[this.count] = kind;
    this.count++;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const copy = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.utf16 = copy(this.utf16, new Int32Array(size));
    this.codePoints = copy(this.codePoints, new Int32Array(size));
    this.normalised = copy(this.normalised, new Int32Array(size));
    this.kind = copy(this.kind, new Uint8Array(size));
  }
}

function codePointLength(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    count++;
  }
  return count;
}

/** A run NFC leaves as it is: only characters outside the BMP count differently (two code units, one code point). */
function addStable(columns: PieceColumns, source: string, start: number, end: number): boolean {
  let from = start;
  let astral = false;
  for (let index = start; index < end; index++) {
    const unit = source.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdbff || index + 1 >= end) continue;
    const next = source.charCodeAt(index + 1);
    if (next < 0xdc00 || next > 0xdfff) continue;
    if (index > from) columns.push(index - from, index - from, index - from, identityPiece);
    columns.push(2, 1, 1, identityPiece);
    astral = true;
    from = index + 2;
    index++;
  }
  if (end > from) columns.push(end - from, end - from, end - from, identityPiece);
  return astral;
}

/**
 * A run that NFC changes, cut into grapheme clusters (NFC composes within a cluster); the
 * normalised run is what NFC makes of the whole run. Should the clusters not add up to it (never
 * seen), the run is one piece mapped proportionally.
 */
function addChanging(columns: PieceColumns, piece: string, segmenter: Intl.Segmenter): string {
  const whole = piece.normalize('NFC');
  const clusters: Array<[number, number, number, string]> = [];
  for (const cluster of segmentInWindows(segmenter, piece, 0, piece.length, graphemeWindow)) {
    const part = piece.slice(cluster.index, cluster.index + cluster.length);
    const normalised = part.normalize('NFC');
    clusters.push([part.length, codePointLength(part), codePointLength(normalised), normalised]);
  }
  if (clusters.map((cluster) => cluster[3]).join('') === whole) {
    for (const [utf16, codePoints, normalised] of clusters)
      columns.push(utf16, codePoints, normalised, identityPiece);
  } else {
    columns.push(piece.length, codePointLength(piece), codePointLength(whole), proportionalPiece);
  }
  return whole;
}

/**
 * Cut `original` (a source's plain text as another program held it) into the pieces every
 * reading maps (see `PositionPieces`), and normalise it on the way. Pieces that normalisation may
 * change are found by one regular expression: a line end with CR, and a run of non-ASCII
 * characters with the ASCII character before it (a letter that a combining accent composes with).
 * An ASCII character is a starter that composes with nothing before it, so NFC never crosses a
 * piece. The normalised text is the original itself when nothing changes (no copy), else its
 * parts joined once. Linear in the text.
 */
export function analysePositions(original: string): PositionPieces {
  const source = original.startsWith('\uFEFF') ? original.slice(1) : original;
  const columns = new PieceColumns();
  const parts: string[] = [];
  let copied = 0;
  let changed = false;
  let astral = false;
  let crlf = false;
  let segmenter: Intl.Segmenter | undefined;
  const changing = /\r\n?|[\x00-\x09\x0B\x0C\x0E-\x7F]?[^\x00-\x7F]+/g;
  let start = 0;
  for (let match = changing.exec(source); match !== null; match = changing.exec(source)) {
    const piece = match[0];
    if (match.index > start)
      columns.push(match.index - start, match.index - start, match.index - start, identityPiece);
    const end = match.index + piece.length;
    start = end;
    if (piece.charCodeAt(0) === 13) {
      crlf ||= piece.length === 2;
      columns.push(piece.length, piece.length, 1, piece.length === 2 ? crlfPiece : identityPiece);
      parts.push(source.slice(copied, match.index), '\n');
      copied = end;
      changed = true;
      continue;
    }
    const normalised = piece.normalize('NFC');
    if (normalised === piece) {
      astral = addStable(columns, source, match.index, end) || astral;
      continue;
    }
    segmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
    const whole = addChanging(columns, piece, segmenter);
    astral ||= /[\uD800-\uDFFF]/.test(piece);
    parts.push(source.slice(copied, match.index), whole);
    copied = end;
    changed = true;
  }
  if (source.length > start)
    columns.push(source.length - start, source.length - start, source.length - start, identityPiece);
  let text = source;
  if (changed) {
    parts.push(source.slice(copied));
    text = parts.join('');
  }
  const normalisedStart = new Int32Array(columns.count + 1);
  let exact = true;
  for (let index = 0; index < columns.count; index++) {
    normalisedStart[index + 1] = normalisedStart[index]! + columns.normalised[index]!;
    if (columns.kind[index] === proportionalPiece) exact = false;
  }
  return {
    text,
    count: columns.count,
    utf16: columns.utf16,
    codePoints: columns.codePoints,
    normalisedStart,
    kind: columns.kind,
    astral,
    crlf,
    exact,
  };
}

/**
 * The position map of analysed pieces under one reading: only the pieces' starts in the original
 * (one Int32Array) are computed; the text is shared. A position inside a piece whose length
 * changed (a CRLF counted as two, "e" + combining accent) maps to the nearest position inside
 * what the piece became, never beyond its end.
 */
export function positionMapOf(
  pieces: PositionPieces,
  options: { offsets: OffsetUnit; crlf: CrlfCount },
): PositionMap {
  const { count, kind, normalisedStart } = pieces;
  const lengths = options.offsets === 'utf16' ? pieces.utf16 : pieces.codePoints;
  const crlfLength = options.crlf === 'one' ? 1 : 2;
  const originalStart = new Int32Array(count + 1);
  for (let index = 0; index < count; index++)
    originalStart[index + 1] =
      originalStart[index]! + (kind[index] === crlfPiece ? crlfLength : lengths[index]!);
  const total = originalStart[count]!;
  const normalisedTotal = normalisedStart[count]!;
  return {
    text: pieces.text,
    originalLength: total,
    exact: pieces.exact,
    toNormalised(position) {
      if (!Number.isInteger(position) || position < 0 || position > total) return undefined;
      if (position === total) return normalisedTotal;
      let low = 0;
      let high = count - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if (originalStart[middle]! <= position) low = middle;
        else high = middle - 1;
      }
      const inside = position - originalStart[low]!;
      const originalLength = originalStart[low + 1]! - originalStart[low]!;
      const normalisedLength = normalisedStart[low + 1]! - normalisedStart[low]!;
      if (originalLength === normalisedLength) return normalisedStart[low]! + inside;
      if (kind[low] === proportionalPiece)
        return normalisedStart[low]! + Math.round((inside * normalisedLength) / originalLength);
      return normalisedStart[low]! + Math.min(inside, normalisedLength);
    },
  };
}

/**
 * Map positions of `original` into the normalised text the corpus stores, under one reading
 * (`analysePositions`, then `positionMapOf`; analyse once when several readings are tried).
 * @example buildPositionMap('a\r\nb', { offsets: 'codepoints', crlf: 'two' }).toNormalised(3) // 2
 */
export function buildPositionMap(
  original: string,
  options: { offsets: OffsetUnit; crlf: CrlfCount },
): PositionMap {
  return positionMapOf(analysePositions(original), options);
}

/** Sort ranges and merge the ones that overlap or touch. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges
    .filter((range) => range.end > range.start)
    .sort((left, right) => left.start - right.start || left.end - right.end);
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * Which units the ranges cover under a rule, as indices into `units`: the ranges are merged first
 * (two selections that together cover a sentence cover it), then a unit counts when
 * - `any`: at least one of its characters is covered;
 * - `majority`: more than half of its characters are;
 * - `full`: all of them are.
 * `units` are sorted by start and do not overlap (the units of one document).
 * @example unitsCovered([{start: 0, end: 6}], [{start: 0, end: 4}, {start: 5, end: 9}], 'majority') // [0]
 */
export function unitsCovered(ranges: readonly Range[], units: readonly Range[], rule: OverlapRule): number[] {
  const merged = mergeRanges(ranges);
  const covered: number[] = [];
  let first = 0;
  for (const [index, unit] of units.entries()) {
    while (first < merged.length && merged[first]!.end <= unit.start) first++;
    let coveredLength = 0;
    for (let position = first; position < merged.length && merged[position]!.start < unit.end; position++) {
      const range = merged[position]!;
      coveredLength += Math.min(range.end, unit.end) - Math.max(range.start, unit.start);
    }
    const length = unit.end - unit.start;
    const counts =
      rule === 'any'
        ? coveredLength >= 1
        : rule === 'majority'
          ? coveredLength * 2 > length
          : coveredLength >= length && length > 0;
    if (counts) covered.push(index);
  }
  return covered;
}
