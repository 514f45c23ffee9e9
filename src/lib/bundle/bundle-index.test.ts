import { describe, expect, it } from 'vitest';
import { buildBundleIndex, bundleOrder, type HashedFile } from './bundle-index';
import type { FileKind } from '../download/files';

const record = { model_id: 'M-MLC', model: 'https://hf.example/org/M-MLC', model_lib: 'https://libs.example/v1/M-webgpu.wasm' };
const base = 'https://hf.example/org/M-MLC/resolve/main/';
const hashed = (name: string, kind: FileKind): HashedFile => ({
  file: { url: kind === 'wasm' ? record.model_lib : `${base}${name}`, kind },
  bytes: name.length,
  sha256: '0'.repeat(64),
});

describe('bundleOrder', () => {
  it('leads with the package manifest, then chat config and tensor cache, keeping plan order within a kind', () => {
    const kinds: FileKind[] = ['tokenizer', 'shard', 'shard', 'wasm', 'manifest', 'config', 'shard', 'package', 'tokenizer'];
    const plan = kinds.map((kind, i) => ({ kind, i }));
    expect(bundleOrder(plan).map((f) => `${f.kind}${f.i}`)).toEqual([
      'package7',
      'config5',
      'manifest4',
      'wasm3',
      'shard1',
      'shard2',
      'shard6',
      'tokenizer0',
      'tokenizer8',
    ]);
    expect(plan[0]).toEqual({ kind: 'tokenizer', i: 0 });
  });
});

describe('buildBundleIndex', () => {
  it('refuses two files that would have the same name in the bundle', () => {
    const files = [hashed('a.bin', 'shard'), hashed('a.bin?download=1', 'shard')];
    expect(() => buildBundleIndex({ record, files, createdBy: 't', createdAt: new Date(0) })).toThrow(
      'two of the model files would have the same name in the bundle',
    );
  });
});
