import { type Command, Option } from 'commander';
import { autocodeDictionary, type DictionaryResult } from '../../app/autocode/dictionary.js';
import { autocodeModel, type ModelCoderResult } from '../../app/autocode/model.js';
import { autocodeMethods } from '../../app/autocode/store.js';
import { UsageError } from '../../errors.js';
import { addWorkspaceOption, parseInteger, parseNumber, writesWorkspace } from '../common.js';
import { count, renderTable, visibleLine, writeErr, writeOut } from '../output.js';

interface AutocodeFlags {
  workspace?: string;
  method: (typeof autocodeMethods)[number];
  as: string;
  ignoreAccents?: boolean;
  train?: string;
  folds: number;
  seed: number;
  c: number;
  format: string;
}

function kappaText(value: number | null): string {
  return value === null ? 'undefined' : value.toFixed(3);
}

function printModel(result: ModelCoderResult, format: string): void {
  if (format === 'json') {
    writeOut(
      `${JSON.stringify(
        {
          coder: result.coder,
          method: 'model',
          file: result.file,
          backup: result.backup ?? null,
          trained_on: result.trainedOn,
          training_units: result.trainingUnits,
          coded_by_full_model: result.codedByFullModel,
          vocabulary: result.vocabulary,
          cross_fitted: {
            pooled_kappa: result.crossFitted.pooledKappa,
            codes: result.crossFitted.codes,
          },
          learning_curve: result.learningCurve.map((point) => ({
            training_units: point.trainingUnits,
            pooled_kappa: point.pooledKappa,
            codes: point.codes,
          })),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const sizes = result.learningCurve.map((point) => point.trainingUnits);
  writeOut(
    renderTable(
      ['code', 'both', 'people only', 'machine only', 'κ', ...sizes.map((size) => `κ @${size}`)],
      result.crossFitted.codes.map((row, index) => [
        row.code,
        row.table[0][0],
        row.table[0][1],
        row.table[1][0],
        kappaText(row.kappa),
        ...result.learningCurve.map((point) => kappaText(point.codes[index]!.kappa)),
      ]),
      { right: new Set([1, 2, 3, 4, ...sizes.map((_, index) => 5 + index)]) },
    ),
  );
  writeOut(
    `pooled κ, cross-fitted: ${kappaText(result.crossFitted.pooledKappa)}; learning curve (training units → pooled κ): ${result.learningCurve.map((point) => `${point.trainingUnits} → ${kappaText(point.pooledKappa)}`).join(', ')}\n`,
  );
  writeErr(
    `model coder ${visibleLine(result.coder)}: learnt from ${result.trainingUnits} units (${visibleLine(result.trainedOn)}, ${result.vocabulary} terms); they are coded cross-fitted, and ${count(result.codedByFullModel, 'other unit')} by the model on all of them → ${visibleLine(result.file)}\n`,
  );
  if (result.backup) writeErr(`the previous codes are in ${visibleLine(result.backup)}\n`);
}

function printDictionary(result: DictionaryResult, format: string): void {
  if (format === 'json') {
    writeOut(
      `${JSON.stringify(
        {
          coder: result.coder,
          method: 'dictionary',
          file: result.file,
          backup: result.backup ?? null,
          units: result.units,
          coded_units: result.codedUnits,
          exclusive_conflicts: result.exclusiveConflicts,
          codes: result.perCode,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  writeOut(
    renderTable(
      ['code', 'units'],
      result.perCode.map((row) => [row.code, row.units]),
      { right: new Set([1]) },
    ),
  );
  writeErr(
    `dictionary coder ${visibleLine(result.coder)}: ${count(result.units, 'unit')} reviewed, ${result.codedUnits} given a code → ${visibleLine(result.file)}\n`,
  );
  if (result.exclusiveConflicts > 0)
    writeErr(
      `note: in ${count(result.exclusiveConflicts, 'unit')} an exclusive category matched more than one code; the first in codebook order was kept (the memo names the others)\n`,
    );
  if (result.backup) writeErr(`the previous codes are in ${visibleLine(result.backup)}\n`);
}

export function registerAutocode(program: Command): void {
  const command = program
    .command('autocode')
    .description(
      'code units by machine (dictionary patterns or a model learnt from people’s codes), stored as the annotations of a machine coder',
    )
    .addOption(
      new Option('--method <method>', 'how to code').choices([...autocodeMethods]).makeOptionMandatory(),
    )
    .requiredOption('--as <name>', 'the machine coder’s name: its codes go to annotations/NAME.csv')
    .option('--ignore-accents', 'dictionary: match "mexico" to "México" (accents ignored on both sides)')
    .option('--train <coder>', "model: learn from this coder's codes (default: the final codes)")
    .option('--folds <k>', 'model: cross-fitting folds', parseInteger('--folds', { min: 2, max: 50 }), 5)
    .option(
      '--seed <n>',
      'model: seed of the fold assignment',
      parseInteger('--seed', { min: 0, max: 4294967295 }),
      1,
    )
    .option(
      '--c <value>',
      'model: inverse L2 regularisation strength C (larger: less regularised)',
      parseNumber('--c', { min: 0, minExclusive: true }),
      10,
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    );
  addWorkspaceOption(command);
  writesWorkspace(command);
  command.addHelpText(
    'after',
    `
A machine coder is a coder like any other: merge, reliability, themes and report read its
annotations/NAME.csv. It never replaces a person's codes: NAME must be new, or a machine coder of the
same method (whose previous file is then kept in annotations/.backup/). annotations/NAME.autocode.json
records the method, its parameters and provenance.

Examples:
  coding autocode --method dictionary --as dictionary
  coding reliability --coders coder1,dictionary`,
  );
  command.action(async (flags: AutocodeFlags) => {
    const base = { cwd: process.cwd(), workspace: flags.workspace, coder: flags.as };
    if (flags.method === 'dictionary') {
      printDictionary(
        await autocodeDictionary({ ...base, ignoreAccents: flags.ignoreAccents === true }),
        flags.format,
      );
      return;
    }
    if (flags.method === 'model') {
      printModel(
        await autocodeModel({
          ...base,
          train: flags.train,
          folds: flags.folds,
          seed: flags.seed,
          regularisation: flags.c,
        }),
        flags.format,
      );
      return;
    }
    throw new UsageError('--method llm (the LLM coder) is not available in this version of coding', {
      hint: 'use --method dictionary or --method model.',
    });
  });
}
