/**
 * The supervised model coder: one L2-regularised logistic regression per code on tf-idf word uni-
 * and bigrams, cross-fitted so that every unit people coded gets its machine code from a model that
 * did not see it (Chernozhukov et al. 2018 use the word for this split; here it serves an honest
 * machine–human agreement), and a learning curve of that agreement against the training size.
 */
import type { CodebookModel } from '../codebook.js';
import { createRandom, shuffled } from '../random.js';
import { cohenKappa } from '../stats/cohen-kappa.js';
import {
  defaultLogisticOptions,
  fitLogistic,
  type LogisticModel,
  type LogisticOptions,
  predictProbability,
} from './logistic.js';
import {
  fitVocabulary,
  sparseMatrix,
  Vectoriser,
  type Vocabulary,
  type VocabularyOptions,
  vectorise,
} from './tfidf.js';

export interface ModelOptions extends VocabularyOptions {
  folds: number;
  seed: number;
  logistic: LogisticOptions;
  /** Fractions of each fold's training units for the learning curve (1 is the cross-fit itself). */
  learningCurve: readonly number[];
}

export const defaultModelOptions: ModelOptions = {
  folds: 5,
  seed: 20260129,
  minDocumentFrequency: 2,
  maxTerms: 50_000,
  logistic: defaultLogisticOptions,
  learningCurve: [0.25, 0.5, 0.75, 1],
};

/** One code's classifier: a fitted regression, or a constant when the training units hold one class only. */
export type CodeClassifier = { model: LogisticModel } | { constant: number };

export interface TrainedModel {
  vocabulary: Vocabulary;
  classifiers: CodeClassifier[];
}

/** The training data: each unit's terms, and for each code which units take it. */
export interface TrainingData {
  terms: ReadonlyArray<readonly string[]>;
  /** labels[code][unit] = 1 when the unit takes the code. */
  labels: readonly Uint8Array[];
}

/** Fit the vocabulary and every code's classifier on the units `selected` (positions in the data). */
export function trainModel(
  data: TrainingData,
  selected: readonly number[],
  options: ModelOptions,
): TrainedModel {
  const vocabulary = fitVocabulary(
    selected.map((unit) => data.terms[unit]!),
    options,
  );
  const rows = sparseMatrix(selected.map((unit) => vectorise(data.terms[unit]!, vocabulary)));
  const classifiers = data.labels.map((codeLabels): CodeClassifier => {
    const labels = Uint8Array.from(selected, (unit) => codeLabels[unit]!);
    const positives = labels.reduce((sum, label) => sum + label, 0);
    if (positives === 0 || positives === labels.length) return { constant: positives === 0 ? 0 : 1 };
    return { model: fitLogistic(rows, labels, vocabulary.terms.length, options.logistic) };
  });
  return { vocabulary, classifiers };
}

/** The probability of every code for a unit's terms. */
export function predictCodes(model: TrainedModel, terms: readonly string[]): Float64Array {
  const row = vectorise(terms, model.vocabulary);
  return Float64Array.from(model.classifiers, (classifier) =>
    'constant' in classifier ? classifier.constant : predictProbability(classifier.model, row),
  );
}

/**
 * Codes unit after unit with a trained model: `predictCodes` with one reused counting array, for
 * the million units a model codes. The same arithmetic, so the same probabilities to the bit.
 */
export class Predictor {
  readonly #model: TrainedModel;
  readonly #vectoriser: Vectoriser;

  constructor(model: TrainedModel) {
    this.#model = model;
    this.#vectoriser = new Vectoriser(model.vocabulary);
  }

  /** The probability of every code for a unit of these words (see tokenise.ts, `words`). */
  predict(words: readonly string[]): Float64Array {
    const vectoriser = this.#vectoriser;
    for (let index = 0; index < words.length; index++) {
      vectoriser.add(words[index]!);
      if (index > 0) vectoriser.add(`${words[index - 1]} ${words[index]}`);
    }
    const row = vectoriser.take();
    const result = new Float64Array(this.#model.classifiers.length);
    this.#model.classifiers.forEach((classifier, code) => {
      result[code] =
        'constant' in classifier ? classifier.constant : predictProbability(classifier.model, row);
    });
    return result;
  }
}

/** The fold of each unit: a seeded shuffle dealt round-robin, so fold sizes differ by at most one. */
export function assignFolds(count: number, folds: number, seed: number): Int32Array {
  const order = shuffled(
    Array.from({ length: count }, (_, index) => index),
    createRandom(seed),
  );
  const fold = new Int32Array(count);
  order.forEach((unit, rank) => {
    fold[unit] = rank % folds;
  });
  return fold;
}

/**
 * Cross-fitted probabilities (units × codes, row-major): each unit's from the model trained on the
 * other folds, or on the first `fraction` of them in the seeded order (for the learning curve).
 */
export function crossFit(
  data: TrainingData,
  fold: Int32Array,
  options: ModelOptions,
  fraction = 1,
): Float64Array {
  const count = data.terms.length;
  const codes = data.labels.length;
  const result = new Float64Array(count * codes);
  const order = shuffled(
    Array.from({ length: count }, (_, index) => index),
    createRandom(options.seed + 1),
  );
  for (let held = 0; held < options.folds; held++) {
    const training = order.filter((unit) => fold[unit] !== held);
    const used = training.slice(0, Math.max(1, Math.round(fraction * training.length))).sort((a, b) => a - b);
    const model = trainModel(data, used, options);
    for (let unit = 0; unit < count; unit++) {
      if (fold[unit] !== held) continue;
      result.set(predictCodes(model, data.terms[unit]!), unit * codes);
    }
  }
  return result;
}

/**
 * The codes a unit takes: those with probability ≥ 0.5; in an exclusive group only the most
 * probable of them (the first in codebook order on a tie).
 */
export function chooseCodes(probabilities: ArrayLike<number>, groups: ReadonlyMap<number, number>): number[] {
  const chosen: number[] = [];
  const bestOfGroup = new Map<number, number>();
  for (let code = 0; code < probabilities.length; code++) {
    if (probabilities[code]! < 0.5) continue;
    const group = groups.get(code);
    if (group === undefined) {
      chosen.push(code);
      continue;
    }
    const best = bestOfGroup.get(group);
    if (best === undefined || probabilities[code]! > probabilities[best]!) bestOfGroup.set(group, code);
  }
  chosen.push(...bestOfGroup.values());
  return chosen.sort((left, right) => left - right);
}

export interface AgreementRow {
  code: string;
  /** Cohen's κ between people and the machine on the cross-fitted units; null when undefined. */
  kappa: number | null;
  /** [[both, people only], [machine only, neither]] */
  table: [[number, number], [number, number]];
}

/** Per-code agreement of the machine's choices with people's labels, and the pooled κ (De Vries et al. 2008). */
export function agreement(
  data: TrainingData,
  chosen: ReadonlyArray<readonly number[]>,
  codebook: CodebookModel,
  codeIndices: readonly number[],
): { codes: AgreementRow[]; pooledKappa: number | null } {
  const rows: AgreementRow[] = [];
  let observed = 0;
  let expected = 0;
  codeIndices.forEach((codeIndex, position) => {
    const table: [[number, number], [number, number]] = [
      [0, 0],
      [0, 0],
    ];
    for (let unit = 0; unit < data.terms.length; unit++) {
      const human = data.labels[position]![unit] === 1;
      const machine = chosen[unit]!.includes(position);
      table[human ? 0 : 1][machine ? 0 : 1]++;
    }
    const figure = cohenKappa(table);
    const n = data.terms.length;
    const humanYes = (table[0][0] + table[0][1]) / n;
    const machineYes = (table[0][0] + table[1][0]) / n;
    observed += (table[0][0] + table[1][1]) / n;
    expected += humanYes * machineYes + (1 - humanYes) * (1 - machineYes);
    rows.push({ code: codebook.codes[codeIndex]!.id, kappa: figure.value, table });
  });
  const count = codeIndices.length;
  const pooled =
    count === 0 || expected / count === 1
      ? null
      : (observed / count - expected / count) / (1 - expected / count);
  return { codes: rows, pooledKappa: pooled };
}
