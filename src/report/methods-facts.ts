/**
 * The facts of a study that its methods section states, gathered from the study's files by
 * `src/app/methods-facts.ts`. Reliability figures are not here: the methods section reads them from
 * the same `ReliabilityReport` object that is written as reliability.json.
 */
import type { SampleMeta } from '../schema/sample.js';

/** A value of a document field and the number of documents that have it. */
export interface FieldCount {
  name: string;
  documents: number;
}

export interface MethodsFacts {
  corpus: {
    documents: number;
    units: number;
    /** Units by kind (sentence, paragraph…), from the documents' records: documents per kind. */
    unitKinds: FieldCount[];
    languages: FieldCount[];
    /** Earliest and latest `date` of the documents, and how many have none. */
    dates: { first: string; last: string } | undefined;
    undated: number;
    /** Earliest and latest `accessed` date, when the documents record it. */
    accessed: { first: string; last: string } | undefined;
    sources: FieldCount[];
    genres: FieldCount[];
    roles: FieldCount[];
  };
  codebook: {
    name: string;
    title: string | undefined;
    /** The codebook file, relative to the workspace. */
    file: string;
    /** The content hash the annotations record (layout and comments aside). */
    hash: string;
    exclusive: boolean;
  };
  /** The sample's sidecar, as recorded; undefined without a sample. */
  sample: SampleMeta | undefined;
  coders: Array<{
    name: string;
    /** Units the coder reviewed (coded, or reviewed without a code). */
    unitsReviewed: number;
    /** Of those, units of the double-coding sample; undefined without a sample. */
    sampleUnitsReviewed: number | undefined;
    /** The codebook hash recorded with the coder's annotations; undefined when none is recorded. */
    codebookHash: string | undefined;
  }>;
  primary: string | undefined;
  adjudication: {
    disagreements: number;
    decided: number;
    pending: number;
    /** Who decided, with the number of decisions each, by name. */
    deciders: FieldCount[];
    /** Decisions by kind: a, b, both, neither, edit. */
    kinds: FieldCount[];
    /** Decisions with a written rationale. */
    withRationale: number;
  };
}
