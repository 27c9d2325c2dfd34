/**
 * The facts a methods section states, read from the study's files: the corpus's documents
 * (metadata only), the codebook, the sample's sidecar, each coder's annotations and their
 * recorded codebook hash, and the adjudication decisions. Nothing here is a reliability figure.
 */
import { coderFiles, readMeta } from '../io/coder-files.js';
import { corpusPaths, readDocumentMetadata } from '../io/corpus-store.js';
import type { FieldCount, MethodsFacts } from '../report/methods-facts.js';
import type { AdjudicationRecord } from '../schema/adjudication.js';
import type { DocumentRecord } from '../schema/corpus.js';
import type { AnnotationSet } from './annotation-set.js';
import type { readSample } from './sample.js';
import { relativeTo } from './study.js';

type Sample = Awaited<ReturnType<typeof readSample>>;

/** Tallies of values, sorted by count (descending) then name, for stable sentences. */
class Tally {
  private counts = new Map<string, number>();
  add(value: string | undefined): void {
    if (value === undefined || value === '') return;
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
  list(): FieldCount[] {
    return [...this.counts]
      .map(([name, documents]) => ({ name, documents }))
      .sort((left, right) => right.documents - left.documents || (left.name < right.name ? -1 : 1));
  }
}

/** The earliest and latest of ISO dates (strings compare as dates). */
class Range {
  first: string | undefined;
  last: string | undefined;
  add(value: string | undefined): void {
    if (value === undefined || value === '') return;
    if (this.first === undefined || value < this.first) this.first = value;
    if (this.last === undefined || value > this.last) this.last = value;
  }
  value(): { first: string; last: string } | undefined {
    return this.first === undefined || this.last === undefined
      ? undefined
      : { first: this.first, last: this.last };
  }
}

/** The corpus facts, gathered from the documents' metadata one document at a time. */
export class CorpusFacts {
  private readonly kinds = new Tally();
  private readonly languages = new Tally();
  private readonly sources = new Tally();
  private readonly genres = new Tally();
  private readonly roles = new Tally();
  private readonly dates = new Range();
  private readonly accessed = new Range();
  private documents = 0;
  private undated = 0;

  add(document: DocumentRecord): void {
    this.documents++;
    this.kinds.add(document.unit);
    this.languages.add(document.language);
    this.sources.add(document.source);
    this.genres.add(document.genre);
    this.roles.add(document.role);
    if (document.date === undefined || document.date === '') this.undated++;
    this.dates.add(document.date);
    this.accessed.add(document.accessed);
  }

  facts(units: number): MethodsFacts['corpus'] {
    return {
      documents: this.documents,
      units,
      unitKinds: this.kinds.list(),
      languages: this.languages.list(),
      dates: this.dates.value(),
      undated: this.undated,
      accessed: this.accessed.value(),
      sources: this.sources.list(),
      genres: this.genres.list(),
      roles: this.roles.list(),
    };
  }
}

async function corpusFacts(set: AnnotationSet, units: number): Promise<MethodsFacts['corpus']> {
  const study = set.study!;
  const facts = new CorpusFacts();
  for await (const batch of readDocumentMetadata(corpusPaths(study.workspace.paths.corpus)))
    for (const document of batch) facts.add(document);
  return facts.facts(units);
}

async function coderFacts(set: AnnotationSet, sample: Sample): Promise<MethodsFacts['coders']> {
  const study = set.study!;
  const sampleUnits = sample === undefined ? undefined : new Set(sample.unitIds);
  const coders: MethodsFacts['coders'] = [];
  for (const name of set.coders) {
    const codings = set.byCoder.get(name)!.codings;
    let inSample = 0;
    if (sampleUnits !== undefined)
      for (const unit of codings.units) if (sampleUnits.has(set.units.idAt(unit))) inSample++;
    const files = coderFiles(study.workspace.paths.annotations, name);
    const meta = await readMeta(files.meta, relativeTo(study.workspace, files.meta)).catch(() => undefined);
    coders.push({
      name,
      unitsReviewed: codings.size,
      sampleUnitsReviewed: sampleUnits === undefined ? undefined : inSample,
      codebookHash: meta?.codebook_hash,
    });
  }
  return coders;
}

/** Who decided the disagreements, how, and with how many written rationales. */
export function adjudicationFacts(
  decisions: readonly AdjudicationRecord[],
  counts: { disagreements: number; decided: number; pending: number },
): MethodsFacts['adjudication'] {
  const deciders = new Tally();
  const kinds = new Tally();
  let withRationale = 0;
  for (const decision of decisions) {
    deciders.add(decision.decidedBy);
    kinds.add(decision.decision);
    if (decision.rationale.trim() !== '') withRationale++;
  }
  return { ...counts, deciders: deciders.list(), kinds: kinds.list(), withRationale };
}

/**
 * Gather the facts. `decisions` are the adjudication records of the disagreements counted in
 * `adjudication` (the report reads them once for disagreements.csv).
 */
export async function gatherMethodsFacts(options: {
  set: AnnotationSet;
  units: number;
  sample: Sample;
  primary: string | undefined;
  decisions: readonly AdjudicationRecord[];
  adjudication: { disagreements: number; decided: number; pending: number };
  /** The corpus facts when gathered already (the report gathers them as it reads the metadata for the themes). */
  corpus?: MethodsFacts['corpus'] | undefined;
}): Promise<MethodsFacts> {
  const { set } = options;
  const study = set.study!;
  const codebook = study.codebook.codebook;
  return {
    corpus: options.corpus ?? (await corpusFacts(set, options.units)),
    codebook: {
      name: codebook.name,
      title: codebook.title,
      file: relativeTo(study.workspace, study.workspace.paths.codebook),
      hash: study.codebook.hash,
      exclusive: codebook.exclusive === true,
    },
    sample: options.sample?.meta,
    coders: await coderFacts(set, options.sample),
    primary: options.primary,
    adjudication: adjudicationFacts(options.decisions, options.adjudication),
  };
}
