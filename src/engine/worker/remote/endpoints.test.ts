import { afterEach, describe, expect, it } from 'vitest';
import { json, scriptedServer, type ScriptedServer } from '../../../../test/fakes/openai-server';
import { RemoteAuthError, RemoteRateLimitError, RemoteServerError } from '../../errors';
import { RemoteEndpoints, listModels, whereOf, type RemoteEndpoint } from './endpoints';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const endpoint = (base: string, apiKey?: string): RemoteEndpoint => ({
  id: 'lab',
  baseUrl: base,
  label: 'Lab',
  ...(apiKey ? { apiKey } : {}),
});
const noWait = { sleep: async () => undefined };

describe('RemoteEndpoints', () => {
  it('keeps base URLs without a trailing slash and replaces the list whole', () => {
    const list = new RemoteEndpoints();
    list.set([{ id: 'a', baseUrl: 'http://gpu:8000/v1/', label: 'A' }]);
    expect(list.get('a')?.baseUrl).toBe('http://gpu:8000/v1');
    list.set([{ id: 'b', baseUrl: 'http://other/v1', label: 'B' }]);
    expect(list.list().map((e) => e.id)).toEqual(['b']);
  });
  it('refuses ids that would break catalog ids, twice-used ids, and bad URLs (keeping the old list)', () => {
    const list = new RemoteEndpoints();
    list.set([{ id: 'a', baseUrl: 'http://gpu/v1', label: 'A' }]);
    expect(() => list.set([{ id: 'x/y', baseUrl: 'http://gpu/v1', label: '' }])).toThrow(/no "\/"/);
    expect(() =>
      list.set([
        { id: 'a', baseUrl: 'http://g/v1', label: '' },
        { id: 'a', baseUrl: 'http://h/v1', label: '' },
      ]),
    ).toThrow(/twice/);
    expect(() => list.set([{ id: 'c', baseUrl: 'gpu', label: '' }])).toThrow(/not a URL/);
    expect(list.list().map((e) => e.id)).toEqual(['a']);
  });
  it('names a server by label and host, never by key', () => {
    expect(whereOf({ id: 'a', baseUrl: 'http://gpu:8000/v1', label: 'Lab', apiKey: 'k' })).toEqual({
      server: 'Lab (gpu:8000)',
      apiKey: 'k',
    });
    expect(whereOf({ id: 'a', baseUrl: 'http://gpu:8000/v1', label: '' }).server).toBe('gpu:8000');
  });
});

describe('listModels', () => {
  it("lists vLLM's models as remote catalog entries with namespaced ids, its max_model_len as the context", async () => {
    server = await scriptedServer((_req, res) =>
      json(res, 200, {
        object: 'list',
        data: [
          { id: 'meta-llama/Llama-3.3-70B-Instruct', object: 'model', owned_by: 'vllm', max_model_len: 32768 },
          { id: 'qwen3:32b', object: 'model', owned_by: 'library' },
          { object: 'model' },
        ],
      }),
    );
    const entries = await listModels(endpoint(server.base, 'sk-1'), noWait);
    expect(server.seen[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(server.seen[0]!.headers.authorization).toBe('Bearer sk-1');
    expect(entries.map((e) => [e.id, e.source, e.server, e.contextWindow])).toEqual([
      ['remote:lab/meta-llama/Llama-3.3-70B-Instruct', 'remote', 'Lab', 32768],
      ['remote:lab/qwen3:32b', 'remote', 'Lab', 0],
    ]);
    // No size or fit data: nothing for GPU sizing to judge.
    expect(entries[0]!.vramBytes).toBeUndefined();
    expect(entries[0]!.bufferBytesRequired).toBeUndefined();
  });

  it('sends no Authorization header to a server without a key', async () => {
    server = await scriptedServer((_req, res) => json(res, 200, { data: [] }));
    await listModels(endpoint(server.base), noWait);
    expect(server.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('says the key was refused on 401', async () => {
    server = await scriptedServer((_req, res) => json(res, 401, { error: { message: 'Invalid API Key', type: 'authentication_error' } }));
    await expect(listModels(endpoint(server.base, 'wrong'), noWait)).rejects.toBeInstanceOf(RemoteAuthError);
  });

  it('retries a 429 after the wait Retry-After names, then lists', async () => {
    const waits: number[] = [];
    server = await scriptedServer((_req, res, i) =>
      i === 0 ? json(res, 429, {}, { 'Retry-After': '2' }) : json(res, 200, { data: [{ id: 'm' }] }),
    );
    const entries = await listModels(endpoint(server.base), { sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([2000]);
    expect(entries.map((e) => e.id)).toEqual(['remote:lab/m']);
  });

  it('gives up on a 429 that asks for longer than the cap, saying how long', async () => {
    server = await scriptedServer((_req, res) => json(res, 429, {}, { 'Retry-After': '3600' }));
    const err = await listModels(endpoint(server.base), noWait).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteRateLimitError);
    expect((err as Error).message).toMatch(/asked to wait 60 min/);
    expect(server.seen).toHaveLength(1);
  });

  it('stops after three tries of a 503, as a server error', async () => {
    server = await scriptedServer((_req, res) => json(res, 503, { message: 'loading model' }));
    const err = await listModels(endpoint(server.base), noWait).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteServerError);
    expect((err as Error).message).toBe(`Lab (127.0.0.1:${new URL(server.base).port}) answered 503 Service Unavailable ("loading model")`);
    expect(server.seen).toHaveLength(3);
  });

  it('says when the answer is not a model list', async () => {
    server = await scriptedServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>login</html>');
    });
    await expect(listModels(endpoint(server.base), noWait)).rejects.toThrow(/answered \/models with something that is not a model list/);
  });
});
