/**
 * Term frequency–inverse document frequency features, as scikit-learn's `TfidfVectorizer` computes
 * them with its defaults (`smooth_idf=True`, `norm='l2'`, raw counts):
 *
 *     idf(t) = ln((1 + n) / (1 + df(t))) + 1,   x(d, t) = count(d, t) · idf(t),   then x(d) / ‖x(d)‖₂
 *
 * The vocabulary is learnt from the training units only: terms in at least `minDocumentFrequency`
 * of them, at most `maxTerms` (the most frequent, ties in term order), sorted.
 */

/** A row of the feature matrix: ascending term indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/**
 * Rows of sparse vectors in one block (compressed sparse rows): row r has the entries
 * `rowStart[r] … rowStart[r + 1] − 1` of `indices` and `values`.
 */
export interface SparseMatrix {
  rows: number;
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** The rows in one block. */
export function sparseMatrix(rows: readonly SparseVector[]): SparseMatrix {
  const rowStart = new Int32Array(rows.length + 1);
  rows.forEach((row, index) => {
    rowStart[index + 1] = rowStart[index]! + row.indices.length;
  });
  const indices = new Int32Array(rowStart[rows.length]!);
  const values = new Float64Array(rowStart[rows.length]!);
  rows.forEach((row, index) => {
    indices.set(row.indices, rowStart[index]!);
    values.set(row.values, rowStart[index]!);
  });
  return { rows: rows.length, rowStart, indices, values };
}

export interface Vocabulary {
  terms: string[];
  indexOf: Map<string, number>;
  idf: Float64Array;
}

export interface VocabularyOptions {
  minDocumentFrequency: number;
  maxTerms: number;
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Learn the vocabulary and the idf weights from the training units' terms. */
export function fitVocabulary(
  documents: ReadonlyArray<readonly string[]>,
  options: VocabularyOptions,
): Vocabulary {
  const documentFrequency = new Map<string, number>();
  for (const document of documents)
    for (const term of new Set(document)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const kept = [...documentFrequency]
    .filter(([, frequency]) => frequency >= options.minDocumentFrequency)
    .sort((left, right) => right[1] - left[1] || compareText(left[0], right[0]))
    .slice(0, options.maxTerms)
    .sort((left, right) => compareText(left[0], right[0]));
  const count = documents.length;
  return {
    terms: kept.map(([term]) => term),
    indexOf: new Map(kept.map(([term], index) => [term, index])),
    idf: Float64Array.from(kept, ([, frequency]) => Math.log((1 + count) / (1 + frequency)) + 1),
  };
}

/**
 * Makes tf-idf vectors with the same arithmetic as `vectorise` (the same products and sums in the
 * same order, so the same bits), counting in one reused array instead of a map per unit: for the
 * million units a trained model codes.
 */
export class Vectoriser {
  readonly vocabulary: Vocabulary;
  readonly #counts: Float64Array;
  #touched: Int32Array;
  #length = 0;

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.#counts = new Float64Array(vocabulary.terms.length);
    this.#touched = new Int32Array(64);
  }

  /** Count a term of the unit (terms outside the vocabulary are ignored). */
  add(term: string): void {
    const index = this.vocabulary.indexOf.get(term);
    if (index === undefined) return;
    if (this.#counts[index] === 0) {
      if (this.#length === this.#touched.length) {
        const larger = new Int32Array(this.#length * 2);
        larger.set(this.#touched);
        this.#touched = larger;
      }
      this.#touched[this.#length++] = index;
    }
    this.#counts[index]!++;
  }

  /** The vector of the terms added since the last call, L2-normalised; the counts start again. */
  take(): SparseVector {
    const indices = this.#touched.slice(0, this.#length).sort();
    this.#length = 0;
    const values = new Float64Array(indices.length);
    let norm = 0;
    for (let position = 0; position < indices.length; position++) {
      const index = indices[position]!;
      const value = this.#counts[index]! * this.vocabulary.idf[index]!;
      this.#counts[index] = 0;
      values[position] = value;
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let position = 0; position < values.length; position++) values[position]! /= norm;
    return { indices, values };
  }
}

/** The tf-idf vector of a unit's terms, L2-normalised (empty when no term is in the vocabulary). */
export function vectorise(terms: readonly string[], vocabulary: Vocabulary): SparseVector {
  const counts = new Map<number, number>();
  for (const term of terms) {
    const index = vocabulary.indexOf.get(term);
    if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((left, right) => left - right));
  const values = new Float64Array(indices.length);
  let norm = 0;
  for (let position = 0; position < indices.length; position++) {
    const index = indices[position]!;
    const value = counts.get(index)! * vocabulary.idf[index]!;
    values[position] = value;
    norm += value * value;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let position = 0; position < values.length; position++) values[position]! /= norm;
  return { indices, values };
}
