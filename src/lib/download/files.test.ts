import { describe, expect, it } from 'vitest';
import { backoffMs, quotaShortfall, RateMeter } from './progress';
import {
  bodyFiles,
  canonicalJson,
  headFiles,
  isUncachedModelLib,
  modelBaseUrl,
  packageFile,
  parseManifest,
  parsePackage,
  parseSri,
  tokenizerFileOf,
} from './files';

const record = { model: 'https://hf.example/mlc-ai/M-q4f32_1-MLC', model_lib: 'https://libs.example/M-q4f32_1-webgpu.wasm' };

describe('model files', () => {
  it("follow WebLLM's URL rules and scopes", () => {
    expect(modelBaseUrl(record.model)).toBe('https://hf.example/mlc-ai/M-q4f32_1-MLC/resolve/main/');
    expect(modelBaseUrl('http://127.0.0.1:9/m/resolve/v2/')).toBe('http://127.0.0.1:9/m/resolve/v2/');
    const head = headFiles(record, 'https://app.example/');
    expect(head.map((f) => [f.kind, f.scope, f.storeAs])).toEqual([
      ['config', 'webllm/config', 'arraybuffer'],
      ['manifest', 'webllm/model', 'json'],
      ['wasm', 'webllm/wasm', 'arraybuffer'],
    ]);
    expect(head[0]!.url).toBe('https://hf.example/mlc-ai/M-q4f32_1-MLC/resolve/main/mlc-chat-config.json');
  });

  it('put libraries WebLLM never caches in our own scope', () => {
    expect(isUncachedModelLib('http://localhost:8000/m.wasm')).toBe(true);
    expect(isUncachedModelLib('/libs/m.wasm')).toBe(true);
    expect(isUncachedModelLib('https://libs.example/m.wasm')).toBe(false);
    const head = headFiles({ ...record, model_lib: '/libs/m.wasm' }, 'https://app.example/chat');
    expect(head[2]).toMatchObject({ url: 'https://app.example/libs/m.wasm', scope: 'airgap-model-libs' });
  });

  it('list shards with sizes and hashes, and the tokenizer file', () => {
    const manifest = parseManifest({
      records: [
        { dataPath: 'params_shard_0.bin', nbytes: 10, sha256: '00ff' },
        { dataPath: 'params_shard_1.bin', nbytes: 5 },
      ],
    });
    const tc = 'https://hf.example/mlc-ai/M-q4f32_1-MLC/resolve/main/tensor-cache.json';
    const body = bodyFiles({ ...record, integrity: { tokenizer: { 'tokenizer.json': 'sha256-abc' } } }, tc, manifest, 'tokenizer.json');
    expect(body.map((f) => [f.kind, f.bytes, f.integrity])).toEqual([
      ['shard', 10, 'sha256-AP8='],
      ['shard', 5, undefined],
      ['tokenizer', undefined, 'sha256-abc'],
    ]);
  });

  it('name only the tokenizer file WebLLM reads: tokenizer.json, else tokenizer.model', () => {
    expect(tokenizerFileOf({ tokenizer_files: ['tokenizer_config.json', 'vocab.json', 'tokenizer.json', 'merges.txt'] })).toBe(
      'tokenizer.json',
    );
    expect(tokenizerFileOf({ tokenizer_files: ['tokenizer.model', 'tokenizer_config.json'] })).toBe('tokenizer.model');
    expect(tokenizerFileOf({ tokenizer_files: ['tokenizer.model', 'tokenizer.json'] })).toBe('tokenizer.json');
    expect(tokenizerFileOf({ tokenizer_files: ['vocab.json'] })).toBeUndefined();
    expect(tokenizerFileOf({})).toBeUndefined();
    // The record's overrides are merged over the config, as reload merges them.
    expect(tokenizerFileOf({ tokenizer_files: ['vocab.json'] }, { tokenizer_files: ['tokenizer.model'] })).toBe('tokenizer.model');
  });

  it('resolve a package manifest and the files behind it the way reload does', () => {
    expect(packageFile(record)).toBeUndefined();
    const pkg = packageFile({ ...record, model_manifest: 'mlc-model-manifest.json' })!;
    expect(pkg).toMatchObject({
      url: 'https://hf.example/mlc-ai/M-q4f32_1-MLC/resolve/main/mlc-model-manifest.json',
      kind: 'package',
      scope: 'webllm/config',
      storeAs: 'arraybuffer',
    });
    const tasks = { 'chat.completions': { executor: 'main', output: 'text' } };
    const parsed = parsePackage({
      schema: 'mlc.model-package',
      schema_version: 1,
      interface_id: `sha256:${'0'.repeat(64)}`,
      weights: { manifest: 'tensor-cache.json', parameter_schema_id: 'x' },
      tasks,
    });
    expect(parsed).toMatchObject({ chatConfig: 'mlc-chat-config.json', tensorCache: 'tensor-cache.json' });
    const head = headFiles(record, 'https://app.example/', parsed);
    expect(head.map((f) => f.url)).toEqual(headFiles(record, 'https://app.example/').map((f) => f.url));
    expect(() => parsePackage({ schema: 'other', schema_version: 1 })).toThrow(/mlc.model-package/);
    expect(() => parsePackage({ schema: 'mlc.model-package', schema_version: 2 })).toThrow(/schema_version/);
    expect(canonicalJson({ b: [1, { d: undefined, c: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"c":"x"}]}');
  });

  it('parse SRI strings as WebLLM does', () => {
    const b64 = (n: number) => btoa(String.fromCharCode(...new Array<number>(n).fill(7)));
    expect(parseSri(`sha256-${b64(32)}`)).toEqual({ algorithm: 'SHA-256', base64: b64(32) });
    expect(parseSri(`sha384-${b64(48)}`)?.algorithm).toBe('SHA-384');
    expect(parseSri(`sha512-${b64(64)}`)?.algorithm).toBe('SHA-512');
    expect(parseSri(`sha256-${b64(31)}`)).toBeUndefined();
    expect(parseSri(`md5-${b64(16)}`)).toBeUndefined();
    expect(parseSri('sha256-abc')).toBeUndefined();
  });

  it('reject malformed manifests', () => {
    expect(() => parseManifest({})).toThrow(/records/);
    expect(() => parseManifest({ records: [{ dataPath: 'x' }] })).toThrow(/nbytes/);
    // tvmjs refuses a tensor that does not lie inside its shard.
    expect(() => parseManifest({ records: [{ dataPath: 'x', nbytes: 8, records: [{ byteOffset: 4, nbytes: 8 }] }] })).toThrow(/outside x/);
    expect(parseManifest({ records: [{ dataPath: 'x', nbytes: 8, records: [{ byteOffset: 4, nbytes: 4 }] }] }).records).toHaveLength(1);
  });
});

describe('progress', () => {
  it('measures a rate over a window and estimates the time left', () => {
    const m = new RateMeter();
    expect(m.rate).toBe(0);
    m.add(0, 0);
    m.add(1000, 1_000_000);
    m.add(2000, 2_000_000);
    expect(m.rate).toBe(1_000_000);
    expect(m.etaSeconds(3_000_000)).toBe(3);
    m.add(9000, 2_000_000);
    expect(m.rate).toBeLessThan(1_000_000);
  });
  it('backs off exponentially with a cap', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a))).toEqual([500, 1000, 2000, 4000, 15000]);
  });
  it('says how much will not fit', () => {
    expect(quotaShortfall(100, { usage: 50, quota: 100 })).toBe(50);
    expect(quotaShortfall(10, { usage: 50, quota: 100 })).toBe(0);
    expect(quotaShortfall(10, {})).toBeUndefined();
  });
});
