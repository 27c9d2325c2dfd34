/**
 * The shortcuts of sentence joining (no mark counting in a block without "¿" or "¡", no
 * lower-case-continuation pattern after an ASCII letter or ".", the capital-initial pattern only
 * on short words) change nothing: `segment` agrees with the joining as it was written before them,
 * on generated text full of the characters the rules look at.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInAbbreviations } from '../../src/core/abbreviations.js';
import { segment, sliceCodePoints } from '../../src/core/segment.js';

/** The sentences of a one-paragraph text by the rules without shortcuts, trimmed, empty ones dropped. */
function referenceSentences(text: string, language: string): string[] {
  const segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
  const abbreviations = builtInAbbreviations(language);
  const starts = [...segmenter.segment(text)].map((piece) => piece.index);
  starts.push(text.length);
  const end = text.length;
  const ranges: Array<[number, number]> = [];
  let pendingStart = -1;
  let question = 0;
  let exclamation = 0;
  for (let index = 0; index + 1 < starts.length; index++) {
    const pieceStart = starts[index]!;
    const pieceEnd = starts[index + 1]!;
    if (pendingStart < 0) pendingStart = pieceStart;
    for (const character of text.slice(pieceStart, pieceEnd)) {
      if (character === '¿') question++;
      else if (character === '?') question = Math.max(0, question - 1);
      else if (character === '¡') exclamation++;
      else if (character === '!') exclamation = Math.max(0, exclamation - 1);
    }
    let wordEnd = pieceEnd;
    while (wordEnd > pendingStart && /\s/u.test(text[wordEnd - 1]!)) wordEnd--;
    const tail = text.slice(Math.max(pendingStart, wordEnd - 256), wordEnd).trimEnd();
    const lastWord = tail.slice(
      Math.max(tail.lastIndexOf(' '), tail.lastIndexOf('\n'), tail.lastIndexOf('(')) + 1,
    );
    const abbreviation = abbreviations.has(lastWord) || /^\p{Lu}\.$/u.test(lastWord);
    const after = text.slice(pieceEnd, Math.min(end, pieceEnd + 8)).match(/^\s*(\S)/u);
    const continues =
      /[?!][\p{Pf}\p{Pe}"'»”’]*$/u.test(text.slice(Math.max(0, wordEnd - 8), wordEnd)) &&
      after !== null &&
      /\p{Ll}/u.test(after[1]!);
    const open = question > 0 || exclamation > 0;
    const join = pieceEnd < end && (abbreviation || (open && pieceEnd - pendingStart < 2000) || continues);
    if (!join) {
      ranges.push([pendingStart, pieceEnd]);
      pendingStart = -1;
      question = 0;
      exclamation = 0;
    }
  }
  if (pendingStart >= 0) ranges.push([pendingStart, end]);
  return ranges.map(([from, to]) => text.slice(from, to).trim()).filter((sentence) => sentence !== '');
}

/** Words, abbreviations, initials and the marks and closers the joining rules look at (no line breaks, no astral characters). */
const pieces = [
  'Mr.',
  'U.S.',
  'Sr.',
  'etc.',
  'J.',
  'É.',
  'Ñ.',
  'the',
  'trade',
  'Mexico',
  'dijo',
  'él',
  'año',
  '.',
  '?',
  '!',
  '¿',
  '¡',
  '"',
  "'",
  ')',
  ']',
  '»',
  '”',
  '’',
  ',',
  ' ',
  ' ',
  ' ',
  '\u00a0',
];

const sentenceText = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));

describe('sentence joining shortcuts', () => {
  it.each(['en', 'es'])('give the same sentences as the rules without them (%s)', (language) => {
    fc.assert(
      fc.property(sentenceText, (text) => {
        const found = segment(text, 'sentence', { language }).map((span) =>
          sliceCodePoints(text, span.start, span.end),
        );
        expect(found).toEqual(referenceSentences(text, language));
      }),
      { numRuns: 2000 },
    );
  });
});
