/**
 * Segmentation of a document's text into coding units: the whole document, paragraphs (blocks
 * separated by a blank line), lines, or sentences (Unicode sentence boundaries from
 * `Intl.Segmenter`, then joined again after known abbreviations such as "U.S." or "Mr.").
 *
 * Offsets are in Unicode code points (not UTF-16 code units), so that `text[start:end]` in Python
 * and `substr()` in R give the same unit. Every unit is trimmed of surrounding white space;
 * empty units are dropped.
 */
import type { UnitKind } from '../schema/config.js';
import { builtInAbbreviations, primaryLanguage } from './abbreviations.js';
import { CodePointIndex, segmentInWindows, sentenceWindow } from './segmenter.js';

export interface Span {
  /** Offset of the first character, in code points. */
  start: number;
  /** Offset after the last character, in code points. */
  end: number;
}

/**
 * The built-in English list (also used for languages without a list of their own); see
 * `builtInAbbreviations` in abbreviations.ts for the Spanish, French and Portuguese ones.
 */
export const defaultAbbreviations: readonly string[] = [...builtInAbbreviations('en')];

export interface SegmentOptions {
  /** BCP 47 tag: chooses the abbreviation list (and the segmenter's locale). Absent or "auto": English. */
  language?: string | undefined;
  /** Replaces the built-in list of every language when given (coding.yaml's `segmentation.abbreviations`). */
  abbreviations?: readonly string[] | undefined;
}

const whitespace = /\s/u;

/** Trim a UTF-16 range [start, end) of `text` of white space; undefined when nothing is left. */
function trimRange(text: string, start: number, end: number): [number, number] | undefined {
  let from = start;
  let to = end;
  while (from < to && whitespace.test(text[from]!)) from++;
  while (to > from && whitespace.test(text[to - 1]!)) to--;
  return from < to ? [from, to] : undefined;
}

/** UTF-16 ranges of blocks separated by lines that are blank (or only white space). */
function paragraphRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const separator = /\n[ \t\f\v\u00a0]*\n\s*/g;
  let start = 0;
  for (let match = separator.exec(text); match !== null; match = separator.exec(text)) {
    ranges.push([start, match.index]);
    start = match.index + match[0].length;
  }
  ranges.push([start, text.length]);
  return ranges;
}

function lineRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', start)) {
    ranges.push([start, index]);
    start = index + 1;
  }
  ranges.push([start, text.length]);
  return ranges;
}

/** Abbreviations are short: the last word is looked for in this many code units at most. */
const abbreviationTail = 256;

function endsWithAbbreviation(segment: string, abbreviations: ReadonlySet<string>): boolean {
  const trimmed = segment.trimEnd();
  const lastSpace = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\n'), trimmed.lastIndexOf('('));
  const lastWord = trimmed.slice(lastSpace + 1);
  if (abbreviations.has(lastWord)) return true;
  // A single capital initial such as "J." in "J. Smith" (one or two code units and the point).
  return lastWord.length <= 3 && /^\p{Lu}\.$/u.test(lastWord);
}

/** A question or exclamation opened with "¿" or "¡" is not cut before its closing mark, up to this length. */
const openMarkReach = 2000;

/** Counts of the Spanish opening marks and the closing ones in a pending sentence. */
class MarkBalance {
  question = 0;
  exclamation = 0;
  add(piece: string): void {
    for (const character of piece) {
      if (character === '¿') this.question++;
      else if (character === '?') this.question = Math.max(0, this.question - 1);
      else if (character === '¡') this.exclamation++;
      else if (character === '!') this.exclamation = Math.max(0, this.exclamation - 1);
    }
  }
  get open(): boolean {
    return this.question > 0 || this.exclamation > 0;
  }
  reset(): void {
    this.question = 0;
    this.exclamation = 0;
  }
}

/** The ASCII characters the pattern of `continuesInLowerCase` can end with: ? ! " ' ) ] }. */
const asciiCloserOrMark = new Set([0x3f, 0x21, 0x22, 0x27, 0x29, 0x5d, 0x7d]);

/**
 * Whether a sentence that ends in "?" or "!" (perhaps with closing quotes or brackets) goes on in
 * lower case after it, as in "¿Habrá aranceles? preguntó un reportero": then it is one sentence.
 */
function continuesInLowerCase(text: string, wordEnd: number, next: number, end: number): boolean {
  // Most sentences end in "." or a letter: an ASCII character that is neither "?", "!" nor a
  // closing quote or bracket cannot end the pattern below.
  const last = text.charCodeAt(wordEnd - 1);
  if (last < 0x80 && !asciiCloserOrMark.has(last)) return false;
  if (!/[?!][\p{Pf}\p{Pe}"'»”’]*$/u.test(text.slice(Math.max(0, wordEnd - 8), wordEnd))) return false;
  const after = text.slice(next, Math.min(end, next + 8)).match(/^\s*(\S)/u);
  return after !== null && /\p{Ll}/u.test(after[1]!);
}

/**
 * Whether "¿" or "¡" occurs in `text[start, end)`. Looks at that range only: `indexOf` would search
 * on to the end of the text, once per block — quadratic in a long text of many paragraphs.
 */
function holdsOpeningMark(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 0xbf || code === 0xa1) return true;
  }
  return false;
}

/**
 * Sentences of `text[start, end)`, joined again after abbreviations, inside an open "¿…?" or
 * "¡…!", and before a lower-case continuation after "?" or "!". Linear in the block: the segmenter
 * works in windows, and only the tail of a pending sentence is looked at.
 */
function sentenceRanges(
  text: string,
  start: number,
  end: number,
  segmenter: Intl.Segmenter,
  abbreviations: ReadonlySet<string>,
): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let pendingStart = -1;
  const marks = new MarkBalance();
  // Without an opening "¿" or "¡" in the block, no mark is ever open: the counting is skipped.
  const opening = holdsOpeningMark(text, start, end);
  for (const piece of segmentInWindows(segmenter, text, start, end, sentenceWindow)) {
    if (pendingStart < 0) pendingStart = piece.index;
    const pieceEnd = piece.index + piece.length;
    if (opening) marks.add(text.slice(piece.index, pieceEnd));
    let wordEnd = pieceEnd;
    while (wordEnd > pendingStart && whitespace.test(text[wordEnd - 1]!)) wordEnd--;
    const tail = text.slice(Math.max(pendingStart, wordEnd - abbreviationTail), wordEnd);
    const join =
      pieceEnd < end &&
      (endsWithAbbreviation(tail, abbreviations) ||
        (marks.open && pieceEnd - pendingStart < openMarkReach) ||
        continuesInLowerCase(text, wordEnd, pieceEnd, end));
    if (!join) {
      ranges.push([pendingStart, pieceEnd]);
      pendingStart = -1;
      marks.reset();
    }
  }
  if (pendingStart >= 0) ranges.push([pendingStart, end]);
  return ranges;
}

/**
 * A segmenter for a language tag; an unknown or malformed tag falls back to English. Made once per
 * tag and kept (a segmenter holds no state between texts): making one cost more than segmenting a
 * statement of a few sentences.
 */
function sentenceSegmenter(language: string | undefined): Intl.Segmenter {
  const key = language ?? '';
  let segmenter = segmenters.get(key);
  if (segmenter !== undefined) return segmenter;
  const primary = primaryLanguage(language);
  try {
    segmenter = new Intl.Segmenter(primary === undefined ? 'en' : language, { granularity: 'sentence' });
  } catch {
    segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  }
  if (segmenters.size < 64) segmenters.set(key, segmenter);
  return segmenter;
}

const segmenters = new Map<string, Intl.Segmenter>();

/** The set of a given list, made once per list (the import passes the same list for every document). */
function abbreviationSet(list: readonly string[]): ReadonlySet<string> {
  let set = abbreviationSets.get(list);
  if (set === undefined) {
    set = new Set(list);
    abbreviationSets.set(list, set);
  }
  return set;
}

const abbreviationSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Convert sorted UTF-16 offsets into code point offsets in one pass over the text. */
function toCodePointSpans(text: string, ranges: Array<[number, number]>): Span[] {
  if (!/[\uD800-\uDFFF]/.test(text)) return ranges.map(([start, end]) => ({ start, end }));
  const spans: Span[] = [];
  let utf16 = 0;
  let codePoints = 0;
  const advanceTo = (target: number): number => {
    while (utf16 < target) {
      const unit = text.charCodeAt(utf16);
      utf16 += unit >= 0xd800 && unit <= 0xdbff && utf16 + 1 < text.length ? 2 : 1;
      codePoints++;
    }
    return codePoints;
  };
  for (const [start, end] of ranges) {
    const startPoint = advanceTo(start);
    spans.push({ start: startPoint, end: advanceTo(end) });
  }
  return spans;
}

/**
 * Cut `text` into coding units of the given kind.
 * @example segment('One. Two.\n\nThree', 'sentence') // [{start:0,end:4},{start:5,end:9},{start:11,end:16}]
 */
export function segment(text: string, kind: UnitKind, options: SegmentOptions = {}): Span[] {
  let ranges: Array<[number, number]>;
  switch (kind) {
    case 'document':
      ranges = [[0, text.length]];
      break;
    case 'paragraph':
      ranges = paragraphRanges(text);
      break;
    case 'line':
      ranges = lineRanges(text);
      break;
    case 'sentence': {
      const segmenter = sentenceSegmenter(options.language);
      const abbreviations = options.abbreviations
        ? abbreviationSet(options.abbreviations)
        : builtInAbbreviations(options.language);
      ranges = [];
      for (const [start, end] of paragraphRanges(text)) {
        ranges.push(...sentenceRanges(text, start, end, segmenter, abbreviations));
      }
      break;
    }
  }
  const trimmed: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const range = trimRange(text, start, end);
    if (range) trimmed.push(range);
  }
  return toCodePointSpans(text, trimmed);
}

/** The text of a span given in code points. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  if (lastIndex?.text === text) return lastIndex.slice(start, end);
  if (!/[\uD800-\uDFFF]/.test(text)) return text.slice(start, end);
  // Callers slice the units of one document after another: the index of the last text is kept,
  // so that slicing every unit of a text stays linear.
  lastIndex = new CodePointIndex(text);
  return lastIndex.slice(start, end);
}

let lastIndex: CodePointIndex | undefined;
