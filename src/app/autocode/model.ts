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

function kappaText(value: number | null): string {
  return value === null ? '' : value.toFixed(4);
}

/** The first pass over the corpus: the terms of the units people coded, and their codes as labels. */
async function readTrainingData(
  study: Study,
  codings: Codings,
  positionOfUnit: Int32Array,
): Promise<TrainingData> {
  const codeCount = study.codebook.codes.length;
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
  return data;
}

/**
 * Cross-fitting at each fraction of the training units (the learning curve); the probabilities at
 * the full fraction code the people's units, and their agreement with people is the coder's figure.
 */
function crossFitted(
  data: TrainingData,
  context: {
    study: Study;
    fold: Int32Array;
    settings: ModelOptions;
    groups: ReturnType<typeof exclusiveGroups>;
  },
): {
  learningCurve: LearningCurvePoint[];
  probabilities: Float64Array;
  agreement: ReturnType<typeof agreement>;
} {
  const { study, fold, settings, groups } = context;
  const codeCount = study.codebook.codes.length;
  const units = data.terms.length;
  const allCodes = study.codebook.codes.map((code) => code.index);
  const choose = (probabilities: Float64Array): number[][] =>
    Array.from({ length: units }, (_, unit) =>
      chooseCodes(probabilities.subarray(unit * codeCount, (unit + 1) * codeCount), groups),
    );
  const learningCurve: LearningCurvePoint[] = [];
  let full: Float64Array | undefined;
  for (const fraction of settings.learningCurve) {
    const probabilities = crossFit(data, fold, settings, fraction);
    const result = agreement(data, choose(probabilities), study.codebook, allCodes);
    learningCurve.push({
      trainingUnits: Math.round((fraction * units * (settings.folds - 1)) / settings.folds),
      pooledKappa: result.pooledKappa,
      codes: result.codes.map((row) => ({ code: row.code, kappa: row.kappa })),
    });
    if (fraction === 1) full = probabilities;
  }
  full ??= crossFit(data, fold, settings, 1);
  return {
    learningCurve,
    probabilities: full,
    agreement: agreement(data, choose(full), study.codebook, allCodes),
  };
}

/**
 * The second pass: every unit's codes — people's units from their cross-fitted probabilities, the
 * others from the model trained on all of them — with a memo saying which, and every probability.
 */
async function codeEveryUnit(
  study: Study,
  context: {
    positionOfUnit: Int32Array;
    crossFitted: Float64Array;
    predictor: Predictor;
    fold: ArrayLike<number>;
    groups: ReturnType<typeof exclusiveGroups>;
  },
): Promise<{
  codings: Codings;
  memos: Map<number, string>;
  probabilities: Float32Array;
  codedByFullModel: number;
}> {
  const { positionOfUnit, crossFitted, predictor, fold, groups } = context;
  const codeCount = study.codebook.codes.length;
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
  return {
    codings: CodingsClass.fromSortedKeys(Float64Array.from(keys)),
    memos,
    probabilities,
    codedByFullModel,
  };
}

/** `NAME.probabilities.csv`: every unit's probability of every code, and the fold that held it out. */
function* probabilityLines(
  study: Study,
  positionOfUnit: Int32Array,
  fold: ArrayLike<number>,
  probabilities: Float32Array,
): Generator<string> {
  const codeCount = study.codebook.codes.length;
  yield csvLine(['unit_id', 'fold', ...study.codebook.codes.map((code) => code.id)]);
  for (let unitIndex = 0; unitIndex < study.units.size; unitIndex++) {
    const position = positionOfUnit[unitIndex]!;
    const cells = [study.units.idAt(unitIndex), position >= 0 ? String(fold[position]! + 1) : ''];
    for (let code = 0; code < codeCount; code++)
      cells.push(formatProbability(probabilities[unitIndex * codeCount + code]!));
    yield csvLine(cells);
  }
}

/** `NAME.learning-curve.csv`: κ per code and pooled at each number of training units. */
function learningCurveText(learningCurve: readonly LearningCurvePoint[]): string {
  const lines = [csvLine(['training_units', 'code', 'kappa'])];
  for (const point of learningCurve) {
    lines.push(csvLine([String(point.trainingUnits), '(pooled)', kappaText(point.pooledKappa)]));
    for (const row of point.codes)
      lines.push(csvLine([String(point.trainingUnits), row.code, kappaText(row.kappa)]));
  }
  return lines.join('');
}

/** What `annotations/NAME.autocode.json` records of a model coder: its settings, data and agreement. */
function modelRecord(
  study: Study,
  options: ModelCoderOptions,
  fit: {
    settings: ModelOptions;
    source: string;
    trainingUnits: number;
    vocabulary: number;
    codedByFullModel: number;
    learningCurve: readonly LearningCurvePoint[];
    agreement: ReturnType<typeof agreement>;
  },
): Record<string, unknown> {
  return {
    coder: options.coder,
    method: 'model',
    codebook: study.codebookFile,
    codebook_hash: study.codebook.hash,
    parameters: {
      classifier: 'L2-regularised logistic regression per code, truncated Newton to |gradient| < 1e-10',
      features: 'tf-idf (smooth idf, L2 norm) of case-folded Intl.Segmenter words and adjacent word pairs',
      min_document_frequency: fit.settings.minDocumentFrequency,
      max_terms: fit.settings.maxTerms,
      C: options.regularisation,
      folds: fit.settings.folds,
      seed: fit.settings.seed,
      threshold: 0.5,
    },
    trained_on: fit.source,
    training_units: fit.trainingUnits,
    vocabulary: fit.vocabulary,
    units: study.units.size,
    coded_by_full_model: fit.codedByFullModel,
    cross_fitted: {
      pooled_kappa: fit.agreement.pooledKappa,
      codes: fit.agreement.codes.map((row) => ({ code: row.code, kappa: row.kappa, table: row.table })),
    },
    learning_curve: fit.learningCurve.map((point) => ({
      training_units: point.trainingUnits,
      pooled_kappa: point.pooledKappa,
    })),
    files: {
      probabilities: `${options.coder}.probabilities.csv`,
      learning_curve: `${options.coder}.learning-curve.csv`,
    },
  };
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
  const positionOfUnit = new Int32Array(study.units.size).fill(-1);
  for (let position = 0; position < codings.size; position++)
    positionOfUnit[codings.units[position]!] = position;

  const data = await readTrainingData(study, codings, positionOfUnit);
  const groups = exclusiveGroups(study.codebook);
  const fold = assignFolds(codings.size, settings.folds, settings.seed);
  const fitted = crossFitted(data, { study, fold, settings, groups });
  const everything = trainModel(
    data,
    Array.from({ length: codings.size }, (_, index) => index),
    settings,
  );
  const coded = await codeEveryUnit(study, {
    positionOfUnit,
    crossFitted: fitted.probabilities,
    predictor: new Predictor(everything),
    fold,
    groups,
  });
  const { learningCurve, agreement: finalAgreement } = fitted;
  const backup = await (options.sink ?? writeMachineCoder)(study, {
    coder: options.coder,
    codings: coded.codings,
    memos: coded.memos,
    record: modelRecord(study, options, {
      settings,
      source,
      trainingUnits: codings.size,
      vocabulary: everything.vocabulary.terms.length,
      codedByFullModel: coded.codedByFullModel,
      learningCurve,
      agreement: finalAgreement,
    }),
    sideFiles: new Map<string, string | Iterable<string>>([
      [
        `${options.coder}.probabilities.csv`,
        probabilityLines(study, positionOfUnit, fold, coded.probabilities),
      ],
      [`${options.coder}.learning-curve.csv`, learningCurveText(learningCurve)],
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
    codedByFullModel: coded.codedByFullModel,
    vocabulary: everything.vocabulary.terms.length,
    crossFitted: { pooledKappa: finalAgreement.pooledKappa, codes: finalAgreement.codes },
    learningCurve,
  };
}
