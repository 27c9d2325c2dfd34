/**
 * The analysis data set that every report uses: each unit's final codes (adjudicated, else agreed,
 * else the primary coder's), or one coder's codes when a report is asked for one coder.
 */

import path from 'node:path';
import type { Codings } from '../core/codings.js';
import { type FinalSource, finalCodes } from '../core/final.js';
import { didYouMean } from '../core/suggest.js';
import { InputError } from '../errors.js';
import { readAdjudication } from '../io/adjudication.js';
import { readCodings } from '../io/annotations.js';
import { adjudicationFile } from './adjudicate.js';
import { type AnnotationSet, loadAnnotationSet } from './annotation-set.js';
import { openStudy, relativeTo } from './study.js';

export interface AnalysisData {
  set: AnnotationSet;
  codings: Codings;
  /** Where each unit's codes come from (parallel to codings.units); all `coder` for one coder. */
  sources: Array<FinalSource | 'coder'>;
  /** `final`, or the coder's name. */
  coder: string;
}

export interface AnalysisOptions {
  cwd: string;
  workspace?: string | undefined;
  /** One coder's codes instead of the final ones. */
  coder?: string | undefined;
  /**
   * Codes from a file instead (long `unit_id,code`, wide, or with a `coder` column — then with
   * `coder` to choose one), on the workspace's corpus and codebook.
   */
  annotations?: string | undefined;
}

export async function loadAnalysisData(options: AnalysisOptions): Promise<AnalysisData> {
  if (options.annotations !== undefined) return loadFileData(options, options.annotations);
  if (options.coder !== undefined) {
    const set = await loadAnnotationSet({
      cwd: options.cwd,
      workspace: options.workspace,
      coders: [options.coder],
      minimumCoders: 1,
    });
    const { codings } = set.byCoder.get(options.coder)!;
    return {
      set,
      codings,
      sources: Array.from({ length: codings.size }, () => 'coder' as const),
      coder: options.coder,
    };
  }
  const set = await loadAnnotationSet({ cwd: options.cwd, workspace: options.workspace, minimumCoders: 1 });
  const primary = set.study!.workspace.config.coders.primary;
  const ordered =
    primary !== undefined && set.coders.includes(primary)
      ? [primary, ...set.coders.filter((coder) => coder !== primary)]
      : set.coders;
  const file = adjudicationFile(set);
  const adjudicated = new Map<number, number[]>();
  for (const record of await readAdjudication(file, relativeTo(set.study!.workspace, file))) {
    const unitIndex = set.units.indexOf(record.unitId);
    if (unitIndex < 0)
      throw new InputError(`the adjudication file names unit ${record.unitId}, which is not in the corpus`, {
        location: { file: relativeTo(set.study!.workspace, file) },
      });
    const codes = record.codes.map((id) => {
      const code = set.codebook.codeById.get(id);
      if (!code)
        throw new InputError(
          `the adjudication of unit ${record.unitId} uses code ${id}, which the codebook no longer has`,
          { location: { file: relativeTo(set.study!.workspace, file) } },
        );
      return code.index;
    });
    adjudicated.set(
      unitIndex,
      codes.sort((left, right) => left - right),
    );
  }
  const result = finalCodes(
    ordered.map((coder) => set.byCoder.get(coder)!.codings),
    primary !== undefined && set.coders.includes(primary) ? 0 : -1,
    adjudicated,
  );
  return { set, codings: result.codings, sources: result.sources, coder: 'final' };
}

/** Codes read from a file, checked against the workspace's corpus and codebook. */
async function loadFileData(options: AnalysisOptions, file: string): Promise<AnalysisData> {
  const study = await openStudy(options);
  const shownAs = file === '-' ? '<stdin>' : file;
  const name = file === '-' ? 'stdin' : path.basename(file, path.extname(file));
  const read = await readCodings({
    file: file === '-' ? '-' : path.resolve(options.cwd, file),
    shownAs,
    units: study.units,
    codebook: study.codebook,
    coder: options.coder ?? name,
  });
  if (read.findings.length > 0) {
    throw new InputError(`${shownAs} does not match the corpus and codebook`, { findings: read.findings });
  }
  const coders = [...read.byCoder.keys()];
  const coder = coders.length === 1 ? coders[0]! : options.coder;
  if (coder === undefined || !read.byCoder.has(coder)) {
    throw new InputError(
      coder === undefined
        ? `${shownAs} holds the codes of ${coders.length} coders (${coders.join(', ')}): choose one with --coder`
        : `${shownAs} has no codes of coder "${coder}"${didYouMean(coder, coders)}`,
      { hint: `the coders in the file: ${coders.join(', ')}` },
    );
  }
  const { codings, memos } = read.byCoder.get(coder)!;
  const set: AnnotationSet = {
    coders: [coder],
    byCoder: new Map([[coder, { codings, memos }]]),
    units: study.units,
    codebook: study.codebook,
    study,
    warnings: [],
  };
  return { set, codings, sources: Array.from({ length: codings.size }, () => 'coder' as const), coder };
}
