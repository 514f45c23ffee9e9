// The model store in node against the fixture model server: model ids that share files, and
// cancel in every state (downloading, paused, in the first phase with a write in flight).
import { afterEach, describe, expect, it } from 'vitest';
import { ModelServer, type FixtureModel } from '../../../../test/e2e/fixtures/model-server';
import { MemoryStore, memoryHeldIndex } from '../../../../test/fakes/memory-store';
import type { DownloadProgress } from '../../protocol';
import { ModelStore, type StoreRecord } from './model-store';

let server: ModelServer | undefined;
afterEach(async () => server?.stop());

async function setup(models: FixtureModel[]) {
  server = new ModelServer(models);
  await server.start();
  const records = ((await (await fetch(server.appConfigUrl)).json()) as { model_list: StoreRecord[] }).model_list;
  const store = new MemoryStore();
  const held = memoryHeldIndex();
  const modelStore = new ModelStore('cache', () => records, server.origin, { store, held, retryBaseMs: 1 });
  return { server, store, held, modelStore };
}

const A = 'shared-q4f32_1-MLC';
const B = 'shared-q4f32_1-MLC-1k';
const rows = async (m: ModelStore) => Object.fromEntries((await m.report()).models.map((r) => [r.modelId, r]));

describe('model ids that share files', () => {
  it('lists what was downloaded, counts shared bytes once, and deleting one keeps what the other needs', async () => {
    const {
      server: s,
      store,
      modelStore,
    } = await setup([
      { id: A, shards: 3, shardBytes: 4096 },
      { id: B, shards: 0, shardBytes: 0, sameFilesAs: A },
    ]);
    const total = s.modelBytes(s.models[0]!);
    await modelStore.download(A, false, () => {});
    // Only the model that was downloaded is listed, though the other id's files are all there.
    let r = await rows(modelStore);
    expect(Object.keys(r)).toEqual([A]);
    expect(r[A]).toMatchObject({ bytes: total, offlineReady: true });
    expect(r[A]!.sharedWith).toBeUndefined();

    const second = await modelStore.download(B, false, () => {});
    expect(second).toMatchObject({ state: 'done', filesFetched: 0 });
    const report = await modelStore.report();
    expect(report.modelBytes).toBe(total);
    r = await rows(modelStore);
    expect(r[A]).toMatchObject({ bytes: total, sharedWith: [B], sharedBytes: total, offlineReady: true });
    expect(r[B]).toMatchObject({ bytes: total, sharedWith: [A], sharedBytes: total, offlineReady: true });

    await modelStore.delete(A);
    r = await rows(modelStore);
    expect(Object.keys(r)).toEqual([B]);
    expect(r[B]).toMatchObject({ bytes: total, offlineReady: true });
    expect(r[B]!.sharedWith).toBeUndefined();
    expect(store.paths()).toEqual(s.pathsOf(s.models[0]!).sort());

    await modelStore.delete(B);
    expect(store.files.size).toBe(0);
    expect((await modelStore.report()).models).toEqual([]);
  });

  it('keeps a shared model library and removes the rest; "clear all" removes everything', async () => {
    const { store, modelStore } = await setup([
      { id: A, shards: 2, shardBytes: 4096 },
      { id: B, shards: 0, shardBytes: 0, sameFilesAs: A },
    ]);
    await modelStore.download(A, false, () => {});
    await modelStore.download(B, false, () => {});
    await modelStore.clear();
    expect(store.files.size).toBe(0);
    expect((await modelStore.report()).models).toEqual([]);
  });
});

describe('cancel', () => {
  const ID = 'cancel-q4f32_1-MLC';

  /** A slow six-shard download, once its first shard is stored. */
  async function downloadingSlowly() {
    const { server: s, store, modelStore } = await setup([{ id: ID, shards: 6, shardBytes: 256 * 1024 }]);
    s.slowAll = true;
    s.slowChunkMs = 20;
    const events: DownloadProgress[] = [];
    const pending = modelStore.download(ID, false, (p) => events.push(p));
    while (!events.some((e) => e.files.some((f) => f.kind === 'shard' && f.state === 'done'))) await new Promise((r) => setTimeout(r, 10));
    return { store, modelStore, events, pending };
  }

  it('works while paused: the files are removed and the model is no longer listed', async () => {
    const { store, modelStore, pending } = await downloadingSlowly();
    await modelStore.control(ID, 'pause');
    expect((await pending).state).toBe('paused');
    expect(store.files.size).toBeGreaterThan(0);
    expect((await modelStore.report()).models.map((m) => m.modelId)).toEqual([ID]);
    await modelStore.control(ID, 'cancel');
    expect(store.files.size).toBe(0);
    expect((await modelStore.report()).models).toEqual([]);
  });

  it('during the first phase leaves nothing behind, even a write that was in flight', async () => {
    const { server: s, store, modelStore } = await setup([{ id: ID, shards: 2, shardBytes: 4096 }]);
    // The config is written (slowly) while tensor-cache.json is still arriving: cancel aborts that
    // fetch, and the config's write must not land after the cancel has cleaned up.
    s.slowChunkMs = 400;
    s.fail(`/${ID}/resolve/main/tensor-cache.json`, 'slow');
    store.putDelayMs = 200;
    const pending = modelStore.download(ID, false, () => {});
    while (store.pending.size === 0) await new Promise((r) => setTimeout(r, 2));
    await modelStore.control(ID, 'cancel');
    expect((await pending).state).toBe('cancelled');
    await store.settled();
    expect(store.paths()).toEqual([]);
    expect((await modelStore.report()).models).toEqual([]);
  });

  it('while downloading stops the run and removes what it stored', async () => {
    const { store, modelStore, events, pending } = await downloadingSlowly();
    await modelStore.control(ID, 'cancel');
    expect((await pending).state).toBe('cancelled');
    await store.settled();
    expect(store.files.size).toBe(0);
    expect(events.at(-1)!.state).toBe('cancelled');
  });
});

describe('the chat config asked for by GPU sizing during a download', () => {
  const ID = 'sizing-q4f32_1-MLC';
  const configPath = `/${ID}/resolve/main/mlc-chat-config.json`;

  it('is fetched once when the download is already fetching it', async () => {
    const { server: s, store, modelStore } = await setup([{ id: ID, shards: 2, shardBytes: 4096 }]);
    // The download's write of the config lands late: until then the store has no config to read.
    store.putDelayMs = 100;
    const download = modelStore.download(ID, false, () => {});
    while (store.pending.size === 0) await new Promise((r) => setTimeout(r, 2));
    const shape = await modelStore.kvShape(ID);
    expect(shape).toBeDefined();
    expect((await download).state).toBe('done');
    expect(s.count(configPath)).toBe(1);
  });

  it('is fetched once when sizing fetched it first and a download starts meanwhile', async () => {
    const { server: s, store, modelStore } = await setup([{ id: ID, shards: 2, shardBytes: 4096 }]);
    store.putDelayMs = 100;
    const shape = modelStore.kvShape(ID);
    while (store.pending.size === 0) await new Promise((r) => setTimeout(r, 2));
    const download = modelStore.download(ID, false, () => {});
    expect(await shape).toBeDefined();
    await expect(download).resolves.toMatchObject({ state: 'done', filesSkipped: 1 });
    expect(s.count(configPath)).toBe(1);
  });
});
