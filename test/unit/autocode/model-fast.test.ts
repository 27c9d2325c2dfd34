/**
 * The model coder's fast paths compute what the plain ones compute, to the bit: the reused counting
 * array (Vectoriser) and `vectorise`, the Predictor and `predictCodes` on `terms`, and the logistic
 * regression on one compressed-sparse-row block and on an array of rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLogistic } from '../../../src/core/autocode/logistic.js';
import { Predictor, predictCodes, trainModel } from '../../../src/core/autocode/model.js';
import { fitVocabulary, sparseMatrix, Vectoriser, vectorise } from '../../../src/core/autocode/tfidf.js';
import { segmenterWords, terms, words } from '../../../src/core/autocode/tokenise.js';

const vocabularyWords = [
  'tariff',
  'Tariffs',
  'duty',
  'cartel',
  'FBI',
  'arancel',
  'México',
  'la',
  'the',
  'of',
  'Straße',
];
const textArbitrary = fc
  .array(fc.constantFrom(...vocabularyWords, ', ', '. ', '!', '25 %', "l'accord"), {
    minLength: 0,
    maxLength: 12,
  })
  .map((parts) => parts.join(' '));

const bits = (values: ArrayLike<number>): string[] =>
  Array.from(values, (value) => Buffer.from(new Float64Array([value]).buffer).toString('hex'));

describe('model fast paths', () => {
  it('finds the words Intl.Segmenter finds in plain English and Spanish text (property)', () => {
    const piece = fc.constantFrom(
      ...'aBzéÑßÿ190 .\',;!?()"-¡¿:_\n'.split(''),
      'ab',
      '12',
      'U.S.',
      '3.5',
      '1,000',
      "l'a",
      'a.1',
      '1.a',
      "'s",
      'ü',
      '😀',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 14 }),
        fc.constantFrom('en', 'es', 'fr'),
        (pieces, language) => {
          const text = pieces.join('');
          expect(words(text, language)).toEqual(segmenterWords(text, language));
        },
      ),
      { numRuns: 5000 },
    );
    expect(words("The U.S. said 1,000 tariffs (3.5 %) won't end: ¿Sí?", 'en')).toEqual([
      'the',
      'u.s',
      'said',
      '1,000',
      'tariffs',
      '3.5',
      "won't",
      'end',
      'sí',
    ]);
  });

  it('Vectoriser gives the vectors of vectorise, to the bit (property)', () => {
    fc.assert(
      fc.property(fc.array(textArbitrary, { minLength: 2, maxLength: 30 }), (texts) => {
        const documents = texts.map((text) => terms(text, 'en'));
        const vocabulary = fitVocabulary(documents, { minDocumentFrequency: 1, maxTerms: 20 });
        const vectoriser = new Vectoriser(vocabulary);
        for (const document of documents) {
          for (const term of document) vectoriser.add(term);
          const fast = vectoriser.take();
          const plain = vectorise(document, vocabulary);
          expect([...fast.indices]).toEqual([...plain.indices]);
          expect(bits(fast.values)).toEqual(bits(plain.values));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('Predictor gives the probabilities of predictCodes, to the bit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(textArbitrary, fc.boolean(), fc.boolean()), { minLength: 6, maxLength: 30 }),
        fc.array(textArbitrary, { minLength: 1, maxLength: 10 }),
        (training, others) => {
          const data = {
            terms: training.map(([text]) => terms(text, 'en')),
            labels: [
              Uint8Array.from(training, ([, first]) => (first ? 1 : 0)),
              Uint8Array.from(training, ([, , second]) => (second ? 1 : 0)),
            ],
          };
          const model = trainModel(
            data,
            training.map((_, index) => index),
            {
              folds: 2,
              seed: 1,
              minDocumentFrequency: 1,
              maxTerms: 50,
              logistic: { inverseRegularisation: 10, tolerance: 1e-10, maxIterations: 100 },
              learningCurve: [1],
            },
          );
          const predictor = new Predictor(model);
          for (const text of [...others, ...training.map(([text]) => text)])
            expect(bits(predictor.predict(words(text, 'en')))).toEqual(
              bits(predictCodes(model, terms(text, 'en'))),
            );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('fits the same coefficients on a block of rows as on an array of rows, to the bit', () => {
    const texts = Array.from({ length: 60 }, (_, index) =>
      [vocabularyWords[index % 11], vocabularyWords[(index * 7) % 11], vocabularyWords[(index * 5) % 3]].join(
        ' ',
      ),
    );
    const documents = texts.map((text) => terms(text, 'en'));
    const vocabulary = fitVocabulary(documents, { minDocumentFrequency: 1, maxTerms: 100 });
    const rows = documents.map((document) => vectorise(document, vocabulary));
    const labels = Uint8Array.from(texts, (text, index) =>
      text.includes('tariff') || index % 9 === 0 ? 1 : 0,
    );
    const options = { inverseRegularisation: 10, tolerance: 1e-10, maxIterations: 100 };
    const fromRows = fitLogistic(rows, labels, vocabulary.terms.length, options);
    const fromBlock = fitLogistic(sparseMatrix(rows), labels, vocabulary.terms.length, options);
    expect(fromRows.iterations).toBeGreaterThan(1);
    expect(bits(fromBlock.weights)).toEqual(bits(fromRows.weights));
    expect(bits([fromBlock.bias])).toEqual(bits([fromRows.bias]));
  });
});
