import { describe, expect, it } from 'vitest';
import { RemoteStreamError } from '../../errors';
import { type StreamEvent, chunkEvents, readChatStream } from './openai-stream';
import { CUT, LLAMA_SERVER, OLLAMA, VLLM_REASONING } from '../../../../test/fakes/openai-stream-samples';

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

describe('readChatStream', () => {
  it('reads vLLM: reasoning_content, content, finish, the usage chunk with no choices, [DONE]', async () => {
    const { events, error } = await collect(new Response(VLLM_REASONING).body!);
    expect(error).toBeUndefined();
    expect(text(events, 'reasoning')).toBe('The user says hi. Greet back.');
    expect(text(events, 'content')).toBe('Hello there!');
    expect(events.slice(-3)).toEqual([
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage', promptTokens: 12, completionTokens: 8 },
      { kind: 'done' },
    ]);
  });

  it('reads llama-server: null content, usage and its own timings in the last chunk, UTF-8 split across reads', async () => {
    const { events, error } = await collect(body(LLAMA_SERVER, 7));
    expect(error).toBeUndefined();
    expect(text(events, 'content')).toBe('Héllo 👋');
    expect(events.slice(-4)).toEqual([
      { kind: 'finish', reason: 'length' },
      { kind: 'usage', promptTokens: 9, completionTokens: 3 },
      { kind: 'timings', prefillTokensPerSecond: 857.1, decodeTokensPerSecond: 66.2 },
      { kind: 'done' },
    ]);
  });

  it('reads Ollama: the reasoning field, empty content deltas skipped', async () => {
    const { events, error } = await collect(body(OLLAMA, 64));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { kind: 'reasoning', text: 'Short answer.' },
      { kind: 'content', text: 'Hi!' },
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage', promptTokens: 11, completionTokens: 4 },
      { kind: 'done' },
    ]);
  });

  it('accepts CRLF lines, keep-alive comments, and a last event without its blank line', async () => {
    const s = ': ping\r\n\r\ndata: {"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]}\r\n\r\ndata: [DONE]';
    const { events, error } = await collect(body(s, 5));
    expect(error).toBeUndefined();
    expect(events).toEqual([{ kind: 'content', text: 'ok' }, { kind: 'finish', reason: 'stop' }, { kind: 'done' }]);
  });

  it('a finish reason without [DONE] is a complete reply', async () => {
    const { events, error } = await collect(body('data: {"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}\n\n'));
    expect(error).toBeUndefined();
    expect(events.at(-1)).toEqual({ kind: 'finish', reason: 'stop' });
  });

  it('a stream that ends with neither is cut mid-reply, after the deltas that arrived', async () => {
    const { events, error } = await collect(body(CUT, 13));
    expect(text(events, 'reasoning')).toBe('The user says hi. Greet back.');
    expect(text(events, 'content')).toBe('Hello');
    expect(error).toBeInstanceOf(RemoteStreamError);
    expect((error as RemoteStreamError).userMessage).toBe(
      'The reply was cut off: the server closed the stream mid-reply, before saying the reply was complete. What arrived is kept.',
    );
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
