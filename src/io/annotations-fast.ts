/**
 * The fast path of reading a long annotation file (`unit_id,coder,code`, millions of rows): a
 * well-formed row is read straight from the chunk's text, comparing its unit id, coder and code
 * with the previous row's and with the code list in place, so that a row creates no string and no
 * array; a string is cut only for a unit id, coder or code not met on the previous row. Anything
 * unusual — a memo, spaces around a field, an empty or unknown unit, coder or code, a wrong
 * number of fields — is left to the full row reader (`onRow` of `readCodings`), which reports it.
 */
import type { CodingsBuilder } from '../core/codings.js';
import type { UnitIndex } from '../core/units.js';

export interface LongLineContext {
  delimiter: string;
  /** Number of columns of the header. */
  width: number;
  unitColumn: number;
  codeColumn: number;
  /** −1 when the file has none. */
  coderColumn: number;
  memoColumn: number;
  units: UnitIndex;
  /** The coder of rows of a file without a coder column. */
  coder: string;
  /** Rows of other coders are errors (left to the full reader). */
  onlyCoder: boolean;
  /** The codebook's code ids by index, searched in place while they are few. */
  codeIds: readonly string[];
  /** Any other code id: its index (a code found in the file), or −1 to leave the row to the full reader. */
  codeIndexOf(id: string): number;
  builderOf(coder: string): { builder: CodingsBuilder };
}

/**
 * Whether `text[start..end)` equals `value`, without cutting a string. Compared character by
 * character: `startsWith` with a position costs several times more for ids this short.
 */
function sameText(text: string, start: number, end: number, value: string): boolean {
  if (end - start !== value.length) return false;
  for (let offset = 0; offset < value.length; offset++)
    if (text.charCodeAt(start + offset) !== value.charCodeAt(offset)) return false;
  return true;
}

/** Characters `String.prototype.trim` removes (and the other controls): such a field goes the full way. */
function isSpace(code: number): boolean {
  if (code <= 32 || code === 0xa0 || code === 0x1680 || code === 0xfeff) return true;
  return (
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** A field's length and last character, as one number. */
function candidateKey(text: string, start: number, end: number): number {
  return (end - start) * 65536 + text.charCodeAt(end - 1);
}

/** A copy of `text` as one flat string (a sliced or joined string is slower to read character by character). */
function flatCopy(text: string): string {
  const codes = new Array<number>(text.length);
  for (let index = 0; index < text.length; index++) codes[index] = text.charCodeAt(index);
  return String.fromCharCode(...codes);
}

/** Largest number of code ids compared in place; past it, ids are cut and looked up. */
const inPlaceCodes = 32;
/** Largest number of coders compared in place. */
const inPlaceCoders = 8;

/**
 * A line reader for `scanCsv`'s `onLine`: true when it took the row, false to leave it to the
 * full row reader. The context's columns must be known (call it after the header).
 */
export function longLineReader(
  context: LongLineContext,
): (text: string, start: number, end: number, line: number) => boolean {
  const bounds = new Int32Array(context.width + 1);
  let lastCoder = '';
  let lastBuilder: CodingsBuilder | undefined;
  const { delimiter, width } = context;
  // Ids compared in place, with their indices: the codebook's first, then codes found in the file.
  const knownIds: string[] = [];
  const knownIndices: number[] = [];
  // Which known id a field may be, by its length and last character: one comparison instead of
  // one per id (−1: several ids share the key, compare with each).
  const candidates = new Map<number, number>();
  const know = (id: string, codeIndex: number): void => {
    const key = candidateKey(id, 0, id.length);
    candidates.set(key, candidates.has(key) ? -1 : knownIds.length);
    knownIds.push(flatCopy(id));
    knownIndices.push(codeIndex);
  };
  for (const [index, id] of context.codeIds.slice(0, inPlaceCodes).entries()) know(id, index);
  // Coders met, with their builders, compared in place.
  const knownCoders: string[] = [];
  const knownBuilders: CodingsBuilder[] = [];
  return (text, start, end, line) => {
    // Field bounds: field i is text[bounds[i] .. bounds[i + 1] - 1).
    bounds[0] = start;
    let fields = 1;
    for (let at = text.indexOf(delimiter, start); at >= 0 && at < end; at = text.indexOf(delimiter, at + 1)) {
      if (fields === width) return false;
      bounds[fields++] = at + 1;
    }
    if (fields !== width) return false;
    bounds[width] = end + 1;
    for (let field = 0; field < width; field++) {
      const fieldStart = bounds[field]!;
      const fieldEnd = bounds[field + 1]! - 1;
      if (
        fieldEnd > fieldStart &&
        (isSpace(text.charCodeAt(fieldStart)) || isSpace(text.charCodeAt(fieldEnd - 1)))
      )
        return false;
    }
    if (context.memoColumn >= 0 && bounds[context.memoColumn + 1]! - 1 > bounds[context.memoColumn]!)
      return false;

    // The coder is looked up last, when the row is known to be taken (as the full reader does).
    let coder: string | undefined;
    let builder: CodingsBuilder | undefined;
    if (context.coderColumn >= 0) {
      const coderStart = bounds[context.coderColumn]!;
      const coderEnd = bounds[context.coderColumn + 1]! - 1;
      if (coderEnd === coderStart) return false;
      if (lastBuilder === undefined || !sameText(text, coderStart, coderEnd, lastCoder)) {
        // Rows of a long file alternate between a few coders: compare with those met, in place.
        for (let known = 0; known < knownCoders.length; known++) {
          if (sameText(text, coderStart, coderEnd, knownCoders[known]!)) {
            coder = knownCoders[known]!;
            builder = knownBuilders[known]!;
            break;
          }
        }
        if (coder === undefined) {
          coder = text.slice(coderStart, coderEnd);
          if (context.onlyCoder && coder !== context.coder) return false;
        }
      }
    } else if (lastBuilder === undefined) coder = context.coder;

    const unitStart = bounds[context.unitColumn]!;
    const unitEnd = bounds[context.unitColumn + 1]! - 1;
    if (unitEnd === unitStart) return false;
    // Both kinds of index compare the id with the previous row's in place before cutting a string.
    const unitIndex = context.units.indexOfSlice(text, unitStart, unitEnd);
    if (unitIndex < 0) return false;

    const codeStart = bounds[context.codeColumn]!;
    const codeEnd = bounds[context.codeColumn + 1]! - 1;
    let codeIndex = -1;
    if (codeEnd > codeStart) {
      const candidate = candidates.get(candidateKey(text, codeStart, codeEnd));
      if (candidate === undefined) {
        // Not a known id.
      } else if (candidate >= 0) {
        if (sameText(text, codeStart, codeEnd, knownIds[candidate]!)) codeIndex = knownIndices[candidate]!;
      } else {
        for (let known = 0; known < knownIds.length; known++) {
          if (sameText(text, codeStart, codeEnd, knownIds[known]!)) {
            codeIndex = knownIndices[known]!;
            break;
          }
        }
      }
      if (codeIndex < 0) {
        const id = text.slice(codeStart, codeEnd);
        codeIndex = context.codeIndexOf(id);
        if (codeIndex < 0) return false;
        if (knownIds.length < inPlaceCodes) know(id, codeIndex);
      }
    }
    if (coder !== undefined) {
      lastCoder = coder;
      if (builder === undefined) {
        builder = context.builderOf(coder).builder;
        if (knownCoders.length < inPlaceCoders) {
          knownCoders.push(coder);
          knownBuilders.push(builder);
        }
      }
      lastBuilder = builder;
    }
    lastBuilder!.add(unitIndex, codeIndex, line);
    return true;
  };
}
