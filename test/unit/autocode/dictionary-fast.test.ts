/**
 * The dictionary coder's fast paths give the results of the plain path: the JavaScript prefilter of
 * an RE2 pattern matches wherever RE2 does, and a dictionary with its fast paths codes every text as
 * the plain one does (same codes, patterns and matched text).
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { type CodePatterns, Dictionary } from '../../../src/core/autocode/dictionary.js';
import { foldText } from '../../../src/core/autocode/fold.js';
import { patternProblem, regexPrefilter } from '../../../src/core/autocode/patterns.js';

/** Pieces of RE2 syntax, in and out of the prefilter's subset, that combine into patterns. */
const atoms = [
  'a',
  'b',
  'k',
  's',
  'K',
  'S',
  'f',
  'i',
  '1',
  ' ',
  '-',
  ',',
  "'",
  ']',
  '}',
  '.',
  '\\.',
  '\\-',
  '\\d',
  '\\s',
  '\\w',
  '\\S',
  '\\b',
  '[a-c]',
  '[ks]',
  '[\\d.]',
  '[^a]',
  '[-a]',
  '^',
  '$',
  '\\pL',
  'é',
  '(?i)',
  'x{2}',
  'a{1,}',
  'b{1,3}',
];
const quantifiers = ['', '', '', '', '?', '?', '*', '+', '??'];

const bodyArbitrary: fc.Arbitrary<string> = fc.letrec<{ body: string; piece: string }>((tie) => ({
  body: fc
    .array(tie('piece'), { minLength: 1, maxLength: 4 })
    .map((pieces) => pieces.join('')) as fc.Arbitrary<string>,
  piece: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...atoms), fc.constantFrom(...quantifiers)).map(([atom, q]) => atom + q),
    fc
      .tuple(
        fc.constantFrom('(', '(?:'),
        tie('body'),
        fc.option(tie('body')),
        fc.constantFrom(...quantifiers),
      )
      .map(([open, left, right, q]) => `${open}${left}${right === null ? '' : `|${right}`})${q}`),
  ) as fc.Arbitrary<string>,
})).body;

const textArbitrary = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      'k',
      's',
      'f',
      'i',
      '1',
      ' ',
      '-',
      '.',
      ',',
      '\n',
      '\u00a0',
      'é',
      'K',
      'ſ',
      'ab',
      'f.b.i',
      'fbi',
      'kss',
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

describe('regexPrefilter', () => {
  it('translates the simple patterns and leaves the rest to RE2', () => {
    expect(regexPrefilter('f\\.?b\\.?i')?.source).toBe('f\\.?b\\.?i');
    expect(regexPrefilter('sanction(s|ed)?')?.test('SANCTIONED')).toBe(true);
    expect(regexPrefilter('u\\.s\\.-mexico')?.test('u.s.-mexico')).toBe(true);
    // Anchors, flags, Unicode, and any repetition (V8 would backtrack on (a+)+b): RE2 alone.
    for (const body of [
      '^a',
      'a$',
      '\\bfoo',
      '(?i)x',
      '[^a]',
      '\\pL',
      'méxico',
      '\\S+',
      '(?P<x>a)',
      'a{2}',
      '(a+)+b',
      'a*',
      'a??',
      'a?b?c?d?e?f?g?',
    ])
      expect(regexPrefilter(body), body).toBeUndefined();
  });

  it('matches every text that RE2 matches (property)', () => {
    fc.assert(
      fc.property(bodyArbitrary, fc.array(textArbitrary, { minLength: 1, maxLength: 5 }), (body, texts) => {
        if (patternProblem(`/${body}/`) !== undefined) return;
        const prefilter = regexPrefilter(body);
        if (prefilter === undefined) return;
        const engine = RE2JS.compile(body, RE2JS.CASE_INSENSITIVE);
        for (const text of texts)
          for (const candidate of [text, foldText(text, { ignoreAccents: false })])
            if (engine.matcher(candidate).find(0))
              expect(prefilter.test(candidate), `${body} on ${JSON.stringify(candidate)}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

const wordsArbitrary = fc.array(
  fc.constantFrom('tariff', 'tariff*', 'duty', 'non-tariff barrier*', 'f.b.i', 'wedding', 'k*', 'ab', 'a b*'),
  {
    maxLength: 3,
  },
);
const regexArbitrary = fc.array(
  fc.constantFrom(
    '/f\\.?b\\.?i/',
    '/sanction(s|ed)?/',
    '/a[bk]+/',
    '/\\d+ ?%/',
    '/^ab/',
    '/k\\S*/',
    '/s{2}/',
  ),
  { maxLength: 2 },
);
const unitArbitrary = fc
  .array(
    fc.constantFrom(
      'Tariff',
      'tariffs',
      'non-tariff barriers',
      'F.B.I.',
      'fbi',
      'duty',
      'DUTIES',
      'wedding',
      'ab',
      'a bk',
      'KS',
      'ſs',
      '25 %',
      'sanctioned',
      ' ',
      ' ',
      '\n',
      ', ',
      '-',
      'é',
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

describe('Dictionary fast paths', () => {
  it('code every text as the plain path does (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(wordsArbitrary, regexArbitrary, wordsArbitrary, regexArbitrary), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(unitArbitrary, { minLength: 4, maxLength: 12 }),
        fc.boolean(),
        (codes, texts, ignoreAccents) => {
          const patterns: CodePatterns[] = codes
            .map(([words, regexes, notWords, notRegexes], codeIndex) => ({
              codeIndex,
              positive: new Map([['en', [...words, ...regexes]]]),
              negative: new Map([['en', [...notWords, ...notRegexes]]]),
            }))
            .filter((code) => code.positive.get('en')!.length > 0);
          const fold = { ignoreAccents };
          const fast = new Dictionary(patterns, fold);
          const plain = new Dictionary(patterns, fold, { plain: true });
          for (const text of texts) {
            expect(fast.match(text, 'en')).toEqual(plain.match(text, 'en'));
            expect(fast.match(text, undefined)).toEqual(plain.match(text, undefined));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
