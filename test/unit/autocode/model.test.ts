/**
 * The supervised model's parts: terms, tf-idf, the logistic regression (checked against
 * scikit-learn on the bundled corpus), folds, code choice and agreement.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitLogistic, predictProbability } from '../../../src/core/autocode/logistic.js';
import { assignFolds, chooseCodes, crossFit, defaultModelOptions } from '../../../src/core/autocode/model.js';
import { fitVocabulary, vectorise } from '../../../src/core/autocode/tfidf.js';
import { terms, words } from '../../../src/core/autocode/tokenise.js';
import { repositoryRoot } from '../../helpers.js';

/** The bundled corpus's units (text) and coder1's codes, read from the repository's files. */
function bundled(): { texts: string[]; codes: Array<Set<string>> } {
  const documents = new Map<string, string>();
  for (const line of fs
    .readFileSync(path.join(repositoryRoot, 'corpus', 'documents.jsonl'), 'utf8')
    .trim()
    .split('\n')) {
    const record = JSON.parse(line) as { id: string; text: string };
    documents.set(record.id, record.text);
  }
  const units = fs
    .readFileSync(path.join(repositoryRoot, 'corpus', 'units.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const coded = new Map<string, Set<string>>();
  for (const line of fs
    .readFileSync(path.join(repositoryRoot, 'annotations', 'coder1.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)) {
    const [unit, code] = line.split(',');
    const set = coded.get(unit!) ?? new Set<string>();
    if (code) set.add(code);
    coded.set(unit!, set);
  }
  return {
    texts: units.map(([, doc, , start, end]) =>
      [...documents.get(doc!)!].slice(Number(start), Number(end)).join(''),
    ),
    codes: units.map(([id]) => coded.get(id!) ?? new Set()),
  };
}

describe('terms and tf-idf', () => {
  it('segments words with Intl.Segmenter, folds them, and adds bigrams', () => {
    expect(words('Tariffs, TARIFFS! Sheinbaum’s 25 %', 'en')).toEqual([
      'tariffs',
      'tariffs',
      'sheinbaum’s',
      '25',
    ]);
    expect(terms('No new tariffs', 'en')).toEqual(['no', 'new', 'tariffs', 'no new', 'new tariffs']);
  });

  it("weights terms as scikit-learn's TfidfVectorizer (smooth idf, l2 norm)", () => {
    const documents = [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'a', 'b'],
    ];
    const vocabulary = fitVocabulary(documents, { minDocumentFrequency: 1, maxTerms: 10 });
    expect(vocabulary.terms).toEqual(['a', 'b', 'c']);
    expect(vocabulary.idf[1]).toBeCloseTo(1.2876820724517808, 14);
    const row = vectorise(['a', 'a', 'b'], vocabulary);
    // scikit-learn 1.2.1: TfidfVectorizer().fit_transform(['aa bb', 'aa cc', 'aa aa bb']) (two-letter
    // words: its default token pattern skips one-letter ones) has idf_ [1.0, 1.2876820724517808,
    // 1.6931471805599454] and third row [0.8408019731721111, 0.5413428136679054, 0.0].
    expect(vocabulary.idf[2]).toBeCloseTo(1.6931471805599454, 14);
    expect([...row.indices]).toEqual([0, 1]);
    expect(row.values[0]).toBeCloseTo(0.8408019731721111, 14);
    expect(row.values[1]).toBeCloseTo(0.5413428136679054, 14);
  });
});

describe('logistic regression', () => {
  it('finds the coefficients scikit-learn finds on the same features', () => {
    const { texts, codes } = bundled();
    const documents = texts.map((text) => terms(text, 'en'));
    const vocabulary = fitVocabulary(documents, { minDocumentFrequency: 2, maxTerms: 50_000 });
    const rows = documents.map((document) => vectorise(document, vocabulary));
    const labels = Uint8Array.from(codes, (set) => (set.has('trade.tariffs') ? 1 : 0));
    expect(vocabulary.terms.length).toBe(1244);
    const model = fitLogistic(rows, labels, vocabulary.terms.length);
    // The same matrix (exported as CSR) fitted by scikit-learn 1.2.1,
    // LogisticRegression(C=1.0, solver='newton-cg', tol=1e-12, max_iter=100000): intercept
    // -2.887535969127404, coef_[0][:3] = [-0.05824982, -0.03049187, -0.01780534] (printed to 8
    // decimals), predict_proba of the first unit 0.04381447591402951. Over all 1244 coefficients
    // the largest difference from ours was 5.0e-10, intercept 1.3e-10, probabilities 1.5e-10: both
    // solvers stop at a gradient near 1e-10, so agreement to 1e-8 is what convergence allows.
    expect(model.bias).toBeCloseTo(-2.887535969127404, 8);
    expect(model.weights[0]).toBeCloseTo(-0.05824982, 7);
    expect(model.weights[1]).toBeCloseTo(-0.03049187, 7);
    expect(model.weights[2]).toBeCloseTo(-0.01780534, 7);
    expect(predictProbability(model, rows[0]!)).toBeCloseTo(0.04381447591402951, 8);
  });

  it('refuses labels of one class', () => {
    expect(() =>
      fitLogistic([{ indices: new Int32Array(), values: new Float64Array() }], new Uint8Array([0]), 0),
    ).toThrow(RangeError);
  });
});

describe('cross-fitting', () => {
  it('deals folds of equal size from a seed, the same for the same seed', () => {
    const folds = assignFolds(23, 5, 7);
    const sizes = [0, 0, 0, 0, 0];
    for (const fold of folds) sizes[fold]!++;
    expect(sizes.sort()).toEqual([4, 4, 5, 5, 5]);
    expect([...assignFolds(23, 5, 7)]).toEqual([...folds]);
    expect([...assignFolds(23, 5, 8)]).not.toEqual([...folds]);
  });

  it('predicts each unit from a model that did not see it', () => {
    // Unit 0 is the only one with the word "zebra", and the only one with the code: a model that
    // saw it would learn "zebra"; the model of the other folds has no such term and cannot.
    const texts = ['zebra tariffs', ...Array.from({ length: 19 }, (_, index) => `tariffs talk ${index % 3}`)];
    const data = {
      terms: texts.map((text) => terms(text, 'en')),
      labels: [Uint8Array.from(texts, (_, index) => (index === 0 || index % 4 === 1 ? 1 : 0))],
    };
    const options = { ...defaultModelOptions, minDocumentFrequency: 1, folds: 4, seed: 3 };
    const probabilities = crossFit(data, assignFolds(20, 4, 3), options);
    expect(probabilities[0]).toBeLessThan(0.5);
    expect([...crossFit(data, assignFolds(20, 4, 3), options)]).toEqual([...probabilities]);
  });

  it('chooses codes at p ≥ 0.5, the most probable one in an exclusive group', () => {
    expect(
      chooseCodes(
        [0.7, 0.9, 0.2, 0.5],
        new Map([
          [0, 0],
          [1, 0],
        ]),
      ),
    ).toEqual([1, 3]);
    expect(chooseCodes([0.1, 0.2], new Map())).toEqual([]);
  });
});
