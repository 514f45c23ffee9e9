import { describe, expect, it } from 'vitest';
import { TAR_BLOCK, type BundleIndex } from './format';
import { MAX_INDEX_BYTES, entryOffsets, parseBundleIndex } from './index-check';

const sha = 'a'.repeat(64);
// Written out, not built from the constants: a bundle from another build of the app carries these literals.
function index(): BundleIndex {
  return {
    format: 'airgap-model-bundle',
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
type Loose = Record<string, unknown> & { record: Record<string, unknown>; files: Record<string, unknown>[] };
const edited = (edit: (i: Loose) => void) => {
  const i = index() as unknown as Loose;
  edit(i);
  return () => parseBundleIndex(JSON.parse(JSON.stringify(i)));
};
/** Files 4's fields replaced, the total kept right so only the file's own check can refuse it. */
const file4 = (fields: Record<string, unknown>) =>
  edited((i) => {
    Object.assign(i.files[3]!, fields);
    i.totalBytes = i.files.reduce((n, f) => n + (typeof f.bytes === 'number' ? f.bytes : 0), 0);
  });

describe('parseBundleIndex accepts', () => {
  it('a well-formed index, returned as it came', () => {
    const good = index();
    expect(parseBundleIndex(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });
  it('every file kind a model has, a zero-byte file, and an http model URL', () => {
    const ok = edited((i) => {
      i.record.model = 'http://127.0.0.1:8000/models/M/';
      const pkg = { path: 'model/mlc-model-manifest.json', base: 'model', key: 'mlc-model-manifest.json', kind: 'package' };
      i.files.unshift({ ...pkg, bytes: 0, sha256: sha });
      i.files.push({ path: 'model/tokenizer.json', base: 'model', key: 'tokenizer.json', kind: 'tokenizer', bytes: 0, sha256: sha });
    });
    expect(ok().files.map((f) => f.kind)).toEqual(['package', 'config', 'manifest', 'wasm', 'shard', 'tokenizer']);
  });
});

describe('MAX_INDEX_BYTES', () => {
  it('leaves room for the index of a model with 10,000 shards, as the exporter writes it (pretty JSON)', () => {
    const big = index();
    for (let n = 1; n <= 10_000; n++) {
      const key = `params/deeply/nested/folder/params_shard_${n}_of_a_model_with_a_long_name.bin`;
      big.files.push({ path: `model/${key}`, base: 'model', key, kind: 'shard', bytes: 33_554_432, sha256: sha });
    }
    big.totalBytes = big.files.reduce((n, f) => n + f.bytes, 0);
    const json = JSON.stringify(big, null, 2);
    expect(json.length).toBeLessThan(MAX_INDEX_BYTES);
    expect(parseBundleIndex(JSON.parse(json)).files).toHaveLength(10_004);
  });
});

describe('parseBundleIndex refuses, saying why', () => {
  const notBundle = 'this is not an Airgap model bundle (its index has another format)';
  it.each([null, [], 'airgap-model-bundle', 7])('a top-level %j', (json) => {
    expect(() => parseBundleIndex(json)).toThrow(notBundle);
  });
  it('a foreign format and another version, naming the version', () => {
    expect(edited((i) => (i.format = 'zip'))).toThrow(notBundle);
    expect(edited((i) => (i.version = 2))).toThrow('this bundle is version 2; this app reads version 1');
    expect(edited((i) => (i.version = '1'))).toThrow('this bundle is version "1"; this app reads version 1');
  });

  const noStamp = 'the index has no createdBy or createdAt';
  it.each([
    ['createdBy', undefined],
    ['createdAt', undefined],
    ['createdBy', 5],
    ['createdAt', null],
  ])('%s = %j', (field, value) => {
    expect(edited((i) => (i[field] = value))).toThrow(noStamp);
  });

  const noRecord = 'the index has no model record with model_id, model and model_lib';
  it.each([
    ['a record that is an array', (i: Loose) => (i.record = [] as unknown as Record<string, unknown>)],
    ['a record that is null', (i: Loose) => (i.record = null as unknown as Record<string, unknown>)],
    ['no model_id', (i: Loose) => delete i.record.model_id],
    ['no model', (i: Loose) => delete i.record.model],
    ['no model_lib', (i: Loose) => delete i.record.model_lib],
    ['a numeric model_id', (i: Loose) => (i.record.model_id = 5)],
    ['a blank model_id', (i: Loose) => (i.record.model_id = ' \t')],
    ['a blank model', (i: Loose) => (i.record.model = '  ')],
    ['a blank model_lib', (i: Loose) => (i.record.model_lib = ' ')],
  ])('%s', (_, edit) => {
    expect(edited(edit)).toThrow(noRecord);
  });

  it.each(['file:///x', 'not a url', 'git+https://hf.example/M', 'ftp://hf.example/M'])('a model URL %s', (url) => {
    expect(edited((i) => (i.record.model = url))).toThrow(`the record's model URL "${url}" is not an http(s) URL`);
  });

  it.each([[[]], [{}], ['files'], [null]])('files = %j', (files) => {
    expect(edited((i) => (i.files = files as Record<string, unknown>[]))).toThrow('the index lists no files');
  });
});

describe('parseBundleIndex refuses a file entry, naming it', () => {
  const at = 'file 4 of the index';
  it.each([null, [], 'model/x.bin'])('that is %j', (f) => {
    expect(edited((i) => (i.files[3] = f as unknown as Record<string, unknown>))).toThrow(`${at} is not an object`);
  });
  it('with a base other than model or lib', () => {
    expect(file4({ base: 'x', path: 'x/params_shard_0.bin' })).toThrow(`${at} has base "x", not "model" or "lib"`);
    expect(file4({ base: undefined, path: 'undefined/params_shard_0.bin' })).toThrow(`${at} has base undefined, not "model" or "lib"`);
  });
  it.each([
    [5, 'model/5'],
    ['../x', 'model/../x'],
    ['a\\b', 'model/a\\b'],
  ])('with the unsafe key %j', (key, path) => {
    expect(file4({ key, path })).toThrow(`${at} has an unsafe key ${JSON.stringify(key)}`);
  });
  it.each(['weird', undefined, 'Shard'])('of kind %j', (kind) => {
    expect(file4({ kind })).toThrow(`${at} (params_shard_0.bin) has an unknown kind ${JSON.stringify(kind)}`);
  });
  it('of another kind under lib/, or the model library under model/', () => {
    expect(file4({ base: 'lib', path: 'lib/params_shard_0.bin' })).toThrow(
      `${at} (params_shard_0.bin): only the model library is under lib/`,
    );
    expect(edited((i) => Object.assign(i.files[2]!, { base: 'model', path: 'model/M.wasm' }))).toThrow(
      'file 3 of the index (M.wasm): only the model library is under lib/',
    );
  });
  it.each([-1, 1.5, '512', null, 2 ** 53])('of size %j', (bytes) => {
    expect(file4({ bytes })).toThrow(`${at} (params_shard_0.bin) has no valid size`);
  });
  it.each(['ABC', 'A'.repeat(64), `${sha}a`, `x${sha}`, 'g'.repeat(64), 64, undefined, [sha]])('with the digest %j', (sha256) => {
    expect(file4({ sha256 })).toThrow(`${at} (params_shard_0.bin) has no valid SHA-256`);
  });
  it('whose path is not its base and key', () => {
    expect(file4({ path: 'model/other.bin' })).toThrow(`${at} has path "model/other.bin", not "model/params_shard_0.bin"`);
    expect(file4({ path: 'lib/params_shard_0.bin' })).toThrow('not "model/params_shard_0.bin"');
  });
  it('listed twice', () => {
    expect(edited((i) => i.files.push({ ...i.files[3]! }))).toThrow('the index lists model/params_shard_0.bin twice');
  });
});

describe('parseBundleIndex needs the files a model cannot do without', () => {
  const wasm2 = { path: 'lib/N.wasm', base: 'lib', key: 'N.wasm', kind: 'wasm', bytes: 1, sha256: sha };
  it('exactly one model library', () => {
    expect(edited((i) => i.files.splice(2, 1))).toThrow('the index lists 0 model libraries; a model has exactly one');
    expect(edited((i) => i.files.push(wasm2))).toThrow('the index lists 2 model libraries; a model has exactly one');
  });
  it('exactly one mlc-chat-config.json and one tensor-cache.json', () => {
    const again = (n: number, key: string) => (i: Loose) => i.files.push({ ...i.files[n]!, key, path: `model/${key}` });
    expect(edited((i) => i.files.splice(0, 1))).toThrow('the index lists no single mlc-chat-config.json');
    expect(edited(again(0, 'b/mlc-chat-config.json'))).toThrow('the index lists no single mlc-chat-config.json');
    expect(edited((i) => i.files.splice(1, 1))).toThrow('the index lists no single tensor-cache.json');
    expect(edited(again(1, 'b/tensor-cache.json'))).toThrow('the index lists no single tensor-cache.json');
  });
  it('a totalBytes that is the sum of the sizes', () => {
    expect(edited((i) => (i.totalBytes = 5))).toThrow("the index's totalBytes (5) is not the sum of its files (1142)");
    expect(edited((i) => (i.totalBytes = '1142'))).toThrow("the index's totalBytes (1142) is not the sum of its files (1142)");
    expect(edited((i) => delete i.totalBytes)).toThrow("the index's totalBytes (undefined) is not the sum of its files (1142)");
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
