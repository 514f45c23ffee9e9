import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleParts, makeBundle, type BundleDamage } from '../../../../test/e2e/fixtures/bundle-file';
import { INDEX_ENTRY, TAR_BLOCK } from '../../../lib/bundle/format';
import { encodeHeader, padding } from '../../../lib/bundle/tar-header';
import { ModelServer } from '../../../../test/e2e/fixtures/model-server';
import { MemoryStore } from '../../../../test/fakes/memory-store';
import type { ModelFile } from '../../../lib/download/files';
import { openBundle } from './bundle-import';
import { discardImport, writeImport } from './import-writer';

const MODEL = 'fixture-u-q4f32_1-MLC';
const PAGE = 'http://app.test/';
let server: ModelServer;
beforeAll(async () => {
  server = new ModelServer([{ id: MODEL, shards: 3, shardBytes: 4096, withHashes: true }]);
  await server.start();
});
afterAll(() => server.stop());

const blob = (damage?: BundleDamage) => new Blob([new Uint8Array(makeBundle(server, server.models[0]!, damage))]);

/** Opens and writes a bundle into a memory store (no quota in node: force skips the preflight). */
async function importInto(store: MemoryStore, damage?: BundleDamage, written: ModelFile[] = []) {
  const opened = await openBundle(blob(damage), [], PAGE);
  const result = await writeImport({
    store,
    modelId: opened.modelId,
    files: opened.files,
    items: opened.items,
    written,
    signal: new AbortController().signal,
    onProgress: () => {},
    force: true,
  });
  return { opened, result };
}

describe('bundle import', () => {
  it("writes every file where the bundle's record places it, in WebLLM's scopes", async () => {
    const store = new MemoryStore();
    const { opened, result } = await importInto(store);
    expect(result).toEqual({ state: 'done', filesWritten: 7, filesSkipped: 0 });
    expect(opened.newRecord).toBe(true);
    for (const f of opened.files) expect(await store.size(f.scope, f.url), f.url).toBe(f.bytes);
    const wasm = opened.files.find((f) => f.kind === 'wasm')!;
    expect([wasm.scope, wasm.url]).toEqual(['webllm/wasm', server.record(MODEL).model_lib]);
  });

  it('uses the catalog record when the catalog has the model', async () => {
    const mirror = { model_id: MODEL, model: 'https://mirror.test/m/', model_lib: 'https://mirror.test/m.wasm' };
    const opened = await openBundle(blob(), [mirror], PAGE);
    expect(opened.newRecord).toBe(false);
    expect(opened.files.every((f) => f.url.startsWith('https://mirror.test/'))).toBe(true);
  });

  it('skips files already stored, so a paused import resumes', async () => {
    const store = new MemoryStore();
    await importInto(store);
    const { result } = await importInto(store);
    expect(result).toEqual({ state: 'done', filesWritten: 0, filesSkipped: 7 });
  });

  const refusals: [string, BundleDamage, string | RegExp][] = [
    ['a bad checksum', { corruptPath: 'model/params_shard_1.bin' }, 'model/params_shard_1.bin does not match its SHA-256'],
    ['an entry not in the index', { extra: [{ name: 'model/x.bin', data: Buffer.alloc(10) }] }, 'data beyond its index'],
    [
      'an oversized entry',
      { editIndex: (i) => ((i.files.at(-1)!.bytes -= 1), (i.totalBytes -= 1)) },
      /in the archive but \d+ in the index \(oversized\)/,
    ],
    ['a truncated archive', { truncateTo: 4000 }, 'cut short'],
  ];
  it('refuses entries out of order (the archive swaps two shards the index lists the other way)', async () => {
    const { index, data } = bundleParts(server, server.models[0]!);
    const order = index.files.map((f) => f.path);
    const [a, b] = [order.indexOf('model/params_shard_0.bin'), order.indexOf('model/params_shard_1.bin')];
    [order[a], order[b]] = [order[b]!, order[a]!];
    const parts: Uint8Array[] = [];
    const add = (name: string, body: Uint8Array) =>
      parts.push(encodeHeader({ name, size: body.length, mtime: 0 }), body, new Uint8Array(padding(body.length)));
    add(INDEX_ENTRY, new TextEncoder().encode(JSON.stringify(index)));
    for (const p of order) add(p, data.get(p)!);
    parts.push(new Uint8Array(2 * TAR_BLOCK));
    const opened = await openBundle(new Blob(parts as Uint8Array<ArrayBuffer>[]), [], PAGE);
    const run = writeImport({
      store: new MemoryStore(),
      modelId: MODEL,
      files: opened.files,
      items: opened.items,
      written: [],
      signal: new AbortController().signal,
      onProgress: () => {},
      force: true,
    });
    await expect(run).rejects.toThrow('out of order (model/params_shard_1.bin where the index puts model/params_shard_0.bin)');
  });

  for (const [what, damage, reason] of refusals) {
    it(`refuses ${what}, and what it wrote can be removed`, async () => {
      const store = new MemoryStore();
      const written: ModelFile[] = [];
      await expect(importInto(store, damage, written)).rejects.toThrow(reason);
      await discardImport(store, written);
      for (const scope of ['webllm/config', 'webllm/wasm', 'webllm/model'] as const) expect(await store.list(scope)).toEqual([]);
    });
  }
});
