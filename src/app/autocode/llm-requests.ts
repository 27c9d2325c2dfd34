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
  events: RequestEvents = {},
): Promise<RequestTally> {
  return new RequestRun(tasks, settings, writer, events).run();
}

/** What a caller hears of a run while it goes on. */
export interface RequestEvents {
  onAnswer?: (entry: CacheEntry) => void;
  /** After each task, answered or failed. */
  onProgress?: (done: number, total: number, failed: number) => void;
}

/**
 * What one request's outcome leaves to do: nothing more for the task (`done`: answered, or the
 * run is refused), ask again at once (`again`: the response format fell back, no retry spent), or
 * retry after `waitMs` if retries are left (`retry`).
 */
type NextStep =
  | { kind: 'done' }
  | { kind: 'again' }
  | { kind: 'retry'; problem: string; waitMs: number; unreachable: boolean };

/**
 * One run of requests: `concurrency` workers take the tasks in turn and share the tally, the rate
 * limiter, the jitter's random numbers, and the refusal that stops them all.
 */
class RequestRun {
  private readonly tally: RequestTally = {
    calls: 0,
    answers: 0,
    promptTokens: 0,
    completionTokens: 0,
    failures: [],
    responseFormat: 'json_schema',
  };
  private readonly limiter: RateLimiter;
  private readonly random: ReturnType<typeof createRandom>;
  /** Why the server will answer no request of this run; set once, it stops every worker. */
  private refusal: string | undefined;
  /** The next task to start, and how many have ended. */
  private next = 0;
  private done = 0;

  constructor(
    private readonly tasks: readonly LlmTask[],
    private readonly settings: RequestSettings,
    private readonly writer: LlmCacheWriter,
    private readonly events: RequestEvents,
  ) {
    this.limiter = new RateLimiter(settings.rate);
    this.random = createRandom(settings.seed);
  }

  /** Run the workers to the end of the tasks or to a refusal; the failures sorted by run and unit. */
  async run(): Promise<RequestTally> {
    const { tasks, settings, tally } = this;
    await Promise.all(
      Array.from({ length: Math.min(settings.concurrency, tasks.length) }, () => this.worker()),
    );
    if (this.refusal !== undefined)
      throw new InputError(
        `the server at ${settings.endpointHost} ${this.refusal.startsWith('it cannot') ? 'failed' : 'refused the request'}: ${this.refusal}`,
        {
          hint: `check --endpoint, --model (${settings.model}) and the key; the ${tally.answers} answers received are in the cache and will not be asked for again.`,
        },
      );
    tally.failures.sort((left, right) => left.run - right.run || left.unitIndex - right.unitIndex);
    return tally;
  }

  /** Take the next task until none is left or the run is refused. */
  private async worker(): Promise<void> {
    while (this.refusal === undefined && this.next < this.tasks.length) {
      await this.answer(this.tasks[this.next++]!);
      this.events.onProgress?.(++this.done, this.tasks.length, this.tally.failures.length);
    }
  }

  /** Ask for one task's answer until it is valid, its retries are spent, or the run is refused. */
  private async answer(task: LlmTask): Promise<void> {
    const { settings, tally } = this;
    let attempts = 0;
    let retriesLeft = settings.retries;
    for (;;) {
      if (this.refusal !== undefined) return;
      await this.limiter.wait();
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
      const step = await this.settle(task, outcome, format, attempts, settings.retries - retriesLeft);
      if (step.kind === 'done') return;
      if (step.kind === 'again') continue;
      if (retriesLeft <= 0) {
        this.giveUp(task, step, attempts);
        return;
      }
      retriesLeft--;
      if (step.waitMs > 0) await sleep(step.waitMs);
    }
  }

  /**
   * What an outcome means: a valid answer goes to the cache; a rejected json_schema turns the run
   * to json_object; a refusal stops the run; anything else is a problem to retry (after a backoff
   * when transient, the `retriesSpent`-th).
   */
  private async settle(
    task: LlmTask,
    outcome: ChatOutcome,
    format: ResponseFormatKind,
    attempts: number,
    retriesSpent: number,
  ): Promise<NextStep> {
    const { settings, tally } = this;
    if (outcome.kind === 'answer') {
      tally.promptTokens += outcome.promptTokens;
      tally.completionTokens += outcome.completionTokens;
      const check = checkAnswer(outcome.content, settings.codebook);
      if (!check.ok) return { kind: 'retry', problem: check.problem, waitMs: 0, unreachable: false };
      const entry = cacheEntryOf(task, settings, format, outcome, attempts);
      await this.writer.append(entry);
      tally.answers++;
      this.events.onAnswer?.(entry);
      return { kind: 'done' };
    }
    if (outcome.kind === 'format-rejected' && format === 'json_schema') {
      // The server has no structured outputs: JSON mode for the rest of the run, not a retry.
      if (tally.responseFormat === 'json_schema') {
        tally.responseFormat = 'json_object';
        tally.formatFallback = outcome.reason;
      }
      return { kind: 'again' };
    }
    if (outcome.kind === 'format-rejected') {
      // JSON mode rejected too: no answer can be constrained or asked for; every unit would fail.
      this.refusal ??= `${outcome.reason} (JSON mode was rejected too)`;
      return { kind: 'done' };
    }
    if (outcome.kind === 'refused') {
      this.refusal ??= `${outcome.reason}${outcome.status === 401 || outcome.status === 403 ? ` (the key is read from $${settings.apiKeyEnv}${settings.apiKey === undefined ? ', which is not set' : ''})` : ''}`;
      return { kind: 'done' };
    }
    if (outcome.kind === 'transient')
      return {
        kind: 'retry',
        problem: outcome.reason,
        unreachable: outcome.unreachable === true,
        waitMs: backoffDelay(retriesSpent, this.random, outcome.retryAfterMs),
      };
    return { kind: 'retry', problem: outcome.reason, waitMs: 0, unreachable: false };
  }

  /** A task whose retries are spent: a failure of its unit, or the end of the run when no server was ever reached. */
  private giveUp(task: LlmTask, step: { problem: string; unreachable: boolean }, attempts: number): void {
    // A server never reached in this run is not there (wrong URL, not started): stop, rather
    // than fail every unit in turn.
    if (step.unreachable && this.tally.answers === 0) {
      this.refusal ??= `it cannot be reached: ${step.problem}`;
      return;
    }
    this.tally.failures.push({
      unitIndex: task.unitIndex,
      unitId: task.unitId,
      run: task.run,
      problem: `${step.problem} (after ${attempts} ${attempts === 1 ? 'request' : 'requests'})`,
    });
  }
}
