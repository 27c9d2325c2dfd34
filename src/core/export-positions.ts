/**
 * Positions written into an exported REFI-QDA project, counted the way the program that will read
 * it counts: code points or UTF-16 code units, and, when the text is written with CRLF line ends,
 * a CRLF as one character (ATLAS.ti) or two (NVivo). The corpus stores texts with LF line ends and
 * offsets in code points; this maps a stored offset to the exported one.
 */
import { sha256 } from './hash.js';
import type { CrlfCount, OffsetUnit } from './overlap.js';

/** Which selections an export writes: the imported ones as they were (and units for codes made here), or units only. */
export const selectionModes = ['original', 'units'] as const;
export type SelectionMode = (typeof selectionModes)[number];

export const lineEndKinds = ['lf', 'crlf'] as const;
export type LineEnds = (typeof lineEndKinds)[number];

export interface ExportReading {
  offsets: OffsetUnit;
  crlf: CrlfCount;
  /** Line ends of the exported text: as stored (LF) or CRLF. */
  lineEnds: LineEnds;
}

/** The line ends a text holds: only CRLF, only LF, only CR, several kinds, or none. */
export function lineEndsOf(text: string): 'crlf' | 'lf' | 'cr' | 'mixed' | 'none' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const kinds = [crlf > 0, cr > 0, lf > 0].filter(Boolean).length;
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return crlf > 0 ? 'crlf' : cr > 0 ? 'cr' : 'lf';
}

/** What an export needs to know of a source's original text: its hash (without a BOM), BOM, line ends. */
export function originalTextFacts(original: string): {
  original: string;
  bom: boolean;
  lineEnds: 'crlf' | 'lf' | 'cr' | 'mixed' | 'none';
} {
  const bom = original.startsWith('\uFEFF');
  const text = bom ? original.slice(1) : original;
  return { original: sha256(text), bom, lineEnds: lineEndsOf(text) };
}

/** The stored text (LF) as exported: LF, or every LF written as CRLF. */
export function exportedText(text: string, lineEnds: LineEnds): string {
  return lineEnds === 'crlf' ? text.replace(/\n/g, '\r\n') : text;
}

function countBefore(sorted: Int32Array, length: number, value: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The exported position of each code point offset of the stored text `text` (LF line ends), under
 * `reading`. Linear to prepare, logarithmic per position.
 * @example exportPosition('a😀\nb', { offsets: 'utf16', crlf: 'two', lineEnds: 'crlf' })(3) // 5
 */
export function exportPosition(text: string, reading: ExportReading): (codePoint: number) => number {
  const countUtf16 = reading.offsets === 'utf16';
  const countCr = reading.lineEnds === 'crlf' && reading.crlf === 'two';
  if (!countUtf16 && !countCr) return (offset) => offset;
  // Two passes: count, then record the code point offsets (memory: the count, not the text's length).
  const scan = (record: (kind: 'astral' | 'lf', codePoint: number) => void): void => {
    let codePoint = 0;
    for (let index = 0; index < text.length; index++, codePoint++) {
      const unit = text.charCodeAt(index);
      if (unit === 10) record('lf', codePoint);
      else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
        const next = text.charCodeAt(index + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          record('astral', codePoint);
          index++;
        }
      }
    }
  };
  let astralCount = 0;
  let lineFeedCount = 0;
  scan((kind) => {
    if (kind === 'astral') astralCount++;
    else lineFeedCount++;
  });
  const astral = new Int32Array(countUtf16 ? astralCount : 0);
  const lineFeeds = new Int32Array(countCr ? lineFeedCount : 0);
  astralCount = 0;
  lineFeedCount = 0;
  scan((kind, codePoint) => {
    if (kind === 'astral' && countUtf16) astral[astralCount++] = codePoint;
    else if (kind === 'lf' && countCr) lineFeeds[lineFeedCount++] = codePoint;
  });
  return (offset) =>
    offset +
    (countUtf16 ? countBefore(astral, astralCount, offset) : 0) +
    (countCr ? countBefore(lineFeeds, lineFeedCount, offset) : 0);
}

/** Whether two readings count the same text the same way (so original positions can be written as they were). */
export function sameCounting(left: { offsets: OffsetUnit; crlf: CrlfCount }, right: ExportReading): boolean {
  return left.offsets === right.offsets && left.crlf === right.crlf;
}
