// When to ask a remote inference server again after "429 Too Many Requests" or "503 Service
// Unavailable": its Retry-After header is obeyed (never asked sooner), a few tries at most, and a
// wait longer than the cap is not sat through (the user is told the wait instead). Pure: time is passed in.

import { backoffMs } from '../download/progress';

export interface RetryPolicy {
  /** Requests in all, the first included. */
  maxTries: number;
  /** Longest wait the app sits through before one retry, in ms. */
  maxWaitMs: number;
  /** First backoff when the server names no wait, in ms (doubled per try). */
  baseMs: number;
}

export const REMOTE_RETRY: RetryPolicy = { maxTries: 3, maxWaitMs: 20_000, baseMs: 1_000 };

/** Statuses that say "later", not "never". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  // Only an HTTP date (it names a weekday and month); Date.parse alone would read "-3" as a year.
  const at = /[a-z]/i.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** A server's wait in words, rounded up (never sooner than it asked): "90 s", "3 min", "2 h 5 min". */
export function waitInWords(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/**
 * How long to wait before try `tries + 1` after `tries` failed with `status`; undefined: do not retry
 * (not a retryable status, tries used up, or the server asks for a longer wait than the cap).
 */
export function retryWaitMs(
  status: number,
  tries: number,
  retryAfterSeconds: number | undefined,
  policy = REMOTE_RETRY,
): number | undefined {
  if (!RETRYABLE_STATUSES.has(status) || tries >= policy.maxTries) return undefined;
  const wait = retryAfterSeconds === undefined ? backoffMs(tries - 1, policy.baseMs, policy.maxWaitMs) : retryAfterSeconds * 1000;
  return wait > policy.maxWaitMs ? undefined : wait;
}
