import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, BUNDLE_SUFFIX, BUNDLE_VERSION, INDEX_ENTRY, bundleFileName, bundlePlace, isSafeKey, urlInRecord } from './format';

const record = { model: 'https://hf.example/org/M-MLC', model_lib: 'https://libs.example/v1/M-webgpu.wasm' };

describe('bundle places and URLs', () => {
  it('key model files relative to the model URL and the library by its file name', () => {
    expect(bundlePlace({ url: 'https://hf.example/org/M-MLC/resolve/main/params_shard_0.bin', kind: 'shard' }, record)).toEqual({
      base: 'model',
      key: 'params_shard_0.bin',
    });
    expect(bundlePlace({ url: record.model_lib, kind: 'wasm' }, record)).toEqual({ base: 'lib', key: 'M-webgpu.wasm' });
    expect(() => bundlePlace({ url: 'https://elsewhere.example/x.bin', kind: 'shard' }, record)).toThrow(
      "https://elsewhere.example/x.bin is not under the model's URL https://hf.example/org/M-MLC/resolve/main/",
    );
  });

  it('decode a key and refuse one that would leave its folder once decoded', () => {
    const under = 'https://hf.example/org/M-MLC/resolve/main/';
    expect(bundlePlace({ url: `${under}sub%20dir/a.bin?download=1`, kind: 'shard' }, record)).toEqual({
      base: 'model',
      key: 'sub dir/a.bin',
    });
    for (const name of ['..%2Fsecret.bin', 'a%5Cb.bin', '', '?x=1'])
      expect(() => bundlePlace({ url: `${under}${name}`, kind: 'shard' }, record), name).toThrow(
        `${under}${name} has no safe relative name in a bundle`,
      );
    expect(bundlePlace({ url: 'https://libs.example/v1/M%20webgpu.wasm', kind: 'wasm' }, record)).toEqual({
      base: 'lib',
      key: 'M webgpu.wasm',
    });
    for (const lib of ['https://libs.example/v1/', 'https://libs.example/v1/..%2F..%2Fx.wasm', 'https://libs.example/v1/a%5Cb.wasm'])
      expect(() => bundlePlace({ url: lib, kind: 'wasm' }, record), lib).toThrow(`the model library URL ${lib} has no safe file name`);
  });

  it("give each file its URL under the importing app's record, wherever that points", () => {
    const mirror = { model: 'http://127.0.0.1:9000/models/M/', model_lib: 'libs/M-webgpu.wasm' };
    expect(urlInRecord({ base: 'model', key: 'sub dir/a.bin' }, mirror, 'http://app.local/')).toBe(
      'http://127.0.0.1:9000/models/M/resolve/main/sub%20dir/a.bin',
    );
    expect(urlInRecord({ base: 'lib', key: 'M-webgpu.wasm' }, mirror, 'http://app.local/x/')).toBe('http://app.local/x/libs/M-webgpu.wasm');
  });

  it('refuse keys that leave their folder', () => {
    for (const bad of ['', '/a', '../a', 'a/../b', 'a//b', './a', 'a\\b', 'a\0b']) expect(isSafeKey(bad), bad).toBe(false);
    for (const good of ['a', 'a/b.bin', '.hidden', 'a..b']) expect(isSafeKey(good), good).toBe(true);
  });

  it('name the file after the model id, safe on every file system', () => {
    expect(bundleFileName('Qwen2.5-0.5B/q4f16_1:MLC')).toBe('Qwen2.5-0.5B_q4f16_1_MLC.airgap.tar');
    expect(bundleFileName('a :/b')).toBe('a_b.airgap.tar');
  });

  it('keep the names version 1 put on the wire, so bundles from other builds still open', () => {
    expect([BUNDLE_FORMAT, BUNDLE_VERSION, INDEX_ENTRY, BUNDLE_SUFFIX]).toEqual([
      'airgap-model-bundle',
      1,
      'airgap-bundle.json',
      '.airgap.tar',
    ]);
  });
});
