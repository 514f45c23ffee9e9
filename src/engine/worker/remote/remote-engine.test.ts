import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { json, scriptedServer, type ScriptedServer, type SeenRequest } from '../../../../test/fakes/openai-server';
import {
  RECORDED_REASONING,
  RECORDED_REPLY,
  RECORDED_STREAMS,
  cutRecordedStream,
  readRecordedStream,
} from '../../../../test/fixtures/openai-streams';
import { ModelNotLoadedError, RemoteAuthError, RemoteStreamError, RemoteUnreachableError, UnknownModelError } from '../../errors';
import type { ChatEvent, ChatRequest } from '../../protocol';
import { splitThink } from '../../../lib/markdown/think';
import { REMOTE_SPEC_REASON, RemoteEngine } from './remote-engine';
import { abortableSleep } from './remote-fetch';

const KEY = 'sk-test-key-42';
const MODEL = 'remote:lab/big-model';
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function sse(res: ServerResponse, text: string) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.end(text);
}

/** A server that lists `big-model` and answers chat with `chat`. */
async function serve(chat: (req: SeenRequest, res: ServerResponse) => void) {
  server = await scriptedServer((req, res) => {
    if (req.path === '/v1/models')
      return json(res, 200, { object: 'list', data: [{ id: 'big-model', object: 'model', max_model_len: 8192 }] });
    chat(req, res);
  });
  return server;
}

/** A remote engine whose clock ticks 100 ms per reading (speeds without timed assertions). */
async function loadedEngine(base: string, apiKey: string | null = KEY) {
  let t = 0;
  const engine = new RemoteEngine({ sleep: async () => undefined, clock: () => (t += 100) });
  engine.endpoints.set([{ id: 'lab', baseUrl: base, label: 'Lab', ...(apiKey ? { apiKey } : {}) }]);
  await engine.load(MODEL, {}, () => undefined);
  return engine;
}

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  modelId: MODEL,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

const VLLM = readRecordedStream('vllm-0.11-reasoning-content.sse');
const OLLAMA = readRecordedStream('ollama.sse');
/** The reply as the engine hands it on: the reasoning as a think block, then the answer. */
const RECORDED_TEXT = `<think>${RECORDED_REASONING}</think>\n\n${RECORDED_REPLY}`;

function collector() {
  const events: ChatEvent[] = [];
  return { events, emit: (e: ChatEvent) => void events.push(e), text: () => events.map((e) => ('delta' in e ? e.delta : '')).join('') };
}

describe('RemoteEngine', () => {
  it('loads a model its server lists, with the context the server states', async () => {
    const s = await serve(() => undefined);
    const engine = new RemoteEngine();
    engine.endpoints.set([{ id: 'lab', baseUrl: s.base, label: 'Lab' }]);
    const progress: string[] = [];
    expect(await engine.load(MODEL, {}, (p) => void progress.push(p.text))).toEqual({ modelId: MODEL, contextWindow: 8192 });
    expect(progress.at(-1)).toMatch(/^big-model on Lab \(127\.0\.0\.1:\d+\)$/);
    await expect(engine.load('remote:lab/absent', {}, () => undefined)).rejects.toThrow(/does not list absent/);
    await expect(engine.load('remote:nowhere/x', {}, () => undefined)).rejects.toBeInstanceOf(UnknownModelError);
  });

  it.each(RECORDED_STREAMS)(
    'streams a $file reply: reasoning as a think block, usage and speeds in the stats, speculation off',
    async (rec) => {
      const s = await serve((_req, res) => sse(res, readRecordedStream(rec.file)));
      const c = collector();
      const result = await (await loadedEngine(s.base)).chat(request(), c.emit);
      expect(result.text).toBe(RECORDED_TEXT);
      expect(c.text()).toBe(result.text);
      expect(splitThink(result.text)).toMatchObject({ thinking: RECORDED_REASONING, closed: true, answer: RECORDED_REPLY });
      expect(result.finishReason).toBe('stop');
      expect(result.usage).toMatchObject({ promptTokens: rec.usage.prompt_tokens, completionTokens: rec.usage.completion_tokens });
      // llama-server's own measured speeds win over the engine's clock.
      if (rec.timings) expect(result.usage).toMatchObject(rec.timings);
      else expect(result.usage.decodeTokensPerSecond).toBeGreaterThan(0);
      expect(result.speculation).toMatchObject({ used: 'off', reason: REMOTE_SPEC_REASON, drafted: 0 });
    },
  );

  it('sends the key and the sampling settings as OpenAI parameters', async () => {
    const s = await serve((_req, res) => sse(res, VLLM));
    await (await loadedEngine(s.base)).chat(request({ temperature: 0.6, topP: 0.95, maxTokens: 512, seed: 7 }), () => undefined);
    const chat = s.seen.find((r) => r.path === '/v1/chat/completions')!;
    expect(chat.method).toBe('POST');
    expect(chat.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(chat.body)).toEqual({
      model: 'big-model',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.6,
      top_p: 0.95,
      max_tokens: 512,
      seed: 7,
    });
  });

  it("takes llama-server's timings as the speeds and its finish reason 'length'", async () => {
    const { timings, usage } = RECORDED_STREAMS.find((r) => r.file === 'llama-server.sse')!;
    const cutShort = readRecordedStream('llama-server.sse').replace('"finish_reason":"stop"', '"finish_reason":"length"');
    const s = await serve((_req, res) => sse(res, cutShort));
    const result = await (await loadedEngine(s.base)).chat(request(), () => undefined);
    expect(result).toMatchObject({ text: RECORDED_TEXT, finishReason: 'length' });
    expect(result.usage).toEqual({ promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, ...timings });
  });

  it("shows Ollama's reasoning field as reasoning, and sends no key to a server that has none", async () => {
    const s = await serve((_req, res) => sse(res, OLLAMA));
    const result = await (await loadedEngine(s.base, null)).chat(request(), () => undefined);
    expect(splitThink(result.text)).toMatchObject({ thinking: RECORDED_REASONING, answer: RECORDED_REPLY });
    expect(s.seen.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('Stop aborts the request and keeps the partial reply as "abort"', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      // One delta, then the server stays silent (a slow server): only Stop ends this reply.
      res.write('data: {"choices":[{"delta":{"content":"Once upon"},"finish_reason":null}]}\n\n');
    });
    const engine = await loadedEngine(s.base);
    const result = await engine.chat(request(), (e) => {
      if ('delta' in e) engine.interrupt();
    });
    expect(result).toMatchObject({ text: 'Once upon', finishReason: 'abort' });
    expect(result.usage.completionTokens).toBe(1);
  });

  it('Stop during a Retry-After wait ends the reply as "abort" without another request', async () => {
    const s = await serve((_req, res) => json(res, 429, {}, { 'Retry-After': '5' }));
    const engine = new RemoteEngine({
      // The wait starts, then the user presses Stop: the real abortable wait must end it.
      sleep: (ms, signal) => {
        engine.interrupt();
        return abortableSleep(ms, signal);
      },
    });
    engine.endpoints.set([{ id: 'lab', baseUrl: s.base, label: 'Lab' }]);
    await engine.load(MODEL, {}, () => undefined);
    const result = await engine.chat(request(), () => undefined);
    expect(result).toMatchObject({ text: '', finishReason: 'abort' });
    expect(s.seen.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  });

  it('retries a 503 with Retry-After, then streams', async () => {
    let chats = 0;
    const s = await serve((_req, res) =>
      chats++ === 0 ? json(res, 503, { message: 'warming up' }, { 'Retry-After': '1' }) : sse(res, OLLAMA),
    );
    const result = await (await loadedEngine(s.base)).chat(request(), () => undefined);
    expect(result.finishReason).toBe('stop');
    expect(chats).toBe(2);
  });

  it('a stream cut mid-reasoning rejects in words after emitting what arrived, the reasoning closed', async () => {
    const s = await serve((_req, res) => sse(res, cutRecordedStream('vllm-0.11-reasoning-content.sse', 'reasoning_content', ' France')));
    const c = collector();
    const err = await (await loadedEngine(s.base)).chat(request(), c.emit).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteStreamError);
    expect(c.text()).toBe('<think>The user asks for the capital of</think>');
  });

  it('a stream cut mid-reply rejects in words after emitting the reasoning and the reply so far', async () => {
    const s = await serve((_req, res) => sse(res, cutRecordedStream('ollama.sse', 'content', ' of')));
    const c = collector();
    const err = await (await loadedEngine(s.base)).chat(request(), c.emit).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteStreamError);
    expect(c.text()).toBe(`<think>${RECORDED_REASONING}</think>\n\nThe capital`);
  });

  it('a refused key is an error in words that never contains the key', async () => {
    const s = await serve((_req, res) => json(res, 401, { error: { message: `Incorrect API key provided: ${KEY}` } }));
    const err = await (await loadedEngine(s.base)).chat(request(), () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteAuthError);
    expect((err as Error).message).not.toContain(KEY);
  });

  it('a server that went away is unreachable-or-CORS, and the engine is free again afterwards', async () => {
    const s = await serve((_req, res) => sse(res, OLLAMA));
    const engine = await loadedEngine(s.base);
    await s.close();
    server = undefined;
    const err = await engine.chat(request(), () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteUnreachableError);
    // Not "busy": the failed reply released the engine.
    await expect(engine.chat(request(), () => undefined)).rejects.toBeInstanceOf(RemoteUnreachableError);
  });

  it('refuses a chat for a model it has not loaded, and continuing a cut reply (not portable yet)', async () => {
    const s = await serve((_req, res) => sse(res, OLLAMA));
    const engine = await loadedEngine(s.base);
    await expect(engine.chat(request({ modelId: 'remote:lab/other' }), () => undefined)).rejects.toBeInstanceOf(ModelNotLoadedError);
    await expect(engine.chat(request({ continueReply: true }), () => undefined)).rejects.toThrow(/not available for remote models/);
    await engine.unload();
    await expect(engine.chat(request(), () => undefined)).rejects.toBeInstanceOf(ModelNotLoadedError);
  });

  it('lists every server, saying which failed and why, without losing the others', async () => {
    const s = await serve(() => undefined);
    const engine = new RemoteEngine({ sleep: async () => undefined });
    engine.endpoints.set([
      { id: 'lab', baseUrl: s.base, label: 'Lab' },
      { id: 'down', baseUrl: 'http://127.0.0.1:1/v1', label: 'Down' },
    ]);
    const { entries, failures } = await engine.listAll();
    expect(entries.map((e) => e.id)).toEqual([MODEL]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.endpointId).toBe('down');
    expect(failures[0]!.error).toBeInstanceOf(RemoteUnreachableError);
  });
});
