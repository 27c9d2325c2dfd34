/**
 * `coding autocode --method llm --as NAME --endpoint URL --model MODEL`: every unit coded by a
 * language model behind an OpenAI-compatible chat-completions endpoint, prompted with the codebook
 * (src/core/autocode/llm-prompt.ts). Answers come from the workspace's cache
 * (annotations/llm-cache.jsonl) when it has them and are asked for otherwise, so a killed run
 * resumes without asking twice and `coding reproduce` codes again from the cache alone.
 *
 * A unit whose answer failed after the retries is written nowhere: it is "not reviewed" (missing),
 * never "reviewed, no code"; the record lists it and the command exits 1, and running the same
 * command again asks only for the failed units.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  checkAnswer,
  estimateTokens,
  promptMessages,
  promptTemplateHash,
  promptTemplateVersion,
  systemMessage,
} from '../../core/autocode/llm-prompt.js';
import { Codings, packKey } from '../../core/codings.js';
import { sha256 } from '../../core/hash.js';
import { InputError, UsageError } from '../../errors.js';
import { type CacheEntry, LlmCacheWriter, llmCacheFileName, readLlmCache } from '../../io/llm-cache.js';
import { chatCompletionsUrl } from '../../io/llm-http.js';
import { openStudy, relativeTo, type Study } from '../study.js';
import { humanAgreement, type LlmAgreement, type RunStability, runStability } from './llm-agreement.js';
import { type LlmTask, type RequestFailure, type RequestTally, requestAnswers } from './llm-requests.js';
import { type PromptedUnit, promptedUnits, type RunSettings, unitKey } from './llm-units.js';
import {
  checkMachineCoder,
  compareMachineCoder,
  type MachineCoderOutput,
  machineCoderFiles,
  writeMachineCoder,
} from './store.js';

export interface LlmCoderOptions {
  cwd: string;
  workspace?: string | undefined;
  coder: string;
  /** Base URL of the server's OpenAI-compatible API; not needed offline or for a dry run. */
  endpoint?: string | undefined;
  model: string;
  /** Name of the environment variable holding the key (for messages; never its value). */
  apiKeyEnv: string;
  apiKey?: string | undefined;
  context: number;
  temperature: number;
  /** Default: reliability.seed of coding.yaml. */
  seed?: number | undefined;
  concurrency: number;
  rate?: number | undefined;
  retries: number;
  timeoutSeconds: number;
  runs: number;
  dryRun: boolean;
  /** Answers from the cache only; a missing answer is an error. */
  offline: boolean;
  /** Called as each request ends (answered or failed), for a line of progress. */
  onProgress?: ((done: number, total: number, failed: number) => void) | undefined;
}

export interface LlmRunResult {
  coder: string;
  run: number;
  seed: number;
  /** Undefined when the run got no answer at all (nothing written). */
  file?: string | undefined;
  backup?: string | undefined;
  units: number;
  codedUnits: number;
  failedUnits: number;
  perCode: Array<{ code: string; units: number }>;
  agreement: LlmAgreement[];
}

export interface LlmCoderResult {
  dryRun: false;
  model: string;
  endpointHost: string | null;
  calls: number;
  cacheHits: number;
  /** Tokens of the requests made now (cached answers cost nothing). */
  promptTokens: number;
  completionTokens: number;
  responseFormat: string;
  formatFallback?: string | undefined;
  runs: LlmRunResult[];
  failures: RequestFailure[];
  stability?: RunStability | undefined;
  tornCacheLine: boolean;
}

export interface LlmDryRun {
  dryRun: true;
  model: string;
  coders: string[];
  unitId: string;
  messages: Array<{ role: string; content: string }>;
  units: number;
  runs: number;
  cacheHits: number;
  calls: number;
  /** About four characters a token: an estimate, not the server's count. */
  estimatedPromptTokens: number;
}

/** The coders of `--runs N`: NAME alone, or NAME-r1 … NAME-rN (a coder name cannot hold a dot). */
export function runCoderNames(coder: string, runs: number): string[] {
  return runs === 1 ? [coder] : Array.from({ length: runs }, (_, index) => `${coder}-r${index + 1}`);
}

/** The host of the endpoint, which is all the record keeps of it (no path, query or credentials). */
export function endpointHost(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint ${endpoint} is not a URL`, {
      hint: 'give the base URL of the API, e.g. --endpoint http://localhost:11434/v1',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--endpoint must be an http or https URL, not ${url.protocol}`);
  return url.host;
}

export function cachePath(study: Study): string {
  return path.join(study.workspace.paths.annotations, llmCacheFileName);
}

interface Plan {
  study: Study;
  coders: string[];
  units: PromptedUnit[];
  system: string;
  systemSha256: string;
  runs: RunSettings[];
  cache: Map<string, CacheEntry>;
  tornLine: boolean;
  tasks: LlmTask[];
  /** Coder → the endpoint host its previous record names (kept when coding again offline). */
  previousHosts: Map<string, string>;
}

async function previousEndpointHost(recordFile: string): Promise<string | undefined> {
  try {
    const record = JSON.parse(await fs.readFile(recordFile, 'utf8')) as {
      method?: unknown;
      endpoint_host?: unknown;
    };
    return record.method === 'llm' && typeof record.endpoint_host === 'string'
      ? record.endpoint_host
      : undefined;
  } catch {
    return undefined;
  }
}

async function plan(options: LlmCoderOptions): Promise<Plan> {
  const study = await openStudy(options);
  const coders = runCoderNames(options.coder, options.runs);
  if (!options.dryRun) for (const coder of coders) await checkMachineCoder(study, coder, 'llm');
  const baseSeed = options.seed ?? study.workspace.config.reliability.seed;
  const runs = coders.map((_, index) => ({
    model: options.model,
    temperature: options.temperature,
    seed: baseSeed + index,
    run: index + 1,
  }));
  const units = await promptedUnits(study, options.context);
  const system = systemMessage(study.codebook);
  const systemSha256 = sha256(system);
  const { entries: cache, tornLine } = await readLlmCache(
    cachePath(study),
    relativeTo(study.workspace, cachePath(study)),
  );
  const tasks: LlmTask[] = [];
  for (const settings of runs)
    for (const unit of units) {
      const key = unitKey(study, unit, settings);
      if (cache.has(key)) continue;
      tasks.push({
        key,
        unitIndex: unit.unitIndex,
        unitId: unit.unitId,
        run: settings.run,
        seed: settings.seed,
        messages: promptMessages(system, unit),
        systemSha256,
      });
    }
  const previousHosts = new Map<string, string>();
  for (const coder of coders) {
    const host = await previousEndpointHost(
      machineCoderFiles(study.workspace.paths.annotations, coder).record,
    );
    if (host !== undefined) previousHosts.set(coder, host);
  }
  return { study, coders, units, system, systemSha256, runs, cache, tornLine, tasks, previousHosts };
}

function dryRunOf(options: LlmCoderOptions, planned: Plan): LlmDryRun {
  const first = planned.units[0]!;
  const messages = promptMessages(planned.system, first);
  return {
    dryRun: true,
    model: options.model,
    coders: planned.coders,
    unitId: first.unitId,
    messages,
    units: planned.units.length,
    runs: planned.runs.length,
    cacheHits: planned.units.length * planned.runs.length - planned.tasks.length,
    calls: planned.tasks.length,
    estimatedPromptTokens: planned.tasks.reduce(
      (sum, task) =>
        sum + task.messages.reduce((inner, message) => inner + estimateTokens(message.content), 0),
      0,
    ),
  };
}

function missingAnswers(planned: Plan): InputError {
  const first = planned.tasks[0]!;
  return new InputError(
    `${planned.tasks.length} of ${planned.units.length * planned.runs.length} answers are not in ${relativeTo(planned.study.workspace, cachePath(planned.study))} (the first: unit ${first.unitId}, run ${first.run})`,
    {
      hint: 'without the network only cached answers can be used: run the coder with --endpoint to ask for them, or restore the cache from version control; a changed codebook, model, prompt template, --context, --temperature or --seed asks new questions.',
    },
  );
}

/** A run's codes from the cache: the units it has an answer for. */
function runCodings(
  source: Pick<Plan, 'study' | 'units' | 'cache'>,
  settings: RunSettings,
  leaveOut: ReadonlySet<string> = new Set(),
): { codings: Codings; used: CacheEntry[] } {
  const keys: number[] = [];
  const used: CacheEntry[] = [];
  for (const unit of source.units) {
    if (leaveOut.has(unit.unitId)) continue;
    const entry = source.cache.get(unitKey(source.study, unit, settings));
    if (entry === undefined) continue;
    const check = checkAnswer(entry.content, source.study.codebook);
    if (!check.ok) continue;
    used.push(entry);
    if (check.codes.length === 0) keys.push(packKey(unit.unitIndex, -1));
    for (const code of check.codes) keys.push(packKey(unit.unitIndex, code));
  }
  return { codings: Codings.fromSortedKeys(Float64Array.from(keys)), used };
}

function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function recordOf(
  options: LlmCoderOptions,
  planned: Plan,
  settings: RunSettings,
  used: readonly CacheEntry[],
  failed: readonly string[],
  coder: string,
): Record<string, unknown> {
  const dates = used.map((entry) => entry.date).sort();
  return {
    coder,
    method: 'llm',
    family: options.coder,
    run: settings.run,
    runs: planned.runs.length,
    codebook: planned.study.codebookFile,
    codebook_hash: planned.study.codebook.hash,
    model: settings.model,
    server_models: distinct(used.map((entry) => entry.server_model ?? '(not named)')),
    endpoint_host:
      options.endpoint === undefined
        ? (planned.previousHosts.get(coder) ?? null)
        : endpointHost(options.endpoint),
    parameters: {
      temperature: settings.temperature,
      seed: settings.seed,
      context: options.context,
      retries: options.retries,
      timeout_seconds: options.timeoutSeconds,
      concurrency: options.concurrency,
      rate_per_minute: options.rate ?? null,
    },
    prompt: {
      template_version: promptTemplateVersion,
      template_hash: promptTemplateHash,
      system_sha256: planned.systemSha256,
    },
    response_formats: distinct(used.map((entry) => entry.request.response_format)),
    cache: llmCacheFileName,
    units: planned.units.length,
    coded_units: used.length,
    failed_units: failed,
    answers: {
      first: dates[0] ?? null,
      last: dates[dates.length - 1] ?? null,
      http_requests: used.reduce((sum, entry) => sum + entry.attempts, 0),
      prompt_tokens: used.reduce((sum, entry) => sum + entry.prompt_tokens, 0),
      completion_tokens: used.reduce((sum, entry) => sum + entry.completion_tokens, 0),
    },
  };
}

function perCodeOf(study: Study, codings: Codings): Array<{ code: string; units: number }> {
  const counts = new Array<number>(study.codebook.codes.length).fill(0);
  for (let position = 0; position < codings.size; position++)
    for (const code of codings.codesAt(position)) counts[code]!++;
  return study.codebook.codes.map((code) => ({ code: code.id, units: counts[code.index]! }));
}

async function askForMissing(
  options: LlmCoderOptions,
  planned: Plan,
): Promise<RequestTally & { endpointHost: string }> {
  if (options.endpoint === undefined)
    throw new UsageError(
      `${planned.tasks.length} answers are not in the cache and no --endpoint was given to ask for them`,
      { hint: 'give --endpoint URL (e.g. http://localhost:11434/v1 for Ollama).' },
    );
  const host = endpointHost(options.endpoint);
  const writer = await LlmCacheWriter.open(cachePath(planned.study));
  try {
    const tally = await requestAnswers(
      planned.tasks,
      {
        url: chatCompletionsUrl(options.endpoint),
        endpointHost: host,
        apiKey: options.apiKey,
        apiKeyEnv: options.apiKeyEnv,
        model: options.model,
        temperature: options.temperature,
        concurrency: options.concurrency,
        rate: options.rate,
        retries: options.retries,
        timeoutMs: options.timeoutSeconds * 1000,
        seed: planned.runs[0]!.seed,
        codebook: planned.study.codebook,
      },
      writer,
      { onAnswer: (entry) => planned.cache.set(entry.key, entry), onProgress: options.onProgress },
    );
    return { ...tally, endpointHost: host };
  } finally {
    await writer.close();
  }
}

export async function autocodeLlm(options: LlmCoderOptions): Promise<LlmCoderResult | LlmDryRun> {
  const planned = await plan(options);
  if (options.dryRun) return dryRunOf(options, planned);
  const cacheHits = planned.units.length * planned.runs.length - planned.tasks.length;
  let tally: RequestTally | undefined;
  if (planned.tasks.length > 0) {
    if (options.offline) throw missingAnswers(planned);
    tally = await askForMissing(options, planned);
  }
  const failures = tally?.failures ?? [];
  const results: LlmRunResult[] = [];
  const written: Array<{ coder: string; codings: Codings }> = [];
  for (const [index, settings] of planned.runs.entries()) {
    const coder = planned.coders[index]!;
    const { codings, used } = runCodings(planned, settings);
    const failed = failures
      .filter((failure) => failure.run === settings.run)
      .map((failure) => failure.unitId);
    let backup: string | undefined;
    if (used.length > 0) {
      backup = await writeMachineCoder(planned.study, {
        coder,
        codings,
        memos: new Map(),
        record: recordOf(options, planned, settings, used, failed, coder),
      });
      written.push({ coder, codings });
    }
    results.push({
      coder,
      run: settings.run,
      seed: settings.seed,
      file:
        used.length > 0
          ? relativeTo(
              planned.study.workspace,
              machineCoderFiles(planned.study.workspace.paths.annotations, coder).csv,
            )
          : undefined,
      backup,
      units: planned.units.length,
      codedUnits: used.length,
      failedUnits: failed.length,
      perCode: perCodeOf(planned.study, codings),
      agreement: [],
    });
  }
  for (const result of results) {
    const own = written.find((item) => item.coder === result.coder);
    if (own) result.agreement = await humanAgreement(planned.study, own.coder, own.codings);
  }
  return {
    dryRun: false,
    model: options.model,
    endpointHost: options.endpoint === undefined ? null : endpointHost(options.endpoint),
    calls: tally?.calls ?? 0,
    cacheHits,
    promptTokens: tally?.promptTokens ?? 0,
    completionTokens: tally?.completionTokens ?? 0,
    responseFormat: tally?.responseFormat ?? 'json_schema',
    formatFallback: tally?.formatFallback,
    runs: results,
    failures,
    stability: written.length >= 2 ? runStability(planned.study, written) : undefined,
    tornCacheLine: planned.tornLine,
  };
}

/** The part of an LLM coder's record that `coding reproduce` needs to code again from the cache. */
const recordSchema = z.object({
  model: z.string(),
  run: z.number().int().min(1),
  parameters: z.object({ temperature: z.number(), seed: z.number().int(), context: z.number().int().min(0) }),
  failed_units: z.array(z.string()).default([]),
});

/**
 * Code again, from the cache alone, the run of the LLM coder `coder` that its record describes,
 * and compare with its annotations. Returns the file that differs, or undefined when identical.
 * @throws InputError when the record is unreadable or an answer is missing from the cache.
 */
export async function reproduceLlmCoder(
  study: Study,
  coder: string,
  record: unknown,
): Promise<string | undefined> {
  const parsed = recordSchema.safeParse(record);
  if (!parsed.success)
    throw new InputError(`the record of LLM coder ${coder} lacks what is needed to code again`, {
      location: {
        file: relativeTo(study.workspace, machineCoderFiles(study.workspace.paths.annotations, coder).record),
      },
    });
  const { model, run, parameters, failed_units: failedUnits } = parsed.data;
  const settings: RunSettings = { model, temperature: parameters.temperature, seed: parameters.seed, run };
  const units = await promptedUnits(study, parameters.context);
  const { entries: cache } = await readLlmCache(
    cachePath(study),
    relativeTo(study.workspace, cachePath(study)),
  );
  const failed = new Set(failedUnits);
  const missing = units.filter(
    (unit) => !failed.has(unit.unitId) && !cache.has(unitKey(study, unit, settings)),
  );
  if (missing.length > 0)
    throw new InputError(
      `LLM coder ${coder}: ${missing.length} of ${units.length} answers are missing from ${relativeTo(study.workspace, cachePath(study))} (the first: unit ${missing[0]!.unitId})`,
      {
        hint: `restore the cache from version control, or ask for the answers again with coding autocode --method llm --as ${coder} --endpoint URL --model ${model} (which may give other answers).`,
      },
    );
  // Units that failed when the annotations were written are not in them, even if the cache has
  // their answer by now (another coder with the same settings may have got it).
  const { codings } = runCodings({ study, units, cache }, settings, failed);
  const output: MachineCoderOutput = { coder, codings, memos: new Map(), record: {} };
  return compareMachineCoder(study, output);
}
