// Shards streamed into the store (no SRI hash, as MLC publishes them): checked on the way in, and a
// store that commits only clean streams never shows a short or corrupt one. Against the fixture server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelServer } from '../../../../test/e2e/fixtures/model-server';
import { MemoryStore } from '../../../../test/fakes/memory-store';
import type { DownloadProgress } from '../../protocol';
import { downloadModel } from './downloader';

const ID = 'stream-q4f32_1-MLC';
let server: ModelServer;
beforeEach(async () => {
  server = new ModelServer([{ id: ID, shards: 3, shardBytes: 256 * 1024 }]);
  await server.start();
});
afterEach(async () => server.stop());

/** Counts the files that went through putStream. */
class StreamCountingStore extends MemoryStore {
  streamed: string[] = [];
  override putStream(scope: Parameters<MemoryStore['putStream']>[0], url: string, body: ReadableStream<Uint8Array>) {
    this.streamed.push(new URL(url).pathname);
    return super.putStream(scope, url, body);
  }
}

const run = (store: MemoryStore, events: DownloadProgress[] = []) =>
  downloadModel({
    modelId: ID,
    record: { model: `${server.origin}/${ID}`, model_lib: `${server.origin}/libs/${ID}.wasm` },
    store,
    pageUrl: server.origin,
    signal: new AbortController().signal,
    onProgress: (p) => events.push(p),
    retryBaseMs: 5,
  });
const shardUrl = (i: number) => `${server.origin}${server.shardPath(ID, i)}`;

describe('streamed shards', () => {
  it('go straight into the store whole, with progress counting their bytes', async () => {
    const store = new StreamCountingStore();
    const events: DownloadProgress[] = [];
    await expect(run(store, events)).resolves.toMatchObject({ state: 'done', filesFetched: 7 });
    expect(store.streamed.sort()).toEqual([0, 1, 2].map((i) => server.shardPath(ID, i)).sort());
    for (let i = 0; i < 3; i++)
      expect(Buffer.from((await store.read('webllm/model', shardUrl(i)))!).equals(server.body(server.shardPath(ID, i)))).toBe(true);
    expect(events.at(-1)!.bytesDone).toBe(server.modelBytes(server.models[0]!));
  });

  it('a shard whose MD5 does not match is refused for good and never becomes visible', async () => {
    server.corrupt(server.shardPath(ID, 1));
    const store = new StreamCountingStore();
    await expect(run(store)).rejects.toMatchObject({
      name: 'DownloadError',
      message: expect.stringMatching(/params_shard_1\.bin does not match its MD5/),
    });
    expect(store.streamed).toContain(server.shardPath(ID, 1));
    expect(await store.size('webllm/model', shardUrl(1))).toBeUndefined();
    expect(server.count(server.shardPath(ID, 1))).toBe(1);
  });

  it('a shard shorter than tensor-cache.json says is retried, then refused, and never stored', async () => {
    const manifestPath = `/${ID}/resolve/main/tensor-cache.json`;
    const manifest = JSON.parse(server.body(manifestPath).toString());
    manifest.records[2].nbytes += 1;
    const store = new StreamCountingStore();
    await store.put(
      'webllm/model',
      `${server.origin}${manifestPath}`,
      new TextEncoder().encode(JSON.stringify(manifest)).buffer as ArrayBuffer,
    );
    await expect(run(store)).rejects.toMatchObject({ message: expect.stringMatching(/params_shard_2\.bin: received \d+ of \d+ bytes/) });
    expect(store.streamed).toContain(server.shardPath(ID, 2));
    expect(await store.size('webllm/model', shardUrl(2))).toBeUndefined();
  });

  it('a full disk during a streamed shard is StorageFullError', async () => {
    const store = new StreamCountingStore();
    store.failPutsFrom = 5;
    await expect(run(store)).rejects.toMatchObject({ name: 'StorageFullError' });
    expect(store.files.size).toBe(4);
  });
});
