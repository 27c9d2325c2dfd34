/**
 * The analysis data set that every report uses: each unit's final codes (adjudicated, else agreed,
 * else the primary coder's), or one coder's codes when a report is asked for one coder. The final
 * codes are people's: a machine coder (`coding autocode`) counts only when `coders.primary` names
 * it, and then only on the units no person coded, with its agreement with people measured.
 */

import path from 'node:path';
import type { Codings } from '../core/codings.js';
import { type FinalSource, finalCodes, withMachineCodes } from '../core/final.js';
import type { MachinePrimary } from '../core/machine-primary.js';
import { twoCoderReliability } from '../core/reliability.js';
import { didYouMean } from '../core/suggest.js';
import { InputError } from '../errors.js';
import { readAdjudication } from '../io/adjudication.js';
import { readCodings } from '../io/annotations.js';
import { adjudicationFile } from './adjudicate.js';
import { type AnnotationSet, loadAnnotationSet } from './annotation-set.js';
import { machineCoderFiles, machineCoders, recordedMethod } from './autocode/store.js';
import { headlineKappa } from './reliability.js';
import { loadCoder, openStudy, relativeTo } from './study.js';

export interface AnalysisData {
  set: AnnotationSet;
  codings: Codings;
  /** Where each unit's codes come from (parallel to codings.units); all `coder` for one coder. */
  sources: Array<FinalSource | 'coder'>;
  /** `final`, or the coder's name. */
  coder: string;
  /**
   * When `coders.primary` names a machine coder: who, its agreement with the people's final codes,
   * and how many units it coded alone. Absent otherwise (and for one coder's codes).
   */
  machinePrimary?: MachinePrimary | undefined;
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
  /** People's final codes only, even when `coders.primary` names a machine coder (what a model learns from). */
  humanOnly?: boolean | undefined;
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
  const study = set.study!;
  const machines = await machineCoders(study.workspace.paths.annotations);
  const people = set.coders.filter((coder) => !machines.includes(coder));
  const primary = study.workspace.config.coders.primary;
  const machinePrimary =
    primary !== undefined && machines.includes(primary) && options.humanOnly !== true ? primary : undefined;
  if (people.length === 0 && machinePrimary === undefined)
    throw new InputError(
      `only machine coders (${set.coders.join(', ')}) have annotations: the final codes are people's`,
      {
        hint: "import a person's work with coding import --coder NAME FILE, or name the machine coder as coders.primary in coding.yaml to use its codes where no person coded.",
      },
    );
  const ordered =
    primary !== undefined && people.includes(primary)
      ? [primary, ...people.filter((coder) => coder !== primary)]
      : people;
  const adjudicated = await readAdjudicated(set);
  const human = finalCodes(
    ordered.map((coder) => set.byCoder.get(coder)!.codings),
    primary !== undefined && people.includes(primary) ? 0 : -1,
    adjudicated,
  );
  if (machinePrimary === undefined)
    return { set, codings: human.codings, sources: human.sources, coder: 'final' };
  const machine =
    set.byCoder.get(machinePrimary)?.codings ?? (await loadCoder(study, machinePrimary))!.codings;
  const result = withMachineCodes(human, machine);
  return {
    set,
    codings: result.codings,
    sources: result.sources,
    coder: 'final',
    machinePrimary: await validation(set, machinePrimary, human.codings, machine, result.codings.size),
  };
}

/** The adjudicated units' final codes (unit index → sorted code indices), checked against corpus and codebook. */
async function readAdjudicated(set: AnnotationSet): Promise<Map<number, number[]>> {
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
  return adjudicated;
}

/**
 * The machine primary's validation: the study's overall κ (`reliability.overall`) of the machine
 * coder against the people's final codes, on the units both cover — the codes it stands in for.
 * A model coder's stored codes on people's units are cross-fitted, so this κ is out of sample.
 */
async function validation(
  set: AnnotationSet,
  coder: string,
  people: Codings,
  machine: Codings,
  finalUnits: number,
): Promise<MachinePrimary> {
  const workspace = set.study!.workspace;
  const report = twoCoderReliability(['final', coder], people, machine, set.codebook, {
    overall: workspace.config.reliability.overall,
  });
  const overall = report.overall;
  const definition =
    overall?.definition ??
    (workspace.config.reliability.overall === 'nominal' || set.codebook.exclusive ? 'nominal' : 'pooled');
  const method = await recordedMethod(machineCoderFiles(workspace.paths.annotations, coder).record);
  return {
    coder,
    method: method ?? 'machine',
    kappa: headlineKappa(report),
    definition,
    n: report.n_units,
    ...(overall?.kappa === null && overall.reasons['kappa'] !== undefined
      ? { reason: overall.reasons['kappa'] }
      : {}),
    machine_units: finalUnits - people.size,
    final_units: finalUnits,
  };
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
