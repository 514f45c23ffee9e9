// Reads the body of a streamed OpenAI-compatible chat completion (`stream: true`: server-sent events,
// one JSON chunk per `data:` line, `data: [DONE]` at the end) into typed events. Runs in the worker.
// Covers vLLM / SGLang / DeepSeek (`reasoning_content`, a usage chunk with no choices), llama-server
// (`timings`), Ollama (`reasoning`). Invariants: every event before a failure has been yielded (the
// caller keeps the partial reply); an abort rejects as the AbortError it is; nothing else is swallowed.

import { createParser } from 'eventsource-parser';
import { RemoteStreamError } from '../../errors';

export type StreamEvent =
  | { kind: 'content'; text: string }
  | { kind: 'reasoning'; text: string }
  /** The server's finish_reason as sent ("stop", "length", "tool_calls", "content_filter"…). */
  | { kind: 'finish'; reason: string }
  | { kind: 'usage'; promptTokens: number; completionTokens: number }
  /** llama-server's own measured speeds, in tokens per second. */
  | { kind: 'timings'; prefillTokensPerSecond: number; decodeTokensPerSecond: number }
  | { kind: 'done' };

/** Longest quote of a bad chunk in a message. */
const QUOTE_CHARS = 80;

interface Chunk {
  choices?: { delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  timings?: { prompt_per_second?: unknown; predicted_per_second?: unknown };
  error?: { message?: unknown } | string;
  object?: unknown;
  message?: unknown;
}

const quote = (s: string) => (s.length > QUOTE_CHARS ? `${s.slice(0, QUOTE_CHARS)}…` : s);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The events of one `data:` payload (not [DONE]); throws in words when it is not a chunk. */
export function chunkEvents(data: string): StreamEvent[] {
  let chunk: Chunk;
  try {
    chunk = JSON.parse(data) as Chunk;
  } catch {
    throw new RemoteStreamError(`the server sent a chunk that is not JSON: ${quote(data)}`);
  }
  if (typeof chunk !== 'object' || chunk === null)
    throw new RemoteStreamError(`the server sent a chunk that is not an object: ${quote(data)}`);
  // A failure after the 200 header arrives as a chunk: `{error: {…}}` (OpenAI, llama-server) or vLLM's `{object: "error", message}`.
  if (chunk.error !== undefined || chunk.object === 'error') {
    const said = typeof chunk.error === 'string' ? chunk.error : (chunk.error?.message ?? chunk.message);
    throw new RemoteStreamError(`the server reported an error mid-reply${isText(said) ? ` ("${quote(said)}")` : ''}`);
  }
  const out: StreamEvent[] = [];
  const choice = chunk.choices?.[0];
  const delta = choice?.delta;
  const reasoning = delta?.reasoning_content ?? delta?.reasoning;
  if (isText(reasoning)) out.push({ kind: 'reasoning', text: reasoning });
  if (isText(delta?.content)) out.push({ kind: 'content', text: delta.content });
  if (isText(choice?.finish_reason)) out.push({ kind: 'finish', reason: choice.finish_reason });
  const u = chunk.usage;
  if (u && isCount(u.prompt_tokens) && isCount(u.completion_tokens)) {
    out.push({ kind: 'usage', promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens });
  }
  const t = chunk.timings;
  if (t && isCount(t.prompt_per_second) && isCount(t.predicted_per_second)) {
    out.push({ kind: 'timings', prefillTokensPerSecond: t.prompt_per_second, decodeTokensPerSecond: t.predicted_per_second });
  }
  return out;
}

/**
 * The events of a streamed chat completion body, in order, ending with "done" (or after the finish
 * reason when the server closes without [DONE]). A body that ends with neither was cut mid-reply:
 * RemoteStreamError after the events that did arrive.
 */
export async function* readChatStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent, void, undefined> {
  const payloads: string[] = [];
  const parser = createParser({ onEvent: (e) => payloads.push(e.data) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (err) {
        if (err instanceof Error && err.name === 'AbortError') throw err;
        throw new RemoteStreamError(`the connection broke mid-reply (${err instanceof Error ? err.message : String(err)})`, { cause: err });
      }
      // At the end, a last event without its closing blank line still counts (blank lines alone dispatch nothing).
      parser.feed(read.done ? `${decoder.decode()}\n\n` : decoder.decode(read.value, { stream: true }));
      while (payloads.length > 0) {
        const data = payloads.shift()!.trim();
        if (data === '[DONE]') {
          yield { kind: 'done' };
          return;
        }
        for (const event of chunkEvents(data)) {
          if (event.kind === 'finish') finished = true;
          yield event;
        }
      }
      if (read.done) break;
    }
  } finally {
    // Stops the download when the caller stops early or a chunk was refused; a no-op once the body ended.
    reader.cancel().catch(() => undefined);
  }
  if (!finished) throw new RemoteStreamError('the server closed the stream mid-reply, before saying the reply was complete');
}
