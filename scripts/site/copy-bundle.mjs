// Reads an Airgap model bundle (POSIX ustar, index first: see bundle-format.mjs) and lays its
// files out in the site folder, checking every entry against the index while copying: the
// entry's name and order, its size, its SHA-256, and the archive's end. Any mismatch throws an
// error naming the bundle and the file; the caller throws the whole output away. Node only.

import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUNDLE_FORMAT, BUNDLE_VERSION, INDEX_ENTRY, TAR_BLOCK, decodeHeader, isSafeKey, isZeroBlock, padding } from './bundle-format.mjs';
import { copyRange } from './copy-file.mjs';
import { checkModelId, libPath, modelFilePath } from './layout.mjs';

const MAX_INDEX_BYTES = 16 * 1024 * 1024;
const isCount = (n) => Number.isSafeInteger(n) && n >= 0;

/** The index's own consistency: what it says before any file is read. Throws with the reason. */
export function checkIndex(index) {
  if (index?.format !== BUNDLE_FORMAT) throw new Error(`it is not an Airgap model bundle (format "${index?.format}")`);
  if (index.version !== BUNDLE_VERSION)
    throw new Error(`it is bundle format version ${index.version}; this app reads version ${BUNDLE_VERSION}`);
  const r = index.record;
  for (const f of ['model_id', 'model', 'model_lib'])
    if (typeof r?.[f] !== 'string' || !r[f]) throw new Error(`its index's record has no "${f}"`);
  checkModelId(r.model_id);
  if (!Array.isArray(index.files) || index.files.length === 0) throw new Error('its index lists no files');
  const seen = new Set();
  for (const f of index.files) {
    if ((f?.base !== 'model' && f?.base !== 'lib') || !isSafeKey(f.key) || f.path !== `${f.base}/${f.key}`)
      throw new Error(`its index has an unsafe or inconsistent entry "${f?.path}"`);
    if (f.base === 'lib' && f.key.includes('/')) throw new Error(`its model library "${f.key}" is not a plain file name`);
    if (!isCount(f.bytes) || !/^[0-9a-f]{64}$/.test(f.sha256 ?? ''))
      throw new Error(`its index entry for ${f.path} has no size or SHA-256`);
    if (seen.has(f.path)) throw new Error(`its index lists ${f.path} twice`);
    seen.add(f.path);
  }
  if (index.files.filter((f) => f.base === 'lib').length !== 1) throw new Error('its index does not list exactly one model library');
  if (index.totalBytes !== index.files.reduce((n, f) => n + f.bytes, 0))
    throw new Error("its index's totalBytes is not the sum of its files");
  return index;
}

async function readBlock(fh, at, size) {
  const buf = Buffer.alloc(size);
  const { bytesRead } = await fh.read(buf, 0, size, at);
  return buf.subarray(0, bytesRead);
}

async function readIndex(fh) {
  const head = await readBlock(fh, 0, TAR_BLOCK);
  if (head.length < TAR_BLOCK) throw new Error('it is cut short (no complete tar header)');
  const e = decodeHeader(head);
  if (e.name !== INDEX_ENTRY) throw new Error(`its first entry is "${e.name}", not ${INDEX_ENTRY}`);
  if (e.size > MAX_INDEX_BYTES) throw new Error(`its index is ${e.size} bytes, more than an index can be`);
  const body = await readBlock(fh, TAR_BLOCK, e.size);
  if (body.length < e.size) throw new Error(`it is cut short inside ${INDEX_ENTRY}`);
  let index;
  try {
    index = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error(`its ${INDEX_ENTRY} is not valid JSON`);
  }
  return { index: checkIndex(index), next: TAR_BLOCK + e.size + padding(e.size) };
}

/**
 * Copies a bundle's files into `outDir` in the site layout. `libs` maps each library file already
 * written to its SHA-256: two models may share a library only when it is the same file.
 * Resolves with the bundle's record and its library's file name.
 */
export async function copyBundle(bundlePath, outDir, libs) {
  const name = basename(bundlePath);
  const fh = await open(bundlePath, 'r');
  try {
    const { index, next } = await readIndex(fh).catch((err) => {
      throw new Error(`${name}: ${err.message}`, { cause: err });
    });
    const id = index.record.model_id;
    let at = next;
    for (const f of index.files) {
      const fail = (why) => new Error(`${name}: ${f.path} ${why}`);
      const head = await readBlock(fh, at, TAR_BLOCK);
      if (head.length < TAR_BLOCK || isZeroBlock(head)) throw fail('is missing: the bundle is cut short before it');
      let e;
      try {
        e = decodeHeader(head);
      } catch (err) {
        throw new Error(`${name}: ${f.path} has a damaged tar header (${err.message})`, { cause: err });
      }
      if (e.name !== f.path) throw fail(`is not where the index puts it (found "${e.name}")`);
      if (e.type !== '0' && e.type !== '\0') throw fail('is not a regular file in the archive');
      if (e.size !== f.bytes) throw fail(`is ${e.size} bytes in the archive, but the index says ${f.bytes}`);
      const rel = f.base === 'lib' ? libPath(f.key) : modelFilePath(id, f.key);
      if (f.base === 'lib' && libs.has(f.key) && libs.get(f.key) !== f.sha256)
        throw fail(`differs from another model's library of the same name`);
      const { copied, digests } = await copyRange(fh, at + TAR_BLOCK, f.bytes, join(outDir, rel));
      if (copied < f.bytes) throw fail(`is cut short (${copied} of ${f.bytes} bytes): the bundle is truncated`);
      if (digests.sha256 !== f.sha256) throw fail('fails its SHA-256 check: the bundle is damaged');
      if (f.base === 'lib') libs.set(f.key, f.sha256);
      at += TAR_BLOCK + f.bytes + padding(f.bytes);
    }
    const end = await readBlock(fh, at, TAR_BLOCK);
    if (end.length < TAR_BLOCK) throw new Error(`${name}: it is cut short (no end-of-archive marker)`);
    if (!isZeroBlock(end)) {
      let extra = 'unreadable';
      try {
        extra = decodeHeader(end).name;
      } catch {
        // A damaged header after the last file: reported as unreadable.
      }
      throw new Error(`${name}: it has an entry the index does not list ("${extra}")`);
    }
    return { record: index.record, libFile: index.files.find((f) => f.base === 'lib').key };
  } finally {
    await fh.close();
  }
}
