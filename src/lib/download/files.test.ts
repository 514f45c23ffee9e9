import { describe, expect, it } from 'vitest';
import { backoffMs, quotaShortfall, RateMeter } from './progress';
import { bodyFiles, headFiles, isUncachedModelLib, modelBaseUrl, parseManifest, tokenizerFilesOf } from './files';

const record = { model: 'https://hf.example/mlc-ai/M-q4f32_1-MLC', model_lib: 'https://libs.example/M-q4f32_1-webgpu.wasm' };

describe('model files', () => {
  it('follow WebLLM\'s URL rules and scopes', () => {
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

  it('list shards with sizes and hashes, and tokenizer files', () => {
    const manifest = parseManifest({ records: [{ dataPath: 'params_shard_0.bin', nbytes: 10, sha256: '00ff' }, { dataPath: 'params_shard_1.bin', nbytes: 5 }] });
    const body = bodyFiles({ ...record, integrity: { tokenizer: { 'tokenizer.json': 'sha256-abc' } } }, manifest, tokenizerFilesOf({ tokenizer_files: ['tokenizer.json', 7] }));
    expect(body.map((f) => [f.kind, f.bytes, f.integrity])).toEqual([
      ['shard', 10, 'sha256-AP8='],
      ['shard', 5, undefined],
      ['tokenizer', undefined, 'sha256-abc'],
    ]);
  });

  it('reject malformed manifests', () => {
    expect(() => parseManifest({})).toThrow(/records/);
    expect(() => parseManifest({ records: [{ dataPath: 'x' }] })).toThrow(/nbytes/);
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
