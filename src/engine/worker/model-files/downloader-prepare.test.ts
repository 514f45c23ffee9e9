// The prepare-only run the page uses before it hands a model's files to Background Fetch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelServer } from '../../../../test/e2e/fixtures/model-server';
import { MemoryStore } from '../../../../test/fakes/memory-store';
import type { DownloadProgress } from '../../protocol';
import { downloadModel } from './downloader';

const ID = 'unit-q4f32_1-MLC';
let server: ModelServer;
beforeEach(async () => {
  server = new ModelServer([{ id: ID, shards: 3, shardBytes: 256 * 1024, withHashes: true }]);
  await server.start();
});
afterEach(async () => server.stop());

describe('downloadModel, prepareOnly', () => {
  it('prepareOnly stores the head files, lists the rest as not stored, and fetches nothing else', async () => {
    const store = new MemoryStore();
    const events: DownloadProgress[] = [];
    const r = await downloadModel({
      modelId: ID,
      record: { model: `${server.origin}/${ID}`, model_lib: `${server.origin}/libs/${ID}.wasm` },
      store,
      pageUrl: server.origin,
      signal: new AbortController().signal,
      onProgress: (p) => events.push(p),
      prepareOnly: true,
    });
    expect(r.state).toBe('paused');
    const heads = server.pathsOf(server.models[0]!).filter((p) => p.endsWith('.json') && !p.endsWith('tokenizer.json'));
    for (const p of server.pathsOf(server.models[0]!)) expect(server.count(p), p).toBe(heads.includes(p) ? 1 : 0);
    const open = events.at(-1)!.files.filter((f) => f.state !== 'done' && f.state !== 'skipped');
    expect(open.map((f) => new URL(f.url).pathname).sort()).toEqual(
      server
        .pathsOf(server.models[0]!)
        .filter((p) => !heads.includes(p))
        .sort(),
    );
  });
});
