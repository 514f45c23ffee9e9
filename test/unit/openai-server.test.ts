// The local OpenAI-compatible test server (test/e2e/fixtures/openai-server.ts) behaves as browser
// tests of remote models rely on: model list, streamed and plain replies derived from the last user
// message, usage only when asked, every request recorded, API key and CORS rules, and each injected
// fault. Real HTTP on 127.0.0.1 with Node's fetch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIServer, type OpenAIServerOptions } from '../e2e/fixtures/openai-server';
import { CREATED_S, reasoningFor, replyFor } from '../e2e/fixtures/openai-replies';

const MODEL = 'test-70b-instruct';
let server: OpenAIServer;

async function startServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  await server?.stop();
  server = new OpenAIServer(options);
  await server.start();
  return server;
}

beforeEach(() => startServer());
afterEach(() => server.stop());

function chat(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hello there' }], ...body }),
  });
}

/** The data fields of an SSE body, in order (comments and blank lines dropped). */
function events(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice('data: '.length));
}

interface Chunk {
  choices: { delta: Record<string, string>; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

const parsed = (text: string): Chunk[] =>
  events(text)
    .filter((e) => e !== '[DONE]')
    .map((e) => JSON.parse(e) as Chunk);
const joined = (chunks: Chunk[], field: string) => chunks.map((c) => c.choices[0]?.delta[field] ?? '').join('');

describe('OpenAIServer', () => {
  it('lists its models in the OpenAI list shape', async () => {
    const res = await fetch(`${server.baseUrl}/models`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'airgap-test' }] });
  });

  it('streams the reply to the last user message as SSE deltas, a finish chunk and [DONE]', async () => {
    const res = await chat({
      stream: true,
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'Echo: first' },
        { role: 'user', content: 'hello there' },
      ],
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    expect(events(text).at(-1)).toBe('[DONE]');
    const chunks = parsed(text);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(joined(chunks, 'content')).toBe(replyFor('hello there'));
    expect(chunks.filter((c) => c.choices[0]?.finish_reason !== null).map((c) => c.choices[0]!.finish_reason)).toEqual(['stop']);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.length).toBeGreaterThan(3);
  });

  it('sends a usage chunk with empty choices only when stream_options.include_usage is set', async () => {
    const chunks = parsed(await (await chat({ stream: true, stream_options: { include_usage: true } })).text());
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content).length;
    expect(last.usage).toEqual({ prompt_tokens: 2, completion_tokens: contentChunks, total_tokens: 2 + contentChunks });
  });

  it('answers a plain (non-streamed) request with one chat.completion', async () => {
    const body = await (await chat({})).json();
    expect(body).toMatchObject({
      object: 'chat.completion',
      created: CREATED_S,
      model: MODEL,
      choices: [{ message: { role: 'assistant', content: replyFor('hello there') }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2 },
    });
  });

  it('cuts the reply at max_tokens with finish_reason "length"', async () => {
    const chunks = parsed(await (await chat({ stream: true, max_tokens: 1 })).text());
    expect(joined(chunks, 'content')).toBe('Echo: ');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
  });

  it.each(['reasoning_content', 'reasoning'] as const)('streams reasoning in delta.%s before the content', async (style) => {
    await startServer({ reasoning: style });
    const chunks = parsed(await (await chat({ stream: true })).text());
    expect(joined(chunks, style)).toBe(reasoningFor('hello there'));
    expect(joined(chunks, 'content')).toBe(replyFor('hello there'));
    const firstContent = chunks.findIndex((c) => c.choices[0]?.delta.content);
    expect(chunks.slice(firstContent).some((c) => c.choices[0]?.delta[style])).toBe(false);
  });

  it('can put reasoning in <think> tags inside the content', async () => {
    await startServer({ reasoning: 'think-tags' });
    const chunks = parsed(await (await chat({ stream: true })).text());
    expect(joined(chunks, 'content')).toBe(`<think>${reasoningFor('hello there')}</think>${replyFor('hello there')}`);
  });

  it('records method, path, headers and the parsed body of every request', async () => {
    await chat({ stream: true, temperature: 0.3, top_p: 0.9, max_tokens: 64 }, { Authorization: 'Bearer k-1' });
    const [req] = server.requestsTo('chat');
    expect(req).toMatchObject({ method: 'POST', path: '/v1/chat/completions', aborted: false });
    expect(req!.headers.authorization).toBe('Bearer k-1');
    expect(req!.body).toMatchObject({ model: MODEL, stream: true, temperature: 0.3, top_p: 0.9, max_tokens: 64 });
  });

  it('answers 404 in OpenAI error JSON for a model it does not serve', async () => {
    const res = await chat({ model: 'no-such-model', stream: true });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { message: 'The model `no-such-model` does not exist.', type: 'NotFoundError', param: null, code: 404 },
    });
  });

  describe('API key', () => {
    beforeEach(() => startServer({ apiKey: 'sk-right' }));

    it('answers 401 without a key, 403 with another key, 200 with the right one', async () => {
      expect((await fetch(`${server.baseUrl}/models`)).status).toBe(401);
      const wrong = await fetch(`${server.baseUrl}/models`, { headers: { Authorization: 'Bearer sk-wrong' } });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ error: { type: 'permission_error' } });
      expect((await chat({}, { Authorization: 'Bearer sk-right' })).status).toBe(200);
    });

    it('lets a CORS preflight through without a key (browsers send none on OPTIONS)', async () => {
      const res = await fetch(`${server.baseUrl}/chat/completions`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://127.0.0.1:4261', 'Access-Control-Request-Method': 'POST' },
      });
      expect(res.status).toBe(204);
    });
  });

  describe('CORS', () => {
    const ORIGIN = 'http://127.0.0.1:4261';
    const preflight = () =>
      fetch(`${server.baseUrl}/chat/completions`, {
        method: 'OPTIONS',
        headers: {
          Origin: ORIGIN,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type',
        },
      });

    it('answers the preflight and the request for the allowed origin', async () => {
      await startServer({ allowOrigin: ORIGIN });
      const pre = await preflight();
      expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const res = await fetch(`${server.baseUrl}/models`, { headers: { Origin: ORIGIN } });
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(server.requests.map((r) => r.method)).toEqual(['OPTIONS', 'GET']);
    });

    it('exposes Retry-After to the page unless told not to', async () => {
      await startServer({ allowOrigin: ORIGIN });
      const headers = { Origin: ORIGIN };
      expect((await fetch(`${server.baseUrl}/models`, { headers })).headers.get('access-control-expose-headers')).toBe('Retry-After');
      await startServer({ allowOrigin: ORIGIN, exposeRetryAfter: false });
      expect((await fetch(`${server.baseUrl}/models`, { headers })).headers.get('access-control-expose-headers')).toBeNull();
    });

    it('sends no CORS headers to another origin, or to any when refusing', async () => {
      await startServer({ allowOrigin: 'https://elsewhere.example' });
      expect((await preflight()).headers.get('access-control-allow-origin')).toBeNull();
      await startServer({ allowOrigin: null });
      expect((await preflight()).headers.get('access-control-allow-origin')).toBeNull();
      expect(
        (await fetch(`${server.baseUrl}/models`, { headers: { Origin: ORIGIN } })).headers.get('access-control-allow-origin'),
      ).toBeNull();
    });
  });

  describe('faults, one per request', () => {
    it('answers 429 with Retry-After, then 500 and 503, then serves normally', async () => {
      server.fail('chat', { status: 429, retryAfterS: 7 }, { status: 500 }, { status: 503 });
      const limited = await chat({ stream: true });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
      expect((await chat({ stream: true })).status).toBe(500);
      expect((await chat({ stream: true })).status).toBe(503);
      expect((await chat({ stream: true })).status).toBe(200);
    });

    it('fails /v1/models separately from chat', async () => {
      server.fail('models', { status: 503 });
      expect((await fetch(`${server.baseUrl}/models`)).status).toBe(503);
      expect((await chat({})).status).toBe(200);
      expect((await fetch(`${server.baseUrl}/models`)).status).toBe(200);
    });

    it('cuts the stream after N events: the body errors, with no finish chunk and no [DONE]', async () => {
      server.fail('chat', { cutAfter: 3 });
      const res = await chat({ stream: true });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const failure = await (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return undefined;
          text += decoder.decode(value, { stream: true });
        }
      })().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(events(text)).toHaveLength(3);
      expect(text).not.toContain('[DONE]');
      expect(server.requestsTo('chat')[0]!.aborted).toBe(true);
    });

    it('sends an invalid JSON line after N events, then the rest of the reply', async () => {
      server.fail('chat', { malformedAfter: 2 });
      const data = events(await (await chat({ stream: true })).text());
      expect(() => JSON.parse(data[2]!)).toThrow(SyntaxError);
      expect(data.at(-1)).toBe('[DONE]');
      expect(
        joined(
          parsed(
            data
              .filter((_, i) => i !== 2)
              .map((d) => `data: ${d}`)
              .join('\n\n'),
          ),
          'content',
        ),
      ).toBe(replyFor('hello there'));
    });

    it('sends an error event in place of the rest of the reply, then [DONE]', async () => {
      server.fail('chat', { errorEventAfter: 2 });
      const data = events(await (await chat({ stream: true })).text());
      expect(data).toHaveLength(4);
      expect(JSON.parse(data[2]!)).toMatchObject({ error: { code: 500 } });
      expect(data[3]).toBe('[DONE]');
    });

    it('delays every chunk of a slow reply, and notes a client that hangs up mid-stream', async () => {
      server.fail('chat', { chunkDelayMs: 200 });
      const reader = (await chat({ stream: true })).body!.getReader();
      await reader.read();
      // Still mid-reply thanks to the delay: the server sees the hang-up.
      await reader.cancel();
      await expect.poll(() => server.requestsTo('chat')[0]!.aborted).toBe(true);
      expect(server.requestsTo('chat')).toHaveLength(1);
    });
  });
});
