// The download manager in node against the fixture model server, with an in-memory store.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelServer } from '../../../../test/e2e/fixtures/model-server';
import { MemoryStore } from '../../../../test/fakes/memory-store';
import { MAX_RETRIES } from '../../../lib/download/progress';
import { DownloadError, HostUnreachableError, OfflineError, type AirgapError } from '../../errors';
import type { DownloadProgress } from '../../protocol';
import type { ArtifactStore } from './artifact-store';
import { downloadModel } from './downloader';

const ID = 'unit-q4f32_1-MLC';
let server: ModelServer;
beforeEach(async () => {
  server = new ModelServer([{ id: ID, shards: 3, shardBytes: 256 * 1024, withHashes: true }]);
  await server.start();
});
afterEach(async () => server.stop());

const run = (store: ArtifactStore, signal = new AbortController().signal, events: DownloadProgress[] = []) =>
  downloadModel({
    modelId: ID,
    record: { model: `${server.origin}/${ID}`, model_lib: `${server.origin}/libs/${ID}.wasm` },
    store,
    pageUrl: server.origin,
    signal,
    onProgress: (p) => events.push(p),
    retryBaseMs: 5,
  });

describe('downloadModel', () => {
  it('stores every file once, verified, and reports progress up to the total', async () => {
    const store = new MemoryStore();
    const events: DownloadProgress[] = [];
    const r = await run(store, undefined, events);
    expect(r).toMatchObject({ state: 'done', filesFetched: 7, filesSkipped: 0 });
    expect(store.files.size).toBe(7);
    const last = events.at(-1)!;
    expect(last.state).toBe('done');
    expect(last.bytesDone).toBe(server.modelBytes(server.models[0]!));
    expect(last.bytesTotal).toBe(last.bytesDone);
    expect(last.files.every((f) => f.state === 'done')).toBe(true);
    // A second run skips everything and touches the network for nothing.
    const before = [...server.requests.values()].reduce((a, b) => a + b, 0);
    const again = await run(store);
    expect(again).toMatchObject({ state: 'done', filesFetched: 0, filesSkipped: 7, bytesFetched: 0 });
    expect([...server.requests.values()].reduce((a, b) => a + b, 0)).toBe(before);
  });

  it('retries a dropped connection and a 500, then succeeds', async () => {
    server.fail(server.shardPath(ID, 0), 'drop', '500');
    const r = await run(new MemoryStore());
    expect(r.state).toBe('done');
    expect(server.count(server.shardPath(ID, 0))).toBe(3);
  });

  it('gives up on a connection that keeps dropping with a DownloadError naming the file', async () => {
    server.fail(server.shardPath(ID, 0), ...Array<'drop'>(MAX_RETRIES + 1).fill('drop'));
    const failure = await run(new MemoryStore()).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DownloadError);
    expect((failure as DownloadError).message).toMatch(/^params_shard_0\.bin: /);
    expect(server.count(server.shardPath(ID, 0))).toBe(MAX_RETRIES + 1);
  });

  it('a host that does not answer is named, and offline is said as such, never "fetch failed"', async () => {
    // Port 9 (discard) refuses connections on this machine: the fetch itself rejects.
    const dead = (signal = new AbortController().signal) =>
      downloadModel({
        modelId: ID,
        record: { model: `http://127.0.0.1:9/${ID}`, model_lib: `http://127.0.0.1:9/libs/${ID}.wasm` },
        store: new MemoryStore(),
        pageUrl: server.origin,
        signal,
        onProgress: () => {},
        retryBaseMs: 1,
      }).catch((err: unknown) => err);
    const unreachable = await dead();
    expect(unreachable).toBeInstanceOf(HostUnreachableError);
    expect((unreachable as AirgapError).userMessage).toMatch(/^127\.0\.0\.1:9 could not be reached\. Check/);
    vi.stubGlobal('navigator', { onLine: false });
    try {
      expect(await dead()).toBeInstanceOf(OfflineError);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('does not retry a 404 and names the file', async () => {
    const store = new MemoryStore();
    await expect(
      downloadModel({
        modelId: ID,
        record: { model: `${server.origin}/${ID}`, model_lib: `${server.origin}/libs/missing.wasm` },
        store,
        pageUrl: server.origin,
        signal: new AbortController().signal,
        onProgress: () => {},
        retryBaseMs: 5,
      }),
    ).rejects.toMatchObject({ name: 'DownloadError', message: expect.stringMatching(/missing\.wasm: HTTP 404/) });
    expect(server.count('/libs/missing.wasm')).toBe(1);
  });

  it('rejects a file whose SHA-256 does not match, and stores nothing for it', async () => {
    const tampered = new ModelServer([{ id: ID, shards: 2, shardBytes: 1024, withHashes: true }]);
    await tampered.start();
    const manifestPath = `/${ID}/resolve/main/tensor-cache.json`;
    // Serve a manifest whose first hash is wrong.
    const original = await (await fetch(`${tampered.origin}${manifestPath}`)).json();
    original.records[0].sha256 = createHash('sha256').update('something else').digest('hex');
    const store = new MemoryStore();
    await store.put(
      'webllm/model',
      `${tampered.origin}${manifestPath}`,
      new TextEncoder().encode(JSON.stringify(original)).buffer as ArrayBuffer,
    );
    await expect(
      downloadModel({
        modelId: ID,
        record: { model: `${tampered.origin}/${ID}`, model_lib: `${tampered.origin}/libs/${ID}.wasm` },
        store,
        pageUrl: tampered.origin,
        signal: new AbortController().signal,
        onProgress: () => {},
        retryBaseMs: 1,
      }),
    ).rejects.toMatchObject({ name: 'DownloadError', message: expect.stringMatching(/SHA-256/) });
    expect(await store.size('webllm/model', `${tampered.origin}/${ID}/resolve/main/params_shard_0.bin`)).toBeUndefined();
    await tampered.stop();
  });

  it('verifies sizes: a file shorter or longer than tensor-cache.json says fails after its retries, and is not stored', async () => {
    const manifestPath = `/${ID}/resolve/main/tensor-cache.json`;
    for (const delta of [-1, 1]) {
      const manifest = await (await fetch(`${server.origin}${manifestPath}`)).json();
      manifest.records[1].nbytes += delta;
      delete manifest.records[1].sha256;
      const store = new MemoryStore();
      await store.put(
        'webllm/model',
        `${server.origin}${manifestPath}`,
        new TextEncoder().encode(JSON.stringify(manifest)).buffer as ArrayBuffer,
      );
      const before = server.count(server.shardPath(ID, 1));
      await expect(run(store)).rejects.toMatchObject({
        name: 'DownloadError',
        message: expect.stringMatching(/params_shard_1\.bin: received \d+ of \d+ bytes/),
      });
      expect(server.count(server.shardPath(ID, 1)) - before).toBe(5);
      expect(await store.size('webllm/model', `${server.origin}${server.shardPath(ID, 1)}`)).toBeUndefined();
    }
  });

  it('re-fetches a stored file whose size is not the one tensor-cache.json gives', async () => {
    const store = new MemoryStore();
    await run(store);
    const shard = `${server.origin}${server.shardPath(ID, 2)}`;
    await store.put('webllm/model', shard, new ArrayBuffer(10));
    const r = await run(store);
    expect(r).toMatchObject({ state: 'done', filesFetched: 1, filesSkipped: 6 });
    expect(await store.size('webllm/model', shard)).toBe(256 * 1024);
  });

  it("checks a record's subresource integrity (sha256-<base64>) and hashes given in either form", async () => {
    const configPath = `/${ID}/resolve/main/mlc-chat-config.json`;
    const config = Buffer.from(await (await fetch(`${server.origin}${configPath}`)).arrayBuffer());
    const sri = `sha256-${createHash('sha256').update(config).digest('base64')}`;
    const record = (integrity: string) => ({
      model: `${server.origin}/${ID}`,
      model_lib: `${server.origin}/libs/${ID}.wasm`,
      integrity: { config: integrity },
    });
    const download = (store: ArtifactStore, integrity: string) =>
      downloadModel({
        modelId: ID,
        record: record(integrity),
        store,
        pageUrl: server.origin,
        signal: new AbortController().signal,
        onProgress: () => {},
        retryBaseMs: 1,
      });
    expect(await download(new MemoryStore(), sri)).toMatchObject({ state: 'done' });
    const wrong = `sha256-${createHash('sha256').update('other').digest('base64')}`;
    const store = new MemoryStore();
    await expect(download(store, wrong)).rejects.toMatchObject({
      name: 'DownloadError',
      message: expect.stringMatching(/mlc-chat-config\.json does not match its SHA-256/),
    });
    expect(await store.size('webllm/config', `${server.origin}${configPath}`)).toBeUndefined();
    // A shard hash in tensor-cache.json may already be in SRI form.
    const manifestPath = `/${ID}/resolve/main/tensor-cache.json`;
    const manifest = await (await fetch(`${server.origin}${manifestPath}`)).json();
    manifest.records[0].sha256 = `sha256-${Buffer.from(manifest.records[0].sha256, 'hex').toString('base64')}`;
    const sriStore = new MemoryStore();
    await sriStore.put(
      'webllm/model',
      `${server.origin}${manifestPath}`,
      new TextEncoder().encode(JSON.stringify(manifest)).buffer as ArrayBuffer,
    );
    expect(await run(sriStore)).toMatchObject({ state: 'done', filesFetched: 6 });
  });

  it('pauses on abort, keeping complete files, and resumes where it stopped', async () => {
    server.slowChunkMs = 150;
    server.fail(server.shardPath(ID, 1), 'slow');
    server.fail(server.shardPath(ID, 2), 'slow');
    const store = new MemoryStore();
    const controller = new AbortController();
    const events: DownloadProgress[] = [];
    const pending = run(store, controller.signal, events);
    while (!events.some((e) => e.files.some((f) => f.kind === 'shard' && f.state === 'done'))) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const paused = await pending;
    expect(paused.state).toBe('paused');
    const kept = [...store.files.keys()];
    expect(kept.length).toBeLessThan(7);
    const resumed = await run(store);
    expect(resumed.state).toBe('done');
    expect(resumed.filesSkipped).toBe(kept.length);
    for (const key of kept) expect(server.count(new URL(key.split(' ')[1]!).pathname)).toBe(1);
  });

  it('turns a full disk into StorageFullError without registering the file', async () => {
    const store = new MemoryStore();
    store.failPutsFrom = 5;
    await expect(run(store)).rejects.toMatchObject({ name: 'StorageFullError' });
    expect(store.files.size).toBe(4);
  });
});

describe('tensor-cache.json hashes', () => {
  it('refuses a shard whose MD5 does not match its md5sum, without retrying, and stores nothing for it', async () => {
    server.corrupt(server.shardPath(ID, 1));
    const store = new MemoryStore();
    await expect(run(store)).rejects.toMatchObject({
      name: 'DownloadError',
      message: expect.stringMatching(/params_shard_1\.bin does not match its MD5/),
    });
    expect(await store.size('webllm/model', `${server.origin}${server.shardPath(ID, 1)}`)).toBeUndefined();
    expect(server.count(server.shardPath(ID, 1))).toBe(1);
  });
});
