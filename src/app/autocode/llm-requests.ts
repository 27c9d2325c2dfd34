/**
 * The LLM coder's requests: a bounded number at once, at most so many a minute, each retried a
 * bounded number of times (after a backoff for 429, 5xx, timeouts and network errors; at once for
 * an answer that is not valid JSON or names codes the codebook lacks). Each valid answer goes to
 * the cache before the next is asked for, so a killed run loses at most the requests in flight.
 */
import { backoffDelay } from '../../core/autocode/llm-backoff.js';
import {
  type ChatMessage,
  checkAnswer,
  type ResponseFormatKind,
  responseFormat,
} from '../../core/autocode/llm-prompt.js';
import type { CodebookModel } from '../../core/codebook.js';
import { createRandom } from '../../core/random.js';
import { InputError } from '../../errors.js';
import type { CacheEntry, LlmCacheWriter } from '../../io/llm-cache.js';
import { llmCacheFormat, llmCacheVersion } from '../../io/llm-cache.js';
import { type ChatOutcome, sendChat } from '../../io/llm-http.js';

/** One request to make: a unit of one run that the cache has no answer for. */
export interface LlmTask {
  key: string;
  unitIndex: number;
  unitId: string;
  run: number;
  seed: number;
  messages: ChatMessage[];
  systemSha256: string;
}

export interface RequestSettings {
  url: string;
  /** Shown in messages instead of the URL (which may carry a query string). */
  endpointHost: string;
  apiKey?: string | undefined;
  apiKeyEnv: string;
  model: string;
  temperature: number;
  concurrency: number;
  /** Requests per minute; undefined for no limit. */
  rate?: number | undefined;
  retries: number;
  timeoutMs: number;
  /** Seeds the jitter of the backoff. */
  seed: number;
  codebook: CodebookModel;
}

export interface RequestFailure {
  unitIndex: number;
  unitId: string;
  run: number;
  problem: string;
}

export interface RequestTally {
  /** HTTP requests sent, retries included. */
  calls: number;
  answers: number;
  promptTokens: number;
  completionTokens: number;
  failures: RequestFailure[];
  /** The response format the run ended with (json_object after a server rejected json_schema). */
  responseFormat: ResponseFormatKind;
  /** Set when the server rejected json_schema and the run went on with json_object. */
  formatFallback?: string;
}

function cacheEntryOf(
  task: LlmTask,
  settings: RequestSettings,
  format: ResponseFormatKind,
  outcome: Extract<ChatOutcome, { kind: 'answer' }>,
  attempts: number,
): CacheEntry {
  return {
    format: llmCacheFormat,
    version: llmCacheVersion,
    key: task.key,
    unit_id: task.unitId,
    run: task.run,
    request: {
      model: settings.model,
      temperature: settings.temperature,
      seed: task.seed,
      response_format: format,
      system_sha256: task.systemSha256,
      user: task.messages[1]!.content,
    },
    content: outcome.content,
    server_model: outcome.model ?? null,
    prompt_tokens: outcome.promptTokens,
    completion_tokens: outcome.completionTokens,
    attempts,
    date: new Date().toISOString(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Spaces the starts of requests at least 60/rate seconds apart. */
class RateLimiter {
  private next = 0;
  constructor(private readonly perMinute: number | undefined) {}

  async wait(): Promise<void> {
    if (this.perMinute === undefined) return;
    const interval = 60_000 / this.perMinute;
    const now = Date.now();
    const start = Math.max(now, this.next);
    this.next = start + interval;
    if (start > now) await sleep(start - now);
  }
}

/**
 * Ask for every task's answer and append each valid one to the cache (the caller then reads
 * answers from the cache). A server that refuses outright (401, 403, 404…) stops the run with an
 * InputError once the requests in flight have ended; their answers are kept.
 */
export async function requestAnswers(
  tasks: readonly LlmTask[],
  settings: RequestSettings,
  writer: LlmCacheWriter,
  events: {
    onAnswer?: (entry: CacheEntry) => void;
    /** After each task, answered or failed. */
    onProgress?: (done: number, total: number, failed: number) => void;
  } = {},
): Promise<RequestTally> {
  const tally: RequestTally = {
    calls: 0,
    answers: 0,
    promptTokens: 0,
    completionTokens: 0,
    failures: [],
    responseFormat: 'json_schema',
  };
  const limiter = new RateLimiter(settings.rate);
  const random = createRandom(settings.seed);
  let refusal: string | undefined;
  let next = 0;

  const answer = async (task: LlmTask): Promise<void> => {
    let attempts = 0;
    let retriesLeft = settings.retries;
    for (;;) {
      if (refusal !== undefined) return;
      await limiter.wait();
      const format = tally.responseFormat;
      const body = {
        model: settings.model,
        messages: task.messages,
        temperature: settings.temperature,
        seed: task.seed,
        response_format: responseFormat(settings.codebook, format),
      };
      attempts++;
      tally.calls++;
      const outcome = await sendChat({
        url: settings.url,
        body,
        apiKey: settings.apiKey,
        timeoutMs: settings.timeoutMs,
      });
      let problem: string;
      let waitMs = 0;
      let unreachable = false;
      if (outcome.kind === 'answer') {
        tally.promptTokens += outcome.promptTokens;
        tally.completionTokens += outcome.completionTokens;
        const check = checkAnswer(outcome.content, settings.codebook);
        if (check.ok) {
          const entry = cacheEntryOf(task, settings, format, outcome, attempts);
          await writer.append(entry);
          tally.answers++;
          events.onAnswer?.(entry);
          return;
        }
        problem = check.problem;
      } else if (outcome.kind === 'format-rejected' && format === 'json_schema') {
        // The server has no structured outputs: JSON mode for the rest of the run, not a retry.
        if (tally.responseFormat === 'json_schema') {
          tally.responseFormat = 'json_object';
          tally.formatFallback = outcome.reason;
        }
        continue;
      } else if (outcome.kind === 'format-rejected') {
        // JSON mode rejected too: no answer can be constrained or asked for; every unit would fail.
        refusal ??= `${outcome.reason} (JSON mode was rejected too)`;
        return;
      } else if (outcome.kind === 'refused') {
        refusal ??= `${outcome.reason}${outcome.status === 401 || outcome.status === 403 ? ` (the key is read from $${settings.apiKeyEnv}${settings.apiKey === undefined ? ', which is not set' : ''})` : ''}`;
        return;
      } else if (outcome.kind === 'transient') {
        problem = outcome.reason;
        unreachable = outcome.unreachable === true;
        waitMs = backoffDelay(settings.retries - retriesLeft, random, outcome.retryAfterMs);
      } else {
        problem = outcome.reason;
      }
      if (retriesLeft <= 0) {
        // A server never reached in this run is not there (wrong URL, not started): stop, rather
        // than fail every unit in turn.
        if (unreachable && tally.answers === 0) {
          refusal ??= `it cannot be reached: ${problem}`;
          return;
        }
        tally.failures.push({
          unitIndex: task.unitIndex,
          unitId: task.unitId,
          run: task.run,
          problem: `${problem} (after ${attempts} ${attempts === 1 ? 'request' : 'requests'})`,
        });
        return;
      }
      retriesLeft--;
      if (waitMs > 0) await sleep(waitMs);
    }
  };

  let done = 0;
  const worker = async (): Promise<void> => {
    while (refusal === undefined && next < tasks.length) {
      await answer(tasks[next++]!);
      events.onProgress?.(++done, tasks.length, tally.failures.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, tasks.length) }, worker));
  if (refusal !== undefined)
    throw new InputError(
      `the server at ${settings.endpointHost} ${refusal.startsWith('it cannot') ? 'failed' : 'refused the request'}: ${refusal}`,
      {
        hint: `check --endpoint, --model (${settings.model}) and the key; the ${tally.answers} answers received are in the cache and will not be asked for again.`,
      },
    );
  tally.failures.sort((left, right) => left.run - right.run || left.unitIndex - right.unitIndex);
  return tally;
}
