import { describe, expect, it } from 'vitest';
import { EngineClient, type WorkerLike } from './client';
import { EngineCrashedError, ModelNotLoadedError } from './errors';
import type { PageToWorker, WorkerToPage } from './protocol';

/** A worker stand-in: records posted messages and lets the test answer or crash. */
class FakeWorker extends EventTarget implements WorkerLike {
  posted: PageToWorker[] = [];
  transfers: (Transferable[] | undefined)[] = [];
  terminated = false;
  postMessage(m: unknown, transfer?: Transferable[]) {
    this.posted.push(m as PageToWorker);
    this.transfers.push(transfer);
  }
  terminate() {
    this.terminated = true;
  }
  reply(m: WorkerToPage) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: m }));
  }
  fail(type: 'error' | 'messageerror') {
    this.dispatchEvent(Object.assign(new Event(type, { cancelable: true }), { message: 'boom' }));
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new EngineClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  return { client, workers, worker: () => workers.at(-1)! };
}

describe('EngineClient', () => {
  it('moves the objects a call names for transfer, and only for that call', () => {
    const { client, worker } = setup();
    const stream = new WritableStream<Uint8Array>();
    void client.call('exportBundle', { modelId: 'm', target: { kind: 'stream', stream } }, undefined, [stream]);
    void client.call('catalog', null);
    expect(worker().transfers).toEqual([[stream], undefined]);
  });

  it('hands notices to notice listeners without settling any call', async () => {
    const { client, worker } = setup();
    const notices: unknown[] = [];
    const off = client.onNotice((n) => notices.push(n));
    const pending = client.call('catalog', null);
    worker().reply({ type: 'notice', notice: { kind: 'deviceLost', message: 'gone' } });
    expect(notices).toEqual([{ kind: 'deviceLost', message: 'gone' }]);
    worker().reply({ id: worker().posted[0]!.id, type: 'result', result: [] });
    await expect(pending).resolves.toEqual([]);
    off();
    worker().reply({ type: 'notice', notice: { kind: 'deviceLost', message: 'again' } });
    expect(notices).toHaveLength(1);
  });

  it('matches results to calls by id and routes events', async () => {
    const { client, worker } = setup();
    const deltas: string[] = [];
    const chat = client.call('chat', { modelId: 'm', messages: [] }, (e) => void ('delta' in e && deltas.push(e.delta)));
    const catalog = client.call('catalog', null);
    const [c1, c2] = worker().posted;
    expect(c1).toMatchObject({ kind: 'chat' });
    expect(c2).toMatchObject({ kind: 'catalog' });
    worker().reply({ id: c2!.id, type: 'result', result: [] });
    worker().reply({ id: c1!.id, type: 'event', event: { delta: 'he' } });
    worker().reply({ id: c1!.id, type: 'event', event: { delta: 'llo' } });
    const usage = { promptTokens: 1, completionTokens: 2, prefillTokensPerSecond: 3, decodeTokensPerSecond: 4 };
    worker().reply({
      id: c1!.id,
      type: 'result',
      result: {
        text: 'hello',
        finishReason: 'stop',
        usage,
        speculation: {
          used: 'off',
          drafted: 0,
          accepted: 0,
          targetPasses: 2,
          passTokens: 2,
          specPasses: 0,
          specTokens: 0,
          specMs: 0,
          plainMs: 0,
        },
      },
    });
    await expect(catalog).resolves.toEqual([]);
    await expect(chat).resolves.toMatchObject({ text: 'hello' });
    expect(deltas).toEqual(['he', 'llo']);
  });

  it('rejects with the named error class', async () => {
    const { client, worker } = setup();
    const p = client.call('chat', { modelId: 'm', messages: [] });
    worker().reply({ id: worker().posted[0]!.id, type: 'error', error: { name: 'ModelNotLoadedError', message: 'nope' } });
    await expect(p).rejects.toBeInstanceOf(ModelNotLoadedError);
  });

  for (const kind of ['error', 'messageerror'] as const) {
    it(`on a worker ${kind}, rejects every pending call and reports the crash once`, async () => {
      const { client, worker } = setup();
      const crashes: EngineCrashedError[] = [];
      client.onCrash((e) => crashes.push(e));
      const a = client.call('chat', { modelId: 'm', messages: [] });
      const b = client.call('load', { modelId: 'm', options: {} });
      worker().fail(kind);
      worker().fail(kind);
      await expect(a).rejects.toBeInstanceOf(EngineCrashedError);
      await expect(b).rejects.toBeInstanceOf(EngineCrashedError);
      expect(crashes).toHaveLength(1);
      expect(client.dead).toBe(true);
      await expect(client.call('catalog', null)).rejects.toBeInstanceOf(EngineCrashedError);
    });
  }

  it('restarts with a fresh worker and ignores the old one', async () => {
    const { client, workers, worker } = setup();
    worker().fail('error');
    client.restart();
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(client.dead).toBe(false);
    const p = client.call('catalog', null);
    const id = worker().posted[0]!.id;
    workers[0]!.reply({ id, type: 'result', result: ['stale'] });
    worker().reply({ id, type: 'result', result: [] });
    await expect(p).resolves.toEqual([]);
  });

  it('treats terminate as a crash for pending calls', async () => {
    const { client } = setup();
    const p = client.call('catalog', null);
    client.terminate();
    await expect(p).rejects.toBeInstanceOf(EngineCrashedError);
  });
});
