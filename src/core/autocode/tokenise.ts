/**
 * Words of a unit for the supervised model: `Intl.Segmenter` word segmentation in the unit's
 * language (so that, e.g., "l'accord" or "Sheinbaum's" split as that language splits them),
 * word-like segments only, case-folded; then the unigrams and the bigrams of adjacent words.
 */
import { foldCase } from './fold.js';

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(language: string): Intl.Segmenter {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    let locale = 'und';
    try {
      locale = Intl.getCanonicalLocales(language)[0] ?? 'und';
    } catch {
      // An unusable language tag in a document's metadata: segment by the root locale's rules.
    }
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(language, segmenter);
  }
  return segmenter;
}

/** Folded words, by their segment: a corpus uses the same words again and again. */
const foldedWords = new Map<string, string>();
const maxFoldedWords = 200_000;

function foldWord(segment: string): string {
  let folded = foldedWords.get(segment);
  if (folded === undefined) {
    folded = foldCase(segment);
    if (foldedWords.size >= maxFoldedWords) foldedWords.clear();
    foldedWords.set(segment, folded);
  }
  return folded;
}

/** The words of a text by Intl.Segmenter, folded. */
export function segmenterWords(text: string, language: string): string[] {
  const result: string[] = [];
  for (const segment of segmenterFor(language).segment(text))
    if (segment.isWordLike) result.push(foldWord(segment.segment));
  return result;
}

/**
 * Texts of Latin letters (ASCII and Latin-1), digits, spaces and common punctuation, in languages
 * whose word rules are the root's (Unicode's default, UAX #29): their words are found here without
 * Intl.Segmenter, which takes several microseconds a word.
 */
const plainLanguages = new Set(['en', 'es']);
const plainText = /^[A-Za-z0-9 \u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF!"(),.;?'¡¿-]*$/;

const letterCode = (code: number): boolean =>
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  (code >= 0xc0 && code !== 0xd7 && code !== 0xf7);
const digitCode = (code: number): boolean => code >= 48 && code <= 57;

/**
 * The words of a plain text (see `plainText`) by the rules of UAX #29 that apply to its characters:
 * letters and digits run together (WB5, WB8–WB10); `.` and `'` join two letters or two digits (WB6,
 * WB7, WB11, WB12), `,` and `;` two digits (WB11, WB12); anything else ends a word.
 */
function plainWords(text: string): string[] {
  const result: string[] = [];
  const length = text.length;
  let position = 0;
  while (position < length) {
    const code = text.charCodeAt(position);
    if (!letterCode(code) && !digitCode(code)) {
      position++;
      continue;
    }
    const start = position;
    position++;
    while (position < length) {
      const next = text.charCodeAt(position);
      if (letterCode(next) || digitCode(next)) {
        position++;
        continue;
      }
      if (position + 1 >= length) break;
      const before = text.charCodeAt(position - 1);
      const after = text.charCodeAt(position + 1);
      const digits = digitCode(before) && digitCode(after);
      const letters = letterCode(before) && letterCode(after);
      // 46 '.', 39 "'": between two letters or two digits; 44 ',', 59 ';': between two digits.
      if (((next === 46 || next === 39) && (letters || digits)) || ((next === 44 || next === 59) && digits))
        position += 2;
      else break;
    }
    result.push(foldWord(text.slice(start, position)));
  }
  return result;
}

/**
 * The words of a text, folded: Intl.Segmenter's word-like segments (plain English and Spanish
 * text the same way without it, property-tested against it).
 * @example words('Tariffs, tariffs!', 'en') // ['tariffs', 'tariffs']
 */
export function words(text: string, language: string): string[] {
  if (plainLanguages.has(language) && plainText.test(text)) return plainWords(text);
  return segmenterWords(text, language);
}

/**
 * The terms of a text: every word, and every pair of adjacent words joined by a space.
 * @example terms('No new tariffs', 'en') // ['no', 'new', 'tariffs', 'no new', 'new tariffs']
 */
export function terms(text: string, language: string): string[] {
  const unigrams = words(text, language);
  const result = [...unigrams];
  for (let index = 1; index < unigrams.length; index++)
    result.push(`${unigrams[index - 1]} ${unigrams[index]}`);
  return result;
}
