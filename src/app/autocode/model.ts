/**
 * `coding autocode --method model --as NAME`: learn each code from the units people coded (the
 * final codes, or `--train CODER`), code those units by cross-fitting (each from a model that did
 * not see it) and every other unit with a model trained on all of them.
 *
 * Besides the coder's annotations it writes `annotations/NAME.probabilities.csv` (every unit's
 * probability of every code, and the fold that held it out) and `annotations/NAME.learning-curve.csv`.
 */
import { exclusiveGroups } from '../../core/autocode/codebook-patterns.js';
import {
  type AgreementRow,
  agreement,
  assignFolds,
  chooseCodes,
  crossFit,
  defaultModelOptions,
  type ModelOptions,
  Predictor,
  type TrainingData,
  trainModel,
} from '../../core/autocode/model.js';
import { terms, words } from '../../core/autocode/tokenise.js';
import type { Codings } from '../../core/codings.js';
import { Codings as CodingsClass, packKey } from '../../core/codings.js';
import { InputError, UsageError } from '../../errors.js';
import { csvLine } from '../../io/csv-write.js';
import { loadAnalysisData } from '../final.js';
import { loadCoder, openStudy, relativeTo, type Study } from '../study.js';
import {
  checkMachineCoder,
  type MachineCoderSink,
  machineCoderFiles,
  machineCoders,
  writeMachineCoder,
} from './store.js';
import { unitTexts } from './units.js';

export interface ModelCoderOptions {
  cwd: string;
  workspace?: string | undefined;
  coder: string;
  /** Learn from this coder's codes instead of the final codes. */
  train?: string | undefined;
  folds: number;
  seed: number;
  /** Inverse regularisation strength C. */
  regularisation: number;
  /** Where the output goes (default: written to the workspace; `coding reproduce` compares instead). */
  sink?: MachineCoderSink | undefined;
}

export interface LearningCurvePoint {
  /** Training units per model (the mean over the folds, rounded). */
  trainingUnits: number;
  pooledKappa: number | null;
  codes: Array<{ code: string; kappa: number | null }>;
}

export interface ModelCoderResult {
  coder: string;
  file: string;
  backup?: string | undefined;
  trainedOn: string;
  trainingUnits: number;
  codedByFullModel: number;
  vocabulary: number;
  crossFitted: { pooledKappa: number | null; codes: AgreementRow[] };
  learningCurve: LearningCurvePoint[];
}

/** The units people coded, and where their codes come from. */
async function trainingCodings(
  study: Study,
  options: ModelCoderOptions,
): Promise<{ codings: Codings; source: string }> {
  const machines = await machineCoders(study.workspace.paths.annotations);
  if (options.train !== undefined) {
    if (machines.includes(options.train))
      throw new UsageError(
        `coder "${options.train}" is a machine coder: the model learns from people's codes`,
      );
    const loaded = await loadCoder(study, options.train);
    return { codings: loaded!.codings, source: `coder ${options.train}` };
  }
  // People's final codes: a machine coder named primary (even this one) is left out.
  const data = await loadAnalysisData({ cwd: options.cwd, workspace: options.workspace, humanOnly: true });
  return { codings: data.codings, source: "people's final codes" };
}

function formatProbability(value: number): string {
  return value.toFixed(6);
}

export async function autocodeModel(options: ModelCoderOptions): Promise<ModelCoderResult> {
  const study = await openStudy(options);
  await checkMachineCoder(study, options.coder, 'model');
  const { codings, source } = await trainingCodings(study, options);
  if (codings.size < 2 * options.folds)
    throw new InputError(
      `the model needs at least ${2 * options.folds} coded units to learn from with ${options.folds} folds; ${source} cover ${codings.size}`,
      { hint: 'code more units first (coding sample, coding code), or lower --folds.' },
    );
  const settings: ModelOptions = {
    ...defaultModelOptions,
    folds: options.folds,
    seed: options.seed,
    logistic: { ...defaultModelOptions.logistic, inverseRegularisation: options.regularisation },
  };
  const codeCount = study.codebook.codes.length;
  const positionOfUnit = new Int32Array(study.units.size).fill(-1);
  for (let position = 0; position < codings.size; position++)
    positionOfUnit[codings.units[position]!] = position;

  // First pass: the terms of the units people coded.
  const data: TrainingData = {
    terms: new Array<string[]>(codings.size),
    labels: Array.from({ length: codeCount }, () => new Uint8Array(codings.size)),
  };
  for (let position = 0; position < codings.size; position++)
    // A grouping code (codable: false) is never given: a person's file that has one is not learnt from.
    for (const code of codings.codesAt(position))
      if (study.codebook.codes[code]!.codable) data.labels[code]![position] = 1;
  let found = 0;
  for await (const unit of unitTexts(study)) {
    const position = positionOfUnit[unit.unitIndex]!;
    if (position < 0) continue;
    (data.terms as string[][])[position] = terms(unit.text, unit.language);
    // The rest of the corpus is read in the second pass anyway.
    if (++found === codings.size) break;
  }

  const groups = exclusiveGroups(study.codebook);
  const fold = assignFolds(codings.size, settings.folds, settings.seed);
  const allCodes = study.codebook.codes.map((code) => code.index);
  const learningCurve: LearningCurvePoint[] = [];
  let crossFitted: Float64Array | undefined;
  for (const fraction of settings.learningCurve) {
    const probabilities = crossFit(data, fold, settings, fraction);
    const chosen = Array.from({ length: codings.size }, (_, unit) =>
      chooseCodes(probabilities.subarray(unit * codeCount, (unit + 1) * codeCount), groups),
    );
    const result = agreement(data, chosen, study.codebook, allCodes);
    learningCurve.push({
      trainingUnits: Math.round((fraction * codings.size * (settings.folds - 1)) / settings.folds),
      pooledKappa: result.pooledKappa,
      codes: result.codes.map((row) => ({ code: row.code, kappa: row.kappa })),
    });
    if (fraction === 1) crossFitted = probabilities;
  }
  crossFitted ??= crossFit(data, fold, settings, 1);
  const finalAgreement = agreement(
    data,
    Array.from({ length: codings.size }, (_, unit) =>
      chooseCodes(crossFitted!.subarray(unit * codeCount, (unit + 1) * codeCount), groups),
    ),
    study.codebook,
    allCodes,
  );

  // Second pass: the model on every coded unit codes the others.
  const everything = trainModel(
    data,
    Array.from({ length: codings.size }, (_, index) => index),
    settings,
  );
  const predictor = new Predictor(everything);
  const probabilities = new Float32Array(study.units.size * codeCount);
  const keys: number[] = [];
  const memos = new Map<number, string>();
  // One string per distinct memo (a probability to 3 decimals and how it was made): not one per row.
  const memoTexts = new Map<string, string>();
  let codedByFullModel = 0;
  for await (const unit of unitTexts(study)) {
    const position = positionOfUnit[unit.unitIndex]!;
    const row =
      position >= 0
        ? crossFitted.subarray(position * codeCount, (position + 1) * codeCount)
        : predictor.predict(words(unit.text, unit.language));
    if (position < 0) codedByFullModel++;
    probabilities.set(row, unit.unitIndex * codeCount);
    const chosen = chooseCodes(row, groups);
    if (chosen.length === 0) keys.push(packKey(unit.unitIndex, -1));
    const how =
      position >= 0 ? `cross-fitted, fold ${fold[position]! + 1} held out` : 'model on all coded units';
    for (const code of chosen) {
      const key = packKey(unit.unitIndex, code);
      keys.push(key);
      const memo = `model: p = ${row[code]!.toFixed(3)} (${how})`;
      let shared = memoTexts.get(memo);
      if (shared === undefined) {
        shared = memo;
        memoTexts.set(memo, memo);
      }
      memos.set(key, shared);
    }
  }
  const machineCodings = CodingsClass.fromSortedKeys(Float64Array.from(keys));
  const codeIds = study.codebook.codes.map((code) => code.id);
  function* probabilityLines(): Generator<string> {
    yield csvLine(['unit_id', 'fold', ...codeIds]);
    for (let unitIndex = 0; unitIndex < study.units.size; unitIndex++) {
      const position = positionOfUnit[unitIndex]!;
      const cells = [study.units.idAt(unitIndex), position >= 0 ? String(fold[position]! + 1) : ''];
      for (let code = 0; code < codeCount; code++)
        cells.push(formatProbability(probabilities[unitIndex * codeCount + code]!));
      yield csvLine(cells);
    }
  }
  const curveLines = [csvLine(['training_units', 'code', 'kappa'])];
  for (const point of learningCurve) {
    curveLines.push(csvLine([String(point.trainingUnits), '(pooled)', kappaText(point.pooledKappa)]));
    for (const row of point.codes)
      curveLines.push(csvLine([String(point.trainingUnits), row.code, kappaText(row.kappa)]));
  }
  const backup = await (options.sink ?? writeMachineCoder)(study, {
    coder: options.coder,
    codings: machineCodings,
    memos,
    record: {
      coder: options.coder,
      method: 'model',
      codebook: study.codebookFile,
      codebook_hash: study.codebook.hash,
      parameters: {
        classifier: 'L2-regularised logistic regression per code, truncated Newton to |gradient| < 1e-10',
        features: 'tf-idf (smooth idf, L2 norm) of case-folded Intl.Segmenter words and adjacent word pairs',
        min_document_frequency: settings.minDocumentFrequency,
        max_terms: settings.maxTerms,
        C: options.regularisation,
        folds: settings.folds,
        seed: settings.seed,
        threshold: 0.5,
      },
      trained_on: source,
      training_units: codings.size,
      vocabulary: everything.vocabulary.terms.length,
      units: study.units.size,
      coded_by_full_model: codedByFullModel,
      cross_fitted: {
        pooled_kappa: finalAgreement.pooledKappa,
        codes: finalAgreement.codes.map((row) => ({ code: row.code, kappa: row.kappa, table: row.table })),
      },
      learning_curve: learningCurve.map((point) => ({
        training_units: point.trainingUnits,
        pooled_kappa: point.pooledKappa,
      })),
      files: {
        probabilities: `${options.coder}.probabilities.csv`,
        learning_curve: `${options.coder}.learning-curve.csv`,
      },
    },
    sideFiles: new Map<string, string | Iterable<string>>([
      [`${options.coder}.probabilities.csv`, probabilityLines()],
      [`${options.coder}.learning-curve.csv`, curveLines.join('')],
    ]),
  });
  return {
    coder: options.coder,
    file: relativeTo(
      study.workspace,
      machineCoderFiles(study.workspace.paths.annotations, options.coder).csv,
    ),
    backup,
    trainedOn: source,
    trainingUnits: codings.size,
    codedByFullModel,
    vocabulary: everything.vocabulary.terms.length,
    crossFitted: { pooledKappa: finalAgreement.pooledKappa, codes: finalAgreement.codes },
    learningCurve,
  };
}

function kappaText(value: number | null): string {
  return value === null ? '' : value.toFixed(4);
}
