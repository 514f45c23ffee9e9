import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, TAR_BLOCK, type BundleIndex } from './format';
import { entryOffsets, parseBundleIndex } from './index-check';

const sha = 'a'.repeat(64);
function index(): BundleIndex {
  return {
    format: BUNDLE_FORMAT,
    version: 1,
    createdBy: 'test',
    createdAt: '1970-01-01T00:00:00.000Z',
    record: { model_id: 'M', model: 'https://hf.example/M', model_lib: 'https://libs.example/M.wasm' },
    files: [
      { path: 'model/mlc-chat-config.json', base: 'model', key: 'mlc-chat-config.json', kind: 'config', bytes: 10, sha256: sha },
      { path: 'model/tensor-cache.json', base: 'model', key: 'tensor-cache.json', kind: 'manifest', bytes: 20, sha256: sha },
      { path: 'lib/M.wasm', base: 'lib', key: 'M.wasm', kind: 'wasm', bytes: 600, sha256: sha },
      { path: 'model/params_shard_0.bin', base: 'model', key: 'params_shard_0.bin', kind: 'shard', bytes: 512, sha256: sha },
    ],
    totalBytes: 1142,
  };
}
const edited = (edit: (i: BundleIndex & Record<string, unknown>) => void) => {
  const i = index() as BundleIndex & Record<string, unknown>;
  edit(i);
  return () => parseBundleIndex(JSON.parse(JSON.stringify(i)));
};

describe('parseBundleIndex', () => {
  it('accepts a well-formed index', () => {
    expect(parseBundleIndex(index()).record.model_id).toBe('M');
  });
  it('names a wrong version and a foreign format', () => {
    expect(edited((i) => ((i as { version: number }).version = 2))).toThrow('this bundle is version 2; this app reads version 1');
    expect(edited((i) => ((i as { format: string }).format = 'zip'))).toThrow('not an Airgap model bundle');
  });
  it('refuses unsafe keys, wrong paths, bad sizes and digests, duplicates', () => {
    expect(edited((i) => Object.assign(i.files[3]!, { key: '../x', path: 'model/../x' }))).toThrow('unsafe key');
    expect(edited((i) => Object.assign(i.files[3]!, { path: 'model/other.bin' }))).toThrow('not "model/params_shard_0.bin"');
    expect(edited((i) => Object.assign(i.files[3]!, { bytes: -1 }))).toThrow('no valid size');
    expect(edited((i) => Object.assign(i.files[3]!, { sha256: 'ABC' }))).toThrow('no valid SHA-256');
    expect(edited((i) => i.files.push({ ...i.files[3]! }))).toThrow('twice');
    expect(edited((i) => Object.assign(i.files[3]!, { base: 'lib', path: 'lib/params_shard_0.bin' }))).toThrow('only the model library');
  });
  it('needs exactly one model library, a config and tensor-cache.json, and the right total', () => {
    expect(edited((i) => i.files.splice(2, 1))).toThrow('0 model libraries');
    expect(edited((i) => i.files.splice(0, 1))).toThrow('mlc-chat-config.json');
    expect(edited((i) => (i.totalBytes = 5))).toThrow('not the sum');
    expect(edited((i) => (i.record.model = 'file:///x'))).toThrow('not an http(s) URL');
  });
});

describe('entryOffsets', () => {
  it('places each header after the index entry and the padded entries before it', () => {
    expect(entryOffsets(index(), 700)).toEqual([
      TAR_BLOCK + 1024,
      TAR_BLOCK * 2 + 1024 + 512,
      TAR_BLOCK * 3 + 1024 + 1024,
      TAR_BLOCK * 4 + 1024 + 1024 + 1024,
    ]);
  });
});
