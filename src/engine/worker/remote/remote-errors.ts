// What a remote inference server's failure means for the user: an HTTP answer or a fetch that got no
// answer, turned into our error classes (engine/errors.ts) whose details name the server and quote
// its own words. Runs in the worker. Invariant: the API key never appears in any message (a server's
// error text that echoes it is redacted here), and an abort is passed through untouched (Stop is no error).

import {
  type AirgapError,
  OfflineError,
  RemoteAuthError,
  RemoteModelError,
  RemoteRateLimitError,
  RemoteRequestError,
  RemoteServerError,
  RemoteUnreachableError,
  isNetworkFailure,
  toAirgapError,
} from '../../errors';
import { waitInWords } from '../../../lib/remote/retry';

/** Longest quote of a server's error text in a message. */
const QUOTE_CHARS = 200;

/** Who answered, as the user named it, and the key to keep out of every message. */
export interface RemoteWhere {
  /** e.g. "Lab server (gpu:8000)". */
  server: string;
  apiKey?: string;
}

export type RemoteRateLimit = InstanceType<typeof RemoteRateLimitError> & { retryAfterSeconds?: number };

function redact(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join('…') : text;
}

/** The server's own words from an error body: OpenAI-style `{error: {message}}`, vLLM's `{message}`,
 *  Ollama's `{error: "…"}`, or plain text. */
export function serverMessage(body: string): string | undefined {
  let text = body.trim();
  try {
    const json: unknown = JSON.parse(text);
    const o = json as { error?: unknown; message?: unknown; detail?: unknown };
    const err = o.error as { message?: unknown } | string | undefined;
    const found = typeof err === 'string' ? err : (err?.message ?? o.message ?? o.detail);
    text = typeof found === 'string' ? found.trim() : '';
  } catch {
    // Not JSON (an HTML error page from a proxy, plain text): quoted only when short and textual.
    if (/^</.test(text)) text = '';
  }
  if (!text) return undefined;
  return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text;
}

/** An HTTP answer that is not a success, in words. `retryAfterSeconds`: what the server asked, when it did. */
export function httpError(status: number, statusText: string, body: string, where: RemoteWhere, retryAfterSeconds?: number): AirgapError {
  const said = serverMessage(redact(body, where.apiKey));
  const answered = `${where.server} answered ${status}${statusText ? ` ${statusText}` : ''}${said ? ` ("${redact(said, where.apiKey)}")` : ''}`;
  if (status === 401 || status === 403) return new RemoteAuthError(answered);
  if (status === 404) return new RemoteModelError(answered);
  // A 503 asks for a wait too (a model still loading): the user is told it, as for a 429.
  const wait = retryAfterSeconds === undefined ? '' : ` and asked to wait ${waitInWords(retryAfterSeconds)}`;
  if (status === 429) {
    const err: RemoteRateLimit = new RemoteRateLimitError(answered + wait);
    if (retryAfterSeconds !== undefined) err.retryAfterSeconds = retryAfterSeconds;
    return err;
  }
  if (status >= 500) return new RemoteServerError(answered + wait);
  return new RemoteRequestError(answered);
}

/** A fetch to the server rejected: no answer at all (offline, down, or CORS), an abort (passed on), or anything else. */
export function fetchError(err: unknown, where: RemoteWhere, online: boolean | undefined = onLine()): unknown {
  if (err instanceof DOMException && err.name === 'AbortError') return err;
  if (isNetworkFailure(err)) {
    return online === false
      ? new OfflineError('network request while offline')
      : new RemoteUnreachableError(`${where.server} could not be reached`);
  }
  const e = toAirgapError(err);
  e.message = redact(e.message, where.apiKey);
  return e;
}

const onLine = (): boolean | undefined => (typeof navigator === 'undefined' ? undefined : navigator.onLine);
