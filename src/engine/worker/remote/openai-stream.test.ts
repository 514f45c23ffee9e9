import { describe, expect, it } from 'vitest';
import { RemoteStreamError } from '../../errors';
import { type StreamEvent, chunkEvents, readChatStream } from './openai-stream';
import {
  RECORDED_REASONING,
  RECORDED_REPLY,
  RECORDED_STREAMS,
  cutRecordedStream,
  readRecordedStream,
} from '../../../../test/fixtures/openai-streams';

/** A body delivered in pieces of `size` bytes (splitting JSON and UTF-8 sequences where they fall). */
function body(text: string, size = Infinity): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, Math.min(bytes.length, at + size)));
      at += size;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const e of readChatStream(stream)) events.push(e);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const text = (events: StreamEvent[], kind: 'content' | 'reasoning') => events.map((e) => (e.kind === kind ? e.text : '')).join('');

/** The recorded text with multi-byte characters (2 and 4 bytes in UTF-8) where "Paris" was. */
const nonAscii = (s: string) => s.replaceAll('Paris', 'Pärïs 🗼');

describe.each(RECORDED_STREAMS)('readChatStream on $file', ({ file, reasoningField, usage, timings }) => {
  const recorded = readRecordedStream(file);
  /** What the stream ends with: the finish, the usage chunk, llama-server's own speeds, [DONE]. */
  const ending: StreamEvent[] = [
    { kind: 'finish', reason: 'stop' },
    { kind: 'usage', promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens },
    ...(timings ? [{ kind: 'timings' as const, ...timings }] : []),
    { kind: 'done' },
  ];

  it.each([1, 7, 64])(`reads ${reasoningField} as reasoning, the reply, finish, usage and [DONE] in %i-byte pieces`, async (size) => {
    // Pieces split JSON everywhere; 1-byte pieces split every multi-byte character too.
    const { events, error } = await collect(body(nonAscii(recorded), size));
    expect(error).toBeUndefined();
    expect(text(events, 'reasoning')).toBe(nonAscii(RECORDED_REASONING));
    expect(text(events, 'content')).toBe(nonAscii(RECORDED_REPLY));
    // Empty and null deltas (Ollama's content: "", vLLM's nulls, llama-server's role chunk) make no events.
    expect(events.filter((e) => (e.kind === 'content' || e.kind === 'reasoning') && e.text === '')).toEqual([]);
    expect(events.findLastIndex((e) => e.kind === 'reasoning')).toBeLessThan(events.findIndex((e) => e.kind === 'content'));
    expect(events.slice(-ending.length)).toEqual(ending);
    // One finish, one usage, one [DONE].
    expect(events.filter((e) => e.kind !== 'content' && e.kind !== 'reasoning' && e.kind !== 'timings')).toEqual(
      ending.filter((e) => e.kind !== 'timings'),
    );
  });

  it('accepts CRLF line ends and a last event without its blank line', async () => {
    const crlf = recorded.replaceAll('\n', '\r\n').replace(/(\r\n)+$/, '');
    const { events, error } = await collect(body(crlf, 5));
    expect(error).toBeUndefined();
    expect(text(events, 'content')).toBe(RECORDED_REPLY);
    expect(events.slice(-ending.length)).toEqual(ending);
  });

  it('a finish reason without [DONE] is a complete reply', async () => {
    const { events, error } = await collect(body(recorded.replace('data: [DONE]\n\n', ''), 7));
    expect(error).toBeUndefined();
    expect(text(events, 'content')).toBe(RECORDED_REPLY);
    expect(events).toEqual(expect.arrayContaining([{ kind: 'finish', reason: 'stop' }]));
    expect(events.at(-1)).toEqual(ending.at(-2));
  });

  it('a stream that ends with neither is cut mid-reply, after the deltas that arrived', async () => {
    const { events, error } = await collect(body(cutRecordedStream(file, 'content', ' of'), 13));
    expect(text(events, 'reasoning')).toBe(RECORDED_REASONING);
    expect(text(events, 'content')).toBe('The capital');
    expect(events.some((e) => e.kind === 'finish' || e.kind === 'done')).toBe(false);
    expect(error).toBeInstanceOf(RemoteStreamError);
    expect((error as RemoteStreamError).userMessage).toBe(
      'The reply was cut off: the server closed the stream mid-reply, before saying the reply was complete. What arrived is kept.',
    );
  });
});

describe('readChatStream', () => {
  it('skips keep-alive comments', async () => {
    const s = ': ping\n\n:\n\ndata: {"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\n: ping\n\ndata: [DONE]\n\n';
    const { events, error } = await collect(body(s, 3));
    expect(error).toBeUndefined();
    expect(events).toEqual([{ kind: 'content', text: 'ok' }, { kind: 'finish', reason: 'stop' }, { kind: 'done' }]);
  });

  it('a malformed chunk stops the reply in words, after what came before it', async () => {
    const s = 'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {"choices":[{"delta":\n\n';
    const { events, error } = await collect(body(s));
    expect(events).toEqual([{ kind: 'content', text: 'a' }]);
    expect((error as RemoteStreamError).userMessage).toMatch(
      /^The reply was cut off: the server sent a chunk that is not JSON: \{"choices":\[\{"delta":/,
    );
  });

  it('a connection that breaks mid-body is a cut reply too', async () => {
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) return c.error(new TypeError('terminated'));
        sent = true;
        c.enqueue(new TextEncoder().encode('data: {"choices":[{"delta":{"content":"par"}}]}\n\n'));
      },
    });
    const { events, error } = await collect(broken);
    expect(events).toEqual([{ kind: 'content', text: 'par' }]);
    expect((error as RemoteStreamError).message).toBe('the connection broke mid-reply (terminated)');
  });
});

describe('chunkEvents', () => {
  it("reports a server's error chunk in its words (OpenAI / llama-server and vLLM shapes)", () => {
    expect(() => chunkEvents('{"error":{"message":"out of memory","code":500}}')).toThrow(
      'the server reported an error mid-reply ("out of memory")',
    );
    expect(() => chunkEvents('{"object":"error","message":"boom","type":"InternalServerError","code":500}')).toThrow('("boom")');
  });
  it('refuses JSON that is not an object', () => {
    expect(() => chunkEvents('42')).toThrow(RemoteStreamError);
    expect(() => chunkEvents('null')).toThrow(/not an object/);
  });
  it('ignores unknown fields and empty choices', () => {
    expect(chunkEvents('{"choices":[{"delta":{"tool_calls":[]}}],"extra":1}')).toEqual([]);
    expect(chunkEvents('{"choices":[],"usage":null}')).toEqual([]);
  });
});

describe('edges of a stream, in words', () => {
  const streamOf = (text: string) => new Response(text).body!;

  it('quotes at most 80 characters of a bad chunk, and marks the cut', () => {
    const long = `{"x":"${'a'.repeat(400)}`;
    const message = (() => {
      try {
        chunkEvents(long);
      } catch (e) {
        return (e as Error).message;
      }
    })()!;
    expect(message).toBe(`the server sent a chunk that is not JSON: ${long.slice(0, 80)}…`);
    const exact = 'x'.repeat(80);
    expect(() => chunkEvents(exact)).toThrow(`the server sent a chunk that is not JSON: ${exact}`);
    expect(() => chunkEvents(exact)).not.toThrow('…');
  });

  it("quotes Ollama's plain-string error, and says no more when the server gave no words", () => {
    expect(() => chunkEvents('{"error":"model is loading"}')).toThrow('the server reported an error mid-reply ("model is loading")');
    try {
      chunkEvents('{"object":"error"}');
    } catch (e) {
      expect((e as Error).message).toBe('the server reported an error mid-reply');
    }
    expect.assertions(2);
  });

  it('ignores usage and timings that are not counts', () => {
    for (const bad of ['-1', '"9"', 'null', '1e999'])
      expect(chunkEvents(`{"choices":[],"usage":{"prompt_tokens":${bad},"completion_tokens":3}}`), bad).toEqual([]);
    expect(chunkEvents('{"choices":[],"usage":{"prompt_tokens":0,"completion_tokens":0}}')).toEqual([
      { kind: 'usage', promptTokens: 0, completionTokens: 0 },
    ]);
    expect(chunkEvents('{"timings":{"prompt_per_second":-5,"predicted_per_second":3}}')).toEqual([]);
    expect(chunkEvents('{"timings":{"prompt_per_second":5,"predicted_per_second":"3"}}')).toEqual([]);
  });

  it('reads a chunk with no choices at all (a usage-only chunk from some servers)', () => {
    expect(chunkEvents('{"usage":{"prompt_tokens":2,"completion_tokens":1}}')).toEqual([
      { kind: 'usage', promptTokens: 2, completionTokens: 1 },
    ]);
  });

  it('takes [DONE] with spaces around it', async () => {
    const { events, error } = await collect(streamOf('data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata:  [DONE]  \n\n'));
    expect(error).toBeUndefined();
    expect(events).toEqual([{ kind: 'content', text: 'a' }, { kind: 'done' }]);
  });

  it('passes an abort through untouched (Stop is no error), and keeps the cause of a broken connection', async () => {
    const abort = new DOMException('The user aborted a request.', 'AbortError');
    const aborted = new ReadableStream<Uint8Array>({ pull: (c) => c.error(abort) });
    expect((await collect(aborted)).error).toBe(abort);
    const broken = new TypeError('network error');
    const cut = new ReadableStream<Uint8Array>({ pull: (c) => c.error(broken) });
    const { error } = await collect(cut);
    expect(error).toBeInstanceOf(RemoteStreamError);
    expect((error as Error).cause).toBe(broken);
  });

  it('cancels the body when the reader stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('data: {"choices":[{"delta":{"content":"a"}}]}\n\n')),
      cancel: () => void (cancelled = true),
    });
    for await (const e of readChatStream(body)) {
      expect(e).toEqual({ kind: 'content', text: 'a' });
      break;
    }
    expect(cancelled).toBe(true);
  });
});
