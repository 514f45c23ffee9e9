// Lays out a model folder as its publisher hosts it (mlc-chat-config.json, tensor-cache.json, the
// weight shards it lists, the tokenizer files the chat config names, and one .wasm model library)
// in the site folder. The model id is the folder's name. Shards are checked against
// tensor-cache.json while copying (size, and md5sum / sha256 where it gives them). Node only.

import { open, readFile, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { isSafeKey } from './bundle-format.mjs';
import { copyRange } from './copy-file.mjs';
import { libPath, modelFilePath } from './layout.mjs';

async function readJson(dir, file) {
  let text;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch {
    throw new Error(`it has no ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`its ${file} is not valid JSON`);
  }
}

async function copyWhole(src, dest, algorithms) {
  const fh = await open(src, 'r');
  try {
    const { size } = await fh.stat();
    return { size, ...(await copyRange(fh, 0, size, dest, algorithms)) };
  } finally {
    await fh.close();
  }
}

/** What a folder must hold, read before anything is copied. Throws with the reason. */
export async function planFolder(dir) {
  const config = await readJson(dir, 'mlc-chat-config.json');
  const cache = await readJson(dir, 'tensor-cache.json');
  if (!Array.isArray(cache.records) || cache.records.length === 0) throw new Error('its tensor-cache.json lists no weight shards');
  for (const r of cache.records)
    if (!isSafeKey(r?.dataPath) || !Number.isSafeInteger(r?.nbytes))
      throw new Error('its tensor-cache.json has a record without dataPath or nbytes');
  const names = new Set(await readdir(dir));
  const listed = Array.isArray(config.tokenizer_files) ? config.tokenizer_files.filter(isSafeKey) : [];
  const tokenizers = listed.filter((t) => names.has(t));
  if (tokenizers.length === 0) throw new Error(`it has none of the tokenizer files its chat config names (${listed.join(', ') || 'none'})`);
  const libs = [...names].filter((n) => n.endsWith('.wasm'));
  if (libs.length !== 1) throw new Error(`it must hold exactly one .wasm model library, found ${libs.length ? libs.join(', ') : 'none'}`);
  return { shards: cache.records, tokenizers, lib: libs[0] };
}

/** Copies a model folder into `outDir`; `libs` as in copyBundle. Resolves with the record and its library's file name. */
export async function copyFolder(folder, outDir, libs) {
  const dir = resolve(folder);
  const id = basename(dir);
  const name = `${id}/`;
  try {
    const plan = await planFolder(dir);
    for (const f of ['mlc-chat-config.json', 'tensor-cache.json', ...plan.tokenizers])
      await copyWhole(join(dir, f), join(outDir, modelFilePath(id, f)));
    for (const r of plan.shards) {
      const fail = (why) => new Error(`${r.dataPath} ${why}`);
      let got;
      try {
        got = await copyWhole(join(dir, r.dataPath), join(outDir, modelFilePath(id, r.dataPath)), ['md5', 'sha256']);
      } catch {
        throw fail('is missing');
      }
      if (got.copied !== r.nbytes) throw fail(`is ${got.copied} bytes, but tensor-cache.json says ${r.nbytes}`);
      if (typeof r.md5sum === 'string' && r.md5sum.toLowerCase() !== got.digests.md5)
        throw fail('fails its md5sum check from tensor-cache.json');
      if (typeof r.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(r.sha256) && r.sha256.toLowerCase() !== got.digests.sha256)
        throw fail('fails its sha256 check from tensor-cache.json');
    }
    const lib = await copyWhole(join(dir, plan.lib), join(outDir, libPath(plan.lib)));
    if (libs.has(plan.lib) && libs.get(plan.lib) !== lib.digests.sha256)
      throw new Error(`${plan.lib} differs from another model's library of the same name`);
    libs.set(plan.lib, lib.digests.sha256);
    return { record: { model_id: id, model: id, model_lib: plan.lib }, libFile: plan.lib };
  } catch (err) {
    throw new Error(`${name}: ${err.message}`, { cause: err });
  }
}
