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

/**
 * One piece of the original text and what it became: pieces whose length did not change are
 * merged into runs that map position for position.
 */
interface Piece {
  originalStart: number;
  originalLength: number;
  normalisedStart: number;
  normalisedLength: number;
}

export interface PositionMap {
  /** The normalised text: no BOM, LF line ends, NFC (equal to `normaliseText` of the original). */
  text: string;
  /** Length of the original text in the chosen units (the largest valid position). */
  originalLength: number;
  /** False when the text had to be mapped as a whole (a normalisation that did not split into pieces). */
  exact: boolean;
  /** The normalised position (code points) of an original position, or undefined when outside the text. */
  toNormalised(position: number): number | undefined;
}

const asciiWithoutReturn = /^[\x00-\x0C\x0E-\x7F]*$/;

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

function normalisePiece(piece: string): string {
  if (piece === '\r\n' || piece === '\r') return '\n';
  const lines = piece.includes('\r') ? piece.replace(/\r\n?/g, '\n') : piece;
  return lines.normalize('NFC');
}

/**
 * Map positions of `original` (a source's plain text as the other program held it) into the
 * normalised text the corpus stores.
 *
 * The text is cut into pieces that normalise on their own: runs of ASCII, line ends with CR, and
 * runs of other characters with the ASCII letter before them. A run that NFC leaves unchanged maps
 * character by character (a character outside the BMP is two UTF-16 code units but one code
 * point); one that NFC changes is cut further into extended grapheme clusters (NFC composes only
 * within a cluster). A position inside a piece whose length changed (CRLF counted as two, "e" +
 * combining accent) maps to the nearest position inside what the piece became, never beyond its
 * end. Linear in the text.
 * @example buildPositionMap('a\r\nb', { offsets: 'codepoints', crlf: 'two' }).toNormalised(3) // 2
 */
export function buildPositionMap(
  original: string,
  options: { offsets: OffsetUnit; crlf: CrlfCount },
): PositionMap {
  const source = original.startsWith('\uFEFF') ? original.slice(1) : original;
  const measure = options.offsets === 'utf16' ? (text: string) => text.length : codePointLength;
  if (asciiWithoutReturn.test(source)) {
    // Plain ASCII without CR: every unit is one code point and nothing changes.
    const length = source.length;
    return {
      text: source,
      originalLength: length,
      exact: true,
      toNormalised: (position) =>
        Number.isInteger(position) && position >= 0 && position <= length ? position : undefined,
    };
  }
  const pieces: Piece[] = [];
  const parts: string[] = [];
  let originalPosition = 0;
  let normalisedPosition = 0;
  const add = (piece: string): void => {
    const normalised = normalisePiece(piece);
    parts.push(normalised);
    const originalLength = piece === '\r\n' && options.crlf === 'one' ? 1 : measure(piece);
    const normalisedLength = codePointLength(normalised);
    const last = pieces.at(-1);
    if (
      originalLength === normalisedLength &&
      last !== undefined &&
      last.originalLength === last.normalisedLength
    ) {
      last.originalLength += originalLength;
      last.normalisedLength += normalisedLength;
    } else {
      pieces.push({
        originalStart: originalPosition,
        originalLength,
        normalisedStart: normalisedPosition,
        normalisedLength,
      });
    }
    originalPosition += originalLength;
    normalisedPosition += normalisedLength;
  };
  // A piece NFC leaves as it is: only characters outside the BMP can count differently.
  const addStable = (piece: string): void => {
    let from = 0;
    for (let index = 0; index < piece.length; index++) {
      const unit = piece.charCodeAt(index);
      if (unit < 0xd800 || unit > 0xdbff || index + 1 >= piece.length) continue;
      const next = piece.charCodeAt(index + 1);
      if (next < 0xdc00 || next > 0xdfff) continue;
      if (index > from) add(piece.slice(from, index));
      add(piece.slice(index, index + 2));
      from = index + 2;
      index++;
    }
    if (from < piece.length) add(piece.slice(from));
  };
  let segmenter: Intl.Segmenter | undefined;
  const graphemes = (): Intl.Segmenter => {
    segmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
    return segmenter;
  };
  // Pieces that normalisation may change: a line end with CR, and a run of non-ASCII characters
  // with the ASCII character before it (a letter that a combining accent composes with). An ASCII
  // character is a starter that composes with nothing before it, so NFC never crosses a piece.
  const changing = /\r\n?|[\x00-\x09\x0B\x0C\x0E-\x7F]?[^\x00-\x7F]+/g;
  let start = 0;
  for (let match = changing.exec(source); match !== null; match = changing.exec(source)) {
    if (match.index > start) add(source.slice(start, match.index));
    const piece = match[0];
    if (piece[0] === '\r') add(piece);
    else if (piece.normalize('NFC') === piece) addStable(piece);
    else
      for (const cluster of segmentInWindows(graphemes(), piece, 0, piece.length, graphemeWindow))
        add(piece.slice(cluster.index, cluster.index + cluster.length));
    start = match.index + piece.length;
  }
  if (start < source.length) add(source.slice(start));
  let text = parts.join('');
  let exact = true;
  const expected = normaliseWhole(source);
  if (text !== expected) {
    // Never seen: NFC across a cluster boundary. Map the text as one piece, proportionally.
    text = expected;
    exact = false;
    pieces.length = 0;
    pieces.push({
      originalStart: 0,
      originalLength: originalPosition,
      normalisedStart: 0,
      normalisedLength: codePointLength(expected),
    });
  }
  const total = originalPosition;
  const normalisedTotal = exact ? normalisedPosition : pieces[0]!.normalisedLength;
  return {
    text,
    originalLength: total,
    exact,
    toNormalised(position) {
      if (!Number.isInteger(position) || position < 0 || position > total) return undefined;
      if (position === total) return normalisedTotal;
      let low = 0;
      let high = pieces.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if (pieces[middle]!.originalStart <= position) low = middle;
        else high = middle - 1;
      }
      const piece = pieces[low]!;
      const inside = position - piece.originalStart;
      if (piece.originalLength === piece.normalisedLength) return piece.normalisedStart + inside;
      if (!exact)
        return piece.normalisedStart + Math.round((inside * piece.normalisedLength) / piece.originalLength);
      return piece.normalisedStart + Math.min(inside, piece.normalisedLength);
    },
  };
}

/** The corpus normalisation (see `normaliseText` in io/text.ts), without the BOM, which is gone already. */
function normaliseWhole(text: string): string {
  const lines = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return /^[\x00-\x7F]*$/.test(lines) ? lines : lines.normalize('NFC');
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
