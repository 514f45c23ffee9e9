// The handler with a remote server beside the local (reference) engine: catalog, routing of load,
// chat and Stop by model id, one model at a time, unreachable servers' models kept as unavailable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIServer } from '../../../test/e2e/fixtures/openai-server';
import type { RemoteEndpoint } from '../protocol';
import { createHandlers } from './handler';

const never = () => {
  throw new Error('no events expected');
};

describe('worker handlers with a remote server', () => {
  let server: OpenAIServer;
  let endpoint: RemoteEndpoint;
  beforeEach(async () => {
    server = new OpenAIServer({ models: ['big-70b', 'org/other-8b'], apiKey: 'sk-secret' });
    await server.start();
    endpoint = { id: 'lab', baseUrl: server.baseUrl, apiKey: 'sk-secret', label: 'Lab' };
  });
  afterEach(() => server.stop());

  async function ready() {
    const h = createHandlers('0.0.0-test', 'http://app.test/');
    await h.hello({ engine: 'reference', tokensPerSecond: 2000 }, never);
    return h;
  }

  it('adds the listed models to the catalog beside the local ones, and removes them with their server', async () => {
    const h = await ready();
    expect(await h.remoteSet({ endpoints: [endpoint] }, never)).toEqual([
      { id: 'lab', models: [{ id: 'big-70b' }, { id: 'org/other-8b' }] },
    ]);
    const catalog = await h.catalog(null, never);
    expect(catalog.map((m) => [m.id, m.source])).toEqual([
      ['reference-tiny', 'reference'],
      ['reference-draft', 'reference'],
      ['remote:lab/big-70b', 'remote'],
      ['remote:lab/org/other-8b', 'remote'],
    ]);
    expect(catalog[2]).toMatchObject({ server: 'Lab' });
    expect(catalog[2]!.unavailable).toBeUndefined();
    await h.remoteSet({ endpoints: [] }, never);
    expect((await h.catalog(null, never)).map((m) => m.id)).toEqual(['reference-tiny', 'reference-draft']);
  });

  it('a server that cannot be listed keeps its known models, unavailable with the reason', async () => {
    const h = await ready();
    server.fail('models', { status: 500 });
    const statuses = await h.remoteSet({ endpoints: [{ ...endpoint, models: [{ id: 'big-70b', contextWindow: 32768 }] }] }, never);
    expect(statuses).toEqual([{ id: 'lab', models: [], error: expect.stringContaining('Lab'), errorName: 'RemoteServerError' }]);
    const entry = (await h.catalog(null, never)).find((m) => m.id === 'remote:lab/big-70b');
    expect(entry).toMatchObject({ source: 'remote', contextWindow: 32768, unavailable: statuses[0]!.error });
  });

  it('routes load and chat by id: the remote reply comes from the server, then a local load frees it', async () => {
    const h = await ready();
    await h.remoteSet({ endpoints: [endpoint] }, never);
    const loaded = await h.load({ modelId: 'remote:lab/big-70b', options: {} }, () => {});
    expect(loaded.modelId).toBe('remote:lab/big-70b');
    const reply = await h.chat(
      { modelId: 'remote:lab/big-70b', messages: [{ role: 'user', content: 'hello there' }], temperature: 0.2 },
      () => {},
    );
    expect(reply.text).toBe('Echo: hello there');
    expect(reply.speculation).toMatchObject({ used: 'off' });
    const sent = server.requestsTo('chat')[0]!;
    expect(sent.body).toMatchObject({ model: 'big-70b', stream: true, temperature: 0.2 });
    expect(sent.headers.authorization).toBe('Bearer sk-secret');
    await expect(h.countTokens({ modelId: 'remote:lab/big-70b', messages: [] }, never)).rejects.toThrow(/its server/);
    await expect(h.download({ modelId: 'remote:lab/big-70b' }, () => {})).rejects.toThrow(/nothing to download/);

    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    expect((await h.chat({ modelId: 'reference-tiny', messages: [{ role: 'user', content: '/echo local' }] }, () => {})).text).toBe(
      'local',
    );
    // The remote model was unloaded by the local load: it must be loaded again before use.
    await expect(h.chat({ modelId: 'remote:lab/big-70b', messages: [{ role: 'user', content: 'x' }] }, () => {})).rejects.toMatchObject({
      name: 'ModelNotLoadedError',
    });
    expect(server.requestsTo('chat')).toHaveLength(1);
  });

  it('Stop aborts the remote request and keeps what arrived', async () => {
    const h = await ready();
    await h.remoteSet({ endpoints: [endpoint] }, never);
    await h.load({ modelId: 'remote:lab/big-70b', options: {} }, () => {});
    server.chunkDelayMs = 50;
    let deltas = '';
    const pending = h.chat(
      { modelId: 'remote:lab/big-70b', messages: [{ role: 'user', content: 'a long reply to stop midway please' }] },
      (e) => {
        if ('delta' in e) deltas += e.delta;
      },
    );
    while (!deltas) await new Promise((r) => setTimeout(r, 10));
    await h.interrupt(null, never);
    const result = await pending;
    expect(result.finishReason).toBe('abort');
    expect(result.text).toBe(deltas);
    expect(result.text.length).toBeLessThan('Echo: a long reply to stop midway please'.length);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requestsTo('chat')[0]!.aborted).toBe(true);
  });

  it('checks a server before it is added, in words when the key is wrong', async () => {
    const h = await ready();
    expect(await h.remoteCheck({ endpoint }, never)).toEqual([{ id: 'big-70b' }, { id: 'org/other-8b' }]);
    await expect(h.remoteCheck({ endpoint: { ...endpoint, apiKey: 'sk-wrong' } }, never)).rejects.toMatchObject({
      name: 'RemoteAuthError',
    });
    // A check keeps nothing.
    expect((await h.catalog(null, never)).filter((m) => m.source === 'remote')).toEqual([]);
  });

  it('embeds nothing while a remote model is loaded; the local embedder answers again once a local model is', async () => {
    const h = await ready();
    await h.remoteSet({ endpoints: [endpoint] }, never);
    await h.load({ modelId: 'remote:lab/big-70b', options: {} }, () => {});
    expect(await h.embed({ texts: ['a passage'] }, never)).toBeNull();
    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    expect((await h.embed({ texts: ['a passage'] }, never))?.vectors).toHaveLength(1);
  });
});
