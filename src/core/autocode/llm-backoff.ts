/**
 * How long the LLM coder waits before trying a request again: exponential backoff with "full
 * jitter" (a uniform draw below the exponential ceiling; Brooker, "Exponential backoff and jitter",
 * AWS Architecture Blog, 2015), the draws from a seeded generator so that a run's schedule is
 * reproducible; a server's `Retry-After` wins when it gives one.
 */
import type { Random } from '../random.js';

export const backoffBaseMs = 500;
export const backoffCeilingMs = 30_000;
/** The longest `Retry-After` honoured; a server asking for more is waited for this long. */
export const retryAfterCeilingMs = 300_000;

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, retryAfterCeilingMs);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), retryAfterCeilingMs);
}

/**
 * The wait before retry number `retry` (0 for the first retry): `Retry-After` when given, else a
 * uniform draw in [0, min(ceiling, base · 2^retry)).
 */
export function backoffDelay(retry: number, random: Random, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(backoffCeilingMs, backoffBaseMs * 2 ** retry);
  return Math.floor(random.nextDouble() * ceiling);
}
