// One request to a remote inference server: the key sent as a Bearer token to that server only,
// 429/503 retried as lib/remote/retry.ts says (Retry-After obeyed), and every failure turned into
// words (remote-errors.ts). Runs in the worker. Invariants: the key is never logged or put in a
// message; an abort (Stop) rejects as the AbortError it is, also during a wait between tries.

import { parseRetryAfter, retryWaitMs, REMOTE_RETRY, type RetryPolicy } from '../../../lib/remote/retry';
import { fetchError, httpError, type RemoteWhere } from './remote-errors';

export interface FetchDeps {
  fetch?: typeof fetch;
  /** Waits between tries (tests pass one that records the wait and returns at once). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  policy?: RetryPolicy;
  online?: () => boolean | undefined;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Headers for a request to this server: JSON, and its own key when it has one. */
export function requestHeaders(apiKey: string | undefined, json: boolean): Record<string, string> {
  const h: Record<string, string> = { Accept: json ? 'application/json' : 'text/event-stream' };
  if (!json) h['Content-Type'] = 'application/json';
  if (apiKey) h.Authorization = `Bearer ${apiKey}`;
  return h;
}

/** The successful answer to `url`, or an error in words once the retries are spent. */
export async function remoteFetch(url: string, init: RequestInit, where: RemoteWhere, deps: FetchDeps = {}): Promise<Response> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? abortableSleep;
  const now = deps.now ?? Date.now;
  const policy = deps.policy ?? REMOTE_RETRY;
  for (let tries = 1; ; tries++) {
    let res: Response;
    try {
      res = await doFetch(url, init);
    } catch (err) {
      throw fetchError(err, where, deps.online?.());
    }
    if (res.ok) return res;
    const retryAfter = parseRetryAfter(res.headers.get('Retry-After'), now());
    const body = await res.text().catch(() => '');
    const wait = retryWaitMs(res.status, tries, retryAfter, policy);
    if (wait === undefined) throw httpError(res.status, res.statusText, body, where, retryAfter);
    await sleep(wait, init.signal ?? undefined);
  }
}
