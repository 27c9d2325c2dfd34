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
