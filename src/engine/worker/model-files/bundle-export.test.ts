import { describe, expect, it } from 'vitest';
import { INDEX_ENTRY, type BundleIndex } from '../../../lib/bundle/format';
import { decodeHeader, padding } from '../../../lib/bundle/tar-header';
import type { ModelFile } from '../../../lib/download/files';
import { fileKey } from '../../../lib/download/holdings';
import type { BundleExportProgress } from '../../protocol';
import { exportBundle } from './bundle-export';

const base = 'https://hf.example/org/M-MLC/resolve/main/';
const record = { model_id: 'M-MLC', model: 'https://hf.example/org/M-MLC', model_lib: 'https://libs.example/M.wasm' };
const file = (name: string, kind: ModelFile['kind']): ModelFile => ({
  url: name.endsWith('.wasm') ? record.model_lib : `${base}${name}`,
  kind,
  scope: kind === 'wasm' ? 'webllm/wasm' : kind === 'config' ? 'webllm/config' : 'webllm/model',
  storeAs: 'arraybuffer',
});
const files = [
  file('mlc-chat-config.json', 'config'),
  file('tensor-cache.json', 'manifest'),
  file('M.wasm', 'wasm'),
  file('params_shard_0.bin', 'shard'),
  file('tokenizer.json', 'tokenizer'),
];
const bodies = new Map(files.map((f, i) => [f.url, new Uint8Array(300 + i * 200).fill(i + 1)]));

function source(stored = files) {
  return async () => ({
    record,
    plan: { files, complete: true },
    stored: new Map(stored.map((f) => [fileKey(f), bodies.get(f.url)!.byteLength])),
    read: async (f: ModelFile) => bodies.get(f.url)!.slice().buffer,
  });
}

function capture() {
  const chunks: Uint8Array[] = [];
  let aborted: unknown;
  const stream = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c), abort: (r) => void (aborted = r ?? 'aborted') });
  return { stream, bytes: () => Buffer.concat(chunks), aborted: () => aborted };
}

describe('exportBundle', () => {
  it('writes the index first and every stored file after it, reporting both passes', async () => {
    const out = capture();
    const events: BundleExportProgress[] = [];
    const ac = new AbortController();
    const opts = { modelId: 'M-MLC', source: source(), target: { kind: 'stream' as const, stream: out.stream }, signal: ac.signal };
    const result = await exportBundle({ ...opts, createdBy: 't', onProgress: (e) => events.push(e) });
    const tar = out.bytes();
    expect(result).toEqual({ modelId: 'M-MLC', state: 'done', bytes: tar.length, files: 5 });
    const head = decodeHeader(tar.subarray(0, 512));
    expect(head.name).toBe(INDEX_ENTRY);
    const index = JSON.parse(tar.subarray(512, 512 + head.size).toString()) as BundleIndex;
    expect(index.files.map((f) => f.path)).toEqual([
      'model/mlc-chat-config.json',
      'model/tensor-cache.json',
      'lib/M.wasm',
      'model/params_shard_0.bin',
      'model/tokenizer.json',
    ]);
    let at = 512 + head.size + padding(head.size);
    for (const [i, f] of index.files.entries()) {
      expect(decodeHeader(tar.subarray(at, at + 512)).name).toBe(f.path);
      expect(Buffer.from(tar.subarray(at + 512, at + 512 + f.bytes)).equals(Buffer.from(bodies.get(files[i]!.url)!))).toBe(true);
      at += 512 + f.bytes + padding(f.bytes);
    }
    expect(events.at(-1)).toEqual({ modelId: 'M-MLC', phase: 'writing', bytesDone: tar.length, bytesTotal: tar.length });
    expect(events.some((e) => e.phase === 'hashing' && e.bytesDone === index.totalBytes)).toBe(true);
  });

  it('refuses a model that is not offline-ready, naming what is missing, and errors the stream', async () => {
    const out = capture();
    const run = exportBundle({
      modelId: 'M-MLC',
      source: source(files.filter((f) => f.kind !== 'shard')),
      target: { kind: 'stream', stream: out.stream },
      signal: new AbortController().signal,
      createdBy: 't',
      onProgress: () => {},
    });
    await expect(run).rejects.toThrow(/not offline-ready; not stored: params_shard_0\.bin/);
    expect(out.aborted()).toBeDefined();
  });

  it('reports a write the sink refused as an export failure with its reason', async () => {
    const stream = new WritableStream<Uint8Array>({
      write: () => {
        throw new DOMException('the disk is full', 'QuotaExceededError');
      },
    });
    const run = exportBundle({
      modelId: 'M-MLC',
      source: source(),
      target: { kind: 'stream', stream },
      signal: new AbortController().signal,
      createdBy: 't',
      onProgress: () => {},
    });
    await expect(run).rejects.toMatchObject({ name: 'BundleExportError', message: 'the disk is full' });
  });

  it('stops when cancelled: the result says so and the stream is errored', async () => {
    const out = capture();
    const ac = new AbortController();
    const result = await exportBundle({
      modelId: 'M-MLC',
      source: source(),
      target: { kind: 'stream', stream: out.stream },
      signal: ac.signal,
      createdBy: 't',
      onProgress: (e) => e.phase === 'writing' && ac.abort(),
    });
    expect(result.state).toBe('cancelled');
    expect(out.aborted()).toBeDefined();
  });
});
