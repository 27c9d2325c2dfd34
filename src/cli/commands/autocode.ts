import { type Command, Option } from 'commander';
import { autocodeDictionary, type DictionaryResult } from '../../app/autocode/dictionary.js';
import { autocodeLlm } from '../../app/autocode/llm.js';
import { autocodeModel, type ModelCoderResult } from '../../app/autocode/model.js';
import { autocodeMethods } from '../../app/autocode/store.js';
import { UsageError } from '../../errors.js';
import { printLlm } from '../autocode-llm-output.js';
import { addWorkspaceOption, parseInteger, parseNumber, writesWorkspace } from '../common.js';
import { count, renderTable, visibleLine, writeErr, writeOut } from '../output.js';

interface AutocodeFlags {
  workspace?: string;
  method: (typeof autocodeMethods)[number];
  as: string;
  ignoreAccents?: boolean;
  train?: string;
  folds: number;
  seed?: number;
  c: number;
  format: string;
  endpoint?: string;
  model?: string;
  apiKeyEnv: string;
  context: number;
  temperature: number;
  concurrency: number;
  rate?: number;
  retries: number;
  timeout: number;
  runs: number;
  dryRun?: boolean;
  offline?: boolean;
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
      'code units by machine (dictionary patterns, a model learnt from people’s codes, or a language model), stored as the annotations of a machine coder',
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
      'model: seed of the fold assignment (default 1); llm: the seed sent with each request, run k sending seed + k − 1 (default: reliability.seed of coding.yaml)',
      parseInteger('--seed', { min: 0, max: 4294967295 }),
    )
    .option(
      '--c <value>',
      'model: inverse L2 regularisation strength C (larger: less regularised)',
      parseNumber('--c', { min: 0, minExclusive: true }),
      10,
    )
    .option('--endpoint <url>', 'llm: base URL of an OpenAI-compatible API (POST URL/chat/completions)')
    .option('--model <name>', 'llm: the model to ask, as the server names it')
    .option(
      '--api-key-env <variable>',
      'llm: environment variable holding the API key (unset: no Authorization header)',
      'OPENAI_API_KEY',
    )
    .option(
      '--context <n>',
      'llm: units before and after the unit (same document) shown as context',
      parseInteger('--context', { min: 0, max: 20 }),
      0,
    )
    .option(
      '--temperature <t>',
      'llm: sampling temperature',
      parseNumber('--temperature', { min: 0, max: 2 }),
      0,
    )
    .option(
      '--concurrency <n>',
      'llm: requests at once',
      parseInteger('--concurrency', { min: 1, max: 64 }),
      4,
    )
    .option(
      '--rate <n>',
      'llm: at most N requests a minute (default: no limit)',
      parseNumber('--rate', { min: 0, minExclusive: true }),
    )
    .option(
      '--retries <n>',
      'llm: retries of a failed request or invalid answer',
      parseInteger('--retries', { min: 0, max: 20 }),
      3,
    )
    .option(
      '--timeout <seconds>',
      'llm: seconds to wait for an answer',
      parseNumber('--timeout', { min: 0, minExclusive: true }),
      60,
    )
    .option(
      '--runs <n>',
      'llm: code everything N times, as coders NAME-r1 … NAME-rN',
      parseInteger('--runs', { min: 1, max: 20 }),
      1,
    )
    .option(
      '--dry-run',
      'llm: print the prompt of the first unit and the requests and tokens a run needs; send and write nothing',
    )
    .option('--offline', 'llm: answers from the cache only; fail when one is missing')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    );
  addWorkspaceOption(command);
  writesWorkspace(command, (flags) => flags['dryRun'] !== true);
  command.addHelpText(
    'after',
    `
A machine coder is a coder like any other: merge, reliability, themes and report read its
annotations/NAME.csv. It never replaces a person's codes: NAME must be new, or a machine coder of the
same method (whose previous file is then kept in annotations/.backup/). annotations/NAME.autocode.json
records the method, its parameters and provenance.

The LLM coder asks a model behind any OpenAI-compatible chat-completions endpoint (Ollama,
llama.cpp's server, vLLM, a hosted API); the key is read from the environment variable named by
--api-key-env and written nowhere. Every answer is kept in annotations/llm-cache.jsonl: running the
command again asks only for what is missing, and coding reproduce codes again from the cache.

Examples:
  coding autocode --method dictionary --as dictionary
  coding reliability --coders coder1,dictionary
  coding autocode --method llm --as llama --endpoint http://localhost:11434/v1 --model llama3.1 --dry-run
  coding autocode --method llm --as llama --endpoint http://localhost:11434/v1 --model llama3.1 --runs 3`,
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
          seed: flags.seed ?? 1,
          regularisation: flags.c,
        }),
        flags.format,
      );
      return;
    }
    if (flags.model === undefined)
      throw new UsageError('--method llm needs --model NAME', {
        hint: 'name the model as the server knows it, e.g. --model llama3.1 for Ollama.',
      });
    const showProgress = process.stderr.isTTY === true;
    const result = await autocodeLlm({
      ...base,
      endpoint: flags.endpoint,
      model: flags.model,
      apiKeyEnv: flags.apiKeyEnv,
      apiKey: process.env[flags.apiKeyEnv] || undefined,
      context: flags.context,
      temperature: flags.temperature,
      seed: flags.seed,
      concurrency: flags.concurrency,
      rate: flags.rate,
      retries: flags.retries,
      timeoutSeconds: flags.timeout,
      runs: flags.runs,
      dryRun: flags.dryRun === true,
      offline: flags.offline === true,
      onProgress: showProgress
        ? (done, total, failed) =>
            writeErr(`\r  ${done} of ${total} requests done${failed > 0 ? `, ${failed} failed` : ''}…`)
        : undefined,
    });
    if (showProgress) writeErr('\r\x1b[K');
    const exitCode = printLlm(result, flags.format);
    if (exitCode !== 0) process.exitCode = exitCode;
  });
}
