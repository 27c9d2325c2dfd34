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

/**
 * The words of a text, folded.
 * @example words('Tariffs, tariffs!', 'en') // ['tariffs', 'tariffs']
 */
export function words(text: string, language: string): string[] {
  const result: string[] = [];
  for (const segment of segmenterFor(language).segment(text))
    if (segment.isWordLike) result.push(foldWord(segment.segment));
  return result;
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
