/**
 * `coding merge`: two coders side by side over the units both reviewed — each unit's codes from
 * each coder, whether they agree, and the disagreements in corpus order (document by document,
 * in reading order), ready for an adjudication meeting. The coders' files are only read.
 */
import { type CodeCounts, codesOnlyIn, comparePair, type PairSummary } from '../core/compare.js';
import { InputError } from '../errors.js';
import { type AnnotationSet, type AnnotationSetOptions, loadAnnotationSet } from './annotation-set.js';
import { iterateUnits } from './corpus.js';

export interface MergeRow {
  unit_id: string;
  doc_id: string;
  text: string;
  codes_a: string[];
  codes_b: string[];
  agree: boolean;
  only_a: string[];
  only_b: string[];
}

export interface CodeAgreement {
  code: string;
  label: string;
  both: number;
  only_a: number;
  only_b: number;
  neither: number;
  /** (both + neither) / n */
  agreement: number | null;
}

export interface Merge {
  set: AnnotationSet;
  coderA: string;
  coderB: string;
  summary: PairSummary;
  codes: CodeAgreement[];
  /** The units both coders reviewed, in corpus order (streamed; the texts are read as they come). */
  rows(options?: { disagreementsOnly?: boolean }): AsyncGenerator<MergeRow>;
}

export const mergeColumns = [
  'unit_id',
  'doc_id',
  'text',
  'coder_a',
  'codes_a',
  'coder_b',
  'codes_b',
  'agree',
  'only_a',
  'only_b',
] as const;

export async function mergeCoders(
  options: AnnotationSetOptions & { set?: AnnotationSet | undefined },
): Promise<Merge> {
  const set = options.set ?? (await loadAnnotationSet(options));
  if (set.coders.length !== 2) {
    throw new InputError(
      `merge compares two coders; there are ${set.coders.length} (${set.coders.join(', ')})`,
      {
        hint: 'name the two with --coders A,B.',
      },
    );
  }
  const [coderA, coderB] = set.coders as [string, string];
  const a = set.byCoder.get(coderA)!.codings;
  const b = set.byCoder.get(coderB)!.codings;
  const summary = comparePair(a, b, set.codebook.codes.length);
  if (summary.n === 0) {
    throw new InputError(`no unit was reviewed by both ${coderA} and ${coderB}`, {
      hint: 'the second coder codes the sample: coding sheet --coder NAME --sample, then coding import --coder NAME FILE.',
    });
  }
  const codes = set.codebook.codes.map((code, index): CodeAgreement => {
    const counts: CodeCounts = summary.perCode[index]!;
    return {
      code: code.id,
      label: code.label,
      both: counts.both,
      only_a: counts.onlyA,
      only_b: counts.onlyB,
      neither: counts.neither,
      agreement: summary.n === 0 ? null : (counts.both + counts.neither) / summary.n,
    };
  });
  const ids = (codes: Int32Array | number[]): string[] =>
    [...codes].map((code) => set.codebook.codes[code]!.id);
  const rowFor = (unitIndex: number, docId: string, text: string): MergeRow | undefined => {
    const positionA = a.positionOf(unitIndex);
    const positionB = b.positionOf(unitIndex);
    if (positionA < 0 || positionB < 0) return undefined;
    const codesA = a.codesAt(positionA);
    const codesB = b.codesAt(positionB);
    const onlyA = codesOnlyIn(codesA, codesB);
    const onlyB = codesOnlyIn(codesB, codesA);
    return {
      unit_id: set.units.idAt(unitIndex),
      doc_id: docId,
      text,
      codes_a: ids(codesA),
      codes_b: ids(codesB),
      agree: onlyA.length === 0 && onlyB.length === 0,
      only_a: ids(onlyA),
      only_b: ids(onlyB),
    };
  };
  /** Whether a unit is in the table: reviewed by both (and, when asked, coded differently). */
  const wanted = (unitIndex: number, disagreementsOnly: boolean): boolean => {
    const positionA = a.positionOf(unitIndex);
    const positionB = b.positionOf(unitIndex);
    if (positionA < 0 || positionB < 0) return false;
    if (!disagreementsOnly) return true;
    const codesA = a.codesAt(positionA);
    const codesB = b.codesAt(positionB);
    return codesOnlyIn(codesA, codesB).length > 0 || codesOnlyIn(codesB, codesA).length > 0;
  };
  async function* rows(rowOptions: { disagreementsOnly?: boolean } = {}): AsyncGenerator<MergeRow> {
    const only = rowOptions.disagreementsOnly === true;
    if (set.study) {
      // The corpus yields only the units wanted, so units outside the table cost no text.
      for await (const unit of iterateUnits({
        cwd: set.study.workspace.root,
        workspace: set.study.workspace.root,
        filter: (unitIndex) => wanted(unitIndex, only),
      })) {
        const row = rowFor(set.units.indexOf(unit.unit_id), unit.doc_id, unit.text);
        if (row) yield row;
      }
      return;
    }
    for (let unitIndex = 0; unitIndex < set.units.size; unitIndex++) {
      if (!wanted(unitIndex, only)) continue;
      const row = rowFor(unitIndex, '', '');
      if (row) yield row;
    }
  }
  return { set, coderA, coderB, summary, codes, rows };
}
