// `npm run package` (scripts/package-site.mjs): its copy of the bundle format agrees with
// src/lib/bundle, its layout is where WebLLM and the app fetch from, and every bundle file is
// checked while copying, a damaged one leaving no output. Runs the script on temp folders.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as format from '../../src/lib/bundle/format';
import { encodeHeader } from '../../src/lib/bundle/tar-header';
import { modelBaseUrl } from '../../src/lib/download/files';
import { SITE_FILE } from '../../src/lib/site';
import { parseSource } from '../../src/engine/worker/model-files/sources';
import * as script from '../../scripts/site/bundle-format.mjs';
import { APP_CONFIG, SITE_FILE as SCRIPT_SITE_FILE, appConfigEntry } from '../../scripts/site/layout.mjs';
import { packageSite } from '../../scripts/package-site.mjs';
import { makeBundle, type BundleDamage } from '../e2e/fixtures/bundle-file';
import { ModelServer, type FixtureModel } from '../e2e/fixtures/model-server';

const A: FixtureModel = { id: 'fixture-a-q4f32_1-MLC', shards: 3, shardBytes: 100_000, modelType: 2 };
const B: FixtureModel = { id: 'fixture-b-q4f32_1-MLC', shards: 2, shardBytes: 70_000, tokenizerFiles: ['tokenizer.model'] };
const server = new ModelServer([A, B]);
let work: string;
let dist: string;

beforeAll(async () => {
  await server.start();
  work = mkdtempSync(join(tmpdir(), 'airgap-package-'));
  dist = join(work, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Airgap</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'export {};');
});
afterAll(async () => {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
});

function bundle(model: FixtureModel, damage?: BundleDamage, name = `${model.id}.airgap.tar`): string {
  const file = join(work, name);
  writeFileSync(file, makeBundle(server, model, damage));
  return file;
}

const quiet = () => {};
let n = 0;
const outDir = () => join(work, `site-${++n}`);
const leftovers = () => readdirSync(work).filter((f) => f.includes('.partial-'));

describe("the script's copy of the bundle format", () => {
  it('has the constants of src/lib/bundle/format.ts and the site file name of src/lib/site.ts', () => {
    for (const k of ['BUNDLE_FORMAT', 'BUNDLE_VERSION', 'INDEX_ENTRY', 'BUNDLE_SUFFIX', 'TAR_BLOCK'] as const)
      expect(script[k], k).toBe(format[k]);
    expect(SCRIPT_SITE_FILE).toBe(SITE_FILE);
  });

  it("reads the headers tar-header.ts writes, long names included, and keeps format.ts's key rule", () => {
    for (const name of ['airgap-bundle.json', `model/${'d/'.repeat(60)}params_shard_0.bin`]) {
      expect(script.decodeHeader(encodeHeader({ name, size: 12345, mtime: 7 }))).toEqual({ name, size: 12345, type: '0' });
    }
    const h = encodeHeader({ name: 'x', size: 1, mtime: 0 });
    h[0] = h[0]! ^ 1;
    expect(() => script.decodeHeader(h)).toThrow(/checksum/);
    for (const key of ['a', 'a/b.bin', '', '/a', 'a/../b', './a', 'a\\b', 'a//b', 'a\0'])
      expect(script.isSafeKey(key), key).toBe(format.isSafeKey(key));
  });
});

describe('the site layout', () => {
  it("puts model URLs where WebLLM's resolve/main/ rule and the app's source reader find the files", () => {
    const record = server.record(A.id);
    const entry = appConfigEntry({ ...record, required_features: ['shader-f16'] }, `${A.id}.wasm`);
    const [resolved] = parseSource({ model_list: [entry] }, `https://ai.corp/${APP_CONFIG}`);
    expect(modelBaseUrl(resolved!.model)).toBe(`https://ai.corp/models/${A.id}/resolve/main/`);
    expect(resolved!.model_lib).toBe(`https://ai.corp/models/libs/${A.id}.wasm`);
    expect(entry).toMatchObject({
      vram_required_MB: 200,
      low_resource_required: true,
      overrides: { context_window_size: 1024 },
      model_type: 2,
      required_features: ['shader-f16'],
    });
    expect(() => appConfigEntry({ ...record, model_id: '../x' }, 'x.wasm')).toThrow(/cannot name a folder/);
    expect(() => appConfigEntry({ ...record, model_id: 'libs' }, 'x.wasm')).toThrow(/cannot name a folder/);
  });
});

describe('packaging', () => {
  it('lays out each bundle and a model folder beside the app, with the app config and the site file', async () => {
    const folder = join(work, B.id);
    for (const p of server.pathsOf(B)) {
      const name = p.split('/').pop()!;
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, name), server.body(p));
    }
    const out = outDir();
    await packageSite({ out, build: false, dist, inputs: [bundle(A), folder] }, quiet);
    // The fixture server's paths are the site's: /<id>/resolve/main/<key> and /libs/<lib>, under models/.
    for (const p of [...server.pathsOf(A), ...server.pathsOf(B)])
      expect(readFileSync(join(out, 'models', p)).equals(server.body(p)), p).toBe(true);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Airgap');
    expect(JSON.parse(readFileSync(join(out, SITE_FILE), 'utf8'))).toEqual({ modelSources: ['models/app-config.json'] });
    const list = JSON.parse(readFileSync(join(out, APP_CONFIG), 'utf8')).model_list;
    expect(list.map((r: { model_id: string; model: string; model_lib: string }) => [r.model_id, r.model, r.model_lib])).toEqual([
      [A.id, `./${A.id}/`, `./libs/${A.id}.wasm`],
      [B.id, `./${B.id}/`, `./libs/${B.id}.wasm`],
    ]);
    expect(leftovers()).toEqual([]);
  });

  const damaged: [string, () => BundleDamage, RegExp][] = [
    ['a flipped byte', () => ({ corruptPath: `model/params_shard_1.bin` }), /params_shard_1\.bin fails its SHA-256 check/],
    [
      'a cut inside a shard',
      () => ({ truncateTo: makeBundle(server, A).length - 150_000 }),
      /params_shard_1\.bin is cut short \(\d+ of 100000 bytes\)/,
    ],
    ['a missing end marker', () => ({ truncateTo: makeBundle(server, A).length - 1024 }), /no end-of-archive marker/],
    ['a wrong version', () => ({ editIndex: (i) => void ((i as { version: number }).version = 2) }), /version 2; this app reads version 1/],
    [
      'an entry the index does not list',
      () => ({ extra: [{ name: 'model/extra.bin', data: Buffer.from('x') }] }),
      /does not list \("model\/extra\.bin"\)/,
    ],
    [
      'a size that disagrees with the index',
      () => ({
        editIndex: (i) => {
          i.files.find((f) => f.kind === 'tokenizer')!.bytes += 1;
          i.totalBytes += 1;
        },
      }),
      /tokenizer\.json is \d+ bytes in the archive, but the index says/,
    ],
  ];
  for (const [what, damage, reason] of damaged) {
    it(`refuses a bundle with ${what}, naming the bundle and the file, and leaves no output`, async () => {
      const out = outDir();
      const bad = bundle(A, damage(), 'damaged.airgap.tar');
      await expect(packageSite({ out, build: false, dist, inputs: [bundle(B), bad] }, quiet)).rejects.toThrow(reason);
      await expect(packageSite({ out, build: false, dist, inputs: [bad] }, quiet)).rejects.toThrow(/^damaged\.airgap\.tar: /);
      expect(existsSync(out)).toBe(false);
      expect(leftovers()).toEqual([]);
    });
  }

  it('refuses a model folder whose shard disagrees with tensor-cache.json', async () => {
    const folder = join(work, 'bad', A.id);
    mkdirSync(folder, { recursive: true });
    for (const p of server.pathsOf(A)) writeFileSync(join(folder, p.split('/').pop()!), server.body(p));
    const shard = Buffer.from(server.body(server.shardPath(A.id, 2)));
    shard[10] = shard[10]! ^ 0xff;
    writeFileSync(join(folder, 'params_shard_2.bin'), shard);
    const out = outDir();
    await expect(packageSite({ out, build: false, dist, inputs: [folder] }, quiet)).rejects.toThrow(
      `${A.id}/: params_shard_2.bin fails its md5sum check from tensor-cache.json`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('replaces its own earlier output, but never a folder it did not make', async () => {
    const out = outDir();
    await packageSite({ out, build: false, dist, inputs: [bundle(A)] }, quiet);
    await packageSite({ out, build: false, dist, inputs: [bundle(B)] }, quiet);
    expect(readdirSync(join(out, 'models')).sort()).toEqual(['app-config.json', B.id, 'libs']);
    const foreign = outDir();
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    await expect(packageSite({ out: foreign, build: false, dist, inputs: [bundle(A)] }, quiet)).rejects.toThrow(/not made by this command/);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
  });

  it('the command exits non-zero with the reason on a damaged bundle', () => {
    const out = outDir();
    const bad = bundle(A, { corruptPath: 'model/tensor-cache.json' }, 'cli.airgap.tar');
    const r = spawnSync(process.execPath, ['scripts/package-site.mjs', '--no-build', '--dist', dist, '--out', out, bad], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cli.airgap.tar: model/tensor-cache.json fails its SHA-256 check');
    expect(existsSync(out)).toBe(false);
  });
});
