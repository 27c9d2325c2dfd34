/**
 * `Intl.Segmenter` in linear time, and code point offsets in linear time.
 *
 * Node 20's `Intl.Segmenter` takes time that grows with the square of the string it segments
 * (measured: grapheme clusters of an 80,000-character text took 288 s, of a 40,000-character one
 * 1.8 s). So long texts are segmented in windows: a window of `window` UTF-16 code units is
 * segmented, the boundaries found before its last `margin` code units are kept (a boundary's
 * decision looks only a few characters ahead), and the next window starts at the last kept
 * boundary. A segment longer than a window (a "sentence" of 200 MB without a full stop) is cut at
 * the window's end: that keeps the work linear, and such a segment is no sentence anyway.
 */

export interface WindowedSegment {
  /** UTF-16 offset of the segment in the whole text. */
  index: number;
  /** Length in UTF-16 code units. */
  length: number;
}

export interface WindowOptions {
  /** UTF-16 code units segmented at once. */
  window: number;
  /** Boundaries this close to a window's end are left to the next window. */
  margin: number;
}

/** Grapheme clusters are short: small windows are fastest. */
export const graphemeWindow: WindowOptions = { window: 1024, margin: 128 };
/** Sentences can be long: windows of 16 K code units, boundaries decided 1 K before the end. */
export const sentenceWindow: WindowOptions = { window: 16384, margin: 1024 };

/** Step back from `offset` so as not to split a surrogate pair. */
function pairSafe(text: string, offset: number): number {
  if (offset <= 0 || offset >= text.length) return offset;
  const unit = text.charCodeAt(offset);
  const before = text.charCodeAt(offset - 1);
  return unit >= 0xdc00 && unit <= 0xdfff && before >= 0xd800 && before <= 0xdbff ? offset - 1 : offset;
}

/**
 * The segments of `text[start, end)` by `segmenter`, with offsets in the whole text, computed in
 * windows (see the module comment).
 * @example [...segmentInWindows(new Intl.Segmenter('en', {granularity: 'sentence'}), 'A. B.', 0, 5, sentenceWindow)].length // 2
 */
export function* segmentInWindows(
  segmenter: Intl.Segmenter,
  text: string,
  start: number,
  end: number,
  options: WindowOptions,
): Generator<WindowedSegment> {
  if (end - start <= options.window) {
    // One window (a statement, a paragraph): each segment ends where the next one starts.
    let previous = -1;
    for (const piece of segmenter.segment(
      start === 0 && end === text.length ? text : text.slice(start, end),
    )) {
      const index = start + piece.index;
      if (previous >= 0) yield { index: previous, length: index - previous };
      previous = index;
    }
    if (previous >= 0) yield { index: previous, length: end - previous };
    return;
  }
  let from = start;
  while (from < end) {
    const windowEnd = end - from <= options.window ? end : pairSafe(text, from + options.window);
    const last = windowEnd === end;
    const keepBefore = last ? end : windowEnd - options.margin;
    const found: number[] = [];
    for (const piece of segmenter.segment(text.slice(from, windowEnd))) found.push(from + piece.index);
    found.push(windowEnd);
    // found[i] is where segment i starts; found[i + 1] where it ends.
    let next = from;
    for (let index = 0; index + 1 < found.length; index++) {
      const segmentEnd = found[index + 1]!;
      if (!last && segmentEnd > keepBefore && next > from) break;
      yield { index: found[index]!, length: segmentEnd - found[index]! };
      next = segmentEnd;
      if (!last && segmentEnd > keepBefore) break;
    }
    from = next;
  }
}

/**
 * Code point offsets of a text in constant time per query: the UTF-16 offset of every 64th code
 * point is kept, so converting or slicing walks at most 63 code points.
 */
export class CodePointIndex {
  readonly text: string;
  private readonly checkpoints: Uint32Array | undefined;
  private static readonly step = 64;

  constructor(text: string) {
    this.text = text;
    if (!/[\uD800-\uDFFF]/.test(text)) {
      this.checkpoints = undefined;
      return;
    }
    const checkpoints: number[] = [];
    let codePoints = 0;
    for (let utf16 = 0; utf16 < text.length; codePoints++) {
      if (codePoints % CodePointIndex.step === 0) checkpoints.push(utf16);
      const unit = text.charCodeAt(utf16);
      const next = text.charCodeAt(utf16 + 1);
      utf16 += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    }
    if (codePoints % CodePointIndex.step === 0) checkpoints.push(text.length);
    this.checkpoints = Uint32Array.from(checkpoints);
  }

  /** The UTF-16 offset of a code point offset (clamped to the text). */
  utf16Offset(codePoint: number): number {
    if (this.checkpoints === undefined) return Math.min(Math.max(codePoint, 0), this.text.length);
    if (codePoint <= 0) return 0;
    const block = Math.floor(codePoint / CodePointIndex.step);
    if (block >= this.checkpoints.length) return this.text.length;
    let utf16 = this.checkpoints[block]!;
    for (let left = codePoint - block * CodePointIndex.step; left > 0 && utf16 < this.text.length; left--) {
      const unit = this.text.charCodeAt(utf16);
      const next = this.text.charCodeAt(utf16 + 1);
      utf16 += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    }
    return utf16;
  }

  /** The text of [start, end) in code points. */
  slice(start: number, end: number): string {
    return this.text.slice(this.utf16Offset(start), this.utf16Offset(end));
  }
}
