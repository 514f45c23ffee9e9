// downloadModel against the local model server: which files WebLLM reads are fetched (package manifest,
// tokenizer), and how the record's integrity hashes and a failed file stop the queue.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ModelServer } from '../../../../test/e2e/fixtures/model-server';
import { MemoryStore } from '../../../../test/fakes/memory-store';
import type { DownloadProgress } from '../../protocol';
import { downloadModel } from './downloader';

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
