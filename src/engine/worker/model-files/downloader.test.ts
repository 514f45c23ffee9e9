// The download manager in node against the fixture model server, with an in-memory store.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelServer } from '../../../../test/e2e/fixtures/model-server';
import { MemoryStore } from '../../../../test/fakes/memory-store';
import { MAX_RETRIES } from '../../../lib/download/progress';
import { DownloadError } from '../../errors';
import type { DownloadProgress } from '../../protocol';
import type { ArtifactStore } from './artifact-store';
import { downloadModel } from './downloader';
import { configUrlOf, parseSource } from './sources';

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

describe('model sources', () => {
  it('finds the app config from a URL or a mirror base', () => {
    expect(configUrlOf('https://m.example/cfg.json')).toBe('https://m.example/cfg.json');
    expect(configUrlOf('https://m.example/mirror')).toBe('https://m.example/mirror/app-config.json');
    expect(configUrlOf('https://m.example/mirror/')).toBe('https://m.example/mirror/app-config.json');
  });

  it('validates records and resolves relative locations against the config', () => {
    const recs = parseSource(
      { model_list: [{ model_id: 'a', model: 'models/a', model_lib: '../libs/a.wasm' }] },
      'https://m.example/x/app-config.json',
    );
    expect(recs[0]).toMatchObject({ model: 'https://m.example/x/models/a', model_lib: 'https://m.example/libs/a.wasm' });
    expect(() => parseSource({}, 'https://m.example/c.json')).toThrow(/model_list/);
    expect(() => parseSource({ model_list: [] }, 'https://m.example/c.json')).toThrow(/empty/);
    expect(() => parseSource({ model_list: [{ model_id: 'a', model: 'm' }] }, 'https://m.example/c.json')).toThrow(
      /model 1 has no "model_lib"/,
    );
  });
});

describe('what is fetched and verified', () => {
  const start = async (models: ConstructorParameters<typeof ModelServer>[0]) => {
    const s = new ModelServer(models);
    await s.start();
    return s;
  };
  const recordOf = async (s: ModelServer, id: string) =>
    (
      (await (await fetch(s.appConfigUrl)).json()) as {
        model_list: ({ model_id: string } & Parameters<typeof downloadModel>[0]['record'])[];
      }
    ).model_list.find((r) => r.model_id === id)!;
  const download = async (
    s: ModelServer,
    id: string,
    store: MemoryStore,
    patch: Partial<Parameters<typeof downloadModel>[0]['record']> = {},
    events: DownloadProgress[] = [],
  ) =>
    downloadModel({
      modelId: id,
      record: { ...(await recordOf(s, id)), ...patch },
      store,
      pageUrl: s.origin,
      signal: new AbortController().signal,
      onProgress: (p) => events.push(p),
      retryBaseMs: 1,
    });

  it('downloads the package manifest WebLLM reads first, into webllm/config, and every file behind it', async () => {
    const s = await start([{ id: 'pkg-q4f16_1-MLC', shards: 2, shardBytes: 1024, withPackageManifest: true }]);
    const store = new MemoryStore();
    const r = await download(s, 'pkg-q4f16_1-MLC', store);
    expect(r.state).toBe('done');
    const manifestPath = '/pkg-q4f16_1-MLC/resolve/main/mlc-model-manifest.json';
    expect(await store.size('webllm/config', `${s.origin}${manifestPath}`)).toBeGreaterThan(0);
    expect(store.paths()).toEqual(s.pathsOf(s.models[0]!).sort());
    for (const p of s.pathsOf(s.models[0]!)) expect(s.count(p), p).toBe(1);
    await s.stop();
  });

  it('refuses a package manifest whose interface_id does not match its tasks, before any weights', async () => {
    const s = await start([{ id: 'pkg-q4f16_1-MLC', shards: 2, shardBytes: 1024, withPackageManifest: true }]);
    s.corrupt('/pkg-q4f16_1-MLC/resolve/main/mlc-model-manifest.json');
    await expect(download(s, 'pkg-q4f16_1-MLC', new MemoryStore())).rejects.toMatchObject({ name: 'DownloadError' });
    expect(s.count(s.shardPath('pkg-q4f16_1-MLC', 0))).toBe(0);
    await s.stop();
  });

  it('fetches only the tokenizer file WebLLM reads: an unused file that answers 404 does not fail the download', async () => {
    const s = await start([
      { id: 'tj-q4f32_1-MLC', shards: 1, shardBytes: 1024, tokenizerFiles: ['tokenizer_config.json', 'tokenizer.json', 'vocab.json'] },
      { id: 'tm-q4f32_1-MLC', shards: 1, shardBytes: 1024, tokenizerFiles: ['tokenizer.model', 'tokenizer_config.json'] },
    ]);
    for (const m of s.models) {
      const store = new MemoryStore();
      expect((await download(s, m.id, store)).state).toBe('done');
      expect(store.paths()).toEqual(s.pathsOf(m).sort());
      expect(s.count(`/${m.id}/resolve/main/tokenizer_config.json`)).toBe(0);
    }
    expect(s.count('/tj-q4f32_1-MLC/resolve/main/vocab.json')).toBe(0);
    expect(s.count('/tm-q4f32_1-MLC/resolve/main/tokenizer.json')).toBe(0);
    await s.stop();
  });

  it('verifies the record\'s integrity hashes in every SRI form WebLLM accepts, and honours onFailure "warn"', async () => {
    const s = await start([{ id: 'int-q4f32_1-MLC', shards: 1, shardBytes: 1024, withIntegrity: true }]);
    const id = 'int-q4f32_1-MLC';
    const config = new Uint8Array(await (await fetch(`${s.origin}/${id}/resolve/main/mlc-chat-config.json`)).arrayBuffer());
    const sri = (algo: 'sha384' | 'sha512', data: Uint8Array) => `${algo}-${createHash(algo).update(data).digest('base64')}`;
    // Correct SHA-384 / SHA-512 hashes pass; the served SHA-256 ones too.
    expect(
      (
        await download(s, id, new MemoryStore(), {
          integrity: {
            config: sri('sha512', config),
            model_lib: sri('sha384', new Uint8Array(await (await fetch(`${s.origin}/libs/${id}.wasm`)).arrayBuffer())),
          },
        })
      ).state,
    ).toBe('done');
    expect((await download(s, id, new MemoryStore())).state).toBe('done');
    // A wrong SHA-512 is refused and nothing is stored for the file.
    const wrong = sri('sha512', new TextEncoder().encode('something else'));
    const store = new MemoryStore();
    await expect(download(s, id, store, { integrity: { config: wrong } })).rejects.toMatchObject({
      name: 'DownloadError',
      message: expect.stringMatching(/mlc-chat-config\.json does not match its SHA-512/),
    });
    expect(await store.size('webllm/config', `${s.origin}/${id}/resolve/main/mlc-chat-config.json`)).toBeUndefined();
    // A malformed hash is refused (WebLLM throws on it even with "warn").
    await expect(download(s, id, new MemoryStore(), { integrity: { config: 'sha256-abc' } })).rejects.toMatchObject({
      name: 'DownloadError',
      message: expect.stringMatching(/malformed/),
    });
    // With onFailure "warn", WebLLM loads a mismatching file: so does the download, with a note.
    const events: DownloadProgress[] = [];
    expect((await download(s, id, new MemoryStore(), { integrity: { config: wrong, onFailure: 'warn' } }, events)).state).toBe('done');
    expect(events.some((e) => /mlc-chat-config\.json does not match its SHA-512.*warn/.test(e.note ?? ''))).toBe(true);
    // A corrupted tokenizer against the record's SHA-256.
    s.corrupt(`/${id}/resolve/main/tokenizer.json`);
    await expect(download(s, id, new MemoryStore())).rejects.toMatchObject({
      message: expect.stringMatching(/tokenizer\.json does not match its SHA-256/),
    });
    await s.stop();
  });

  it('stops the queue when a file fails for good: later files are never requested', async () => {
    const id = 'many-q4f32_1-MLC';
    const s = await start([{ id, shards: 16, shardBytes: 256 * 1024 }]);
    s.slowAll = true;
    s.slowChunkMs = 30;
    s.fail(s.shardPath(id, 0), '404');
    const events: DownloadProgress[] = [];
    await expect(download(s, id, new MemoryStore(), {}, events)).rejects.toMatchObject({
      name: 'DownloadError',
      message: expect.stringMatching(/params_shard_0\.bin: HTTP 404/),
    });
    const requested = Array.from({ length: 16 }, (_, i) => s.count(s.shardPath(id, i))).filter((n) => n > 0).length;
    // The wasm and at most the shards already in flight beside shard 0 (4 at a time).
    expect(requested).toBeLessThanOrEqual(4);
    expect(events.at(-1)!.state).toBe('failed');
    await s.stop();
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
