// Validation of a bundle's index (airgap-bundle.json) before anything is written: format and
// version, every field's shape, safe keys, sizes and SHA-256 digests, the sum, the entry paths,
// and the files a WebLLM model cannot do without. Pure; runs in any context. Also where each
// entry sits in the archive, which the index alone decides (header, data, padding).

import type { FileKind } from '../download/files';
import { BUNDLE_FORMAT, BUNDLE_VERSION, TAR_BLOCK, isSafeKey, type BundleFile, type BundleIndex } from './format';
import { padding } from './tar-header';

const KINDS: readonly FileKind[] = ['package', 'config', 'wasm', 'manifest', 'shard', 'tokenizer'];
/** An index larger than this is not one this app wrote. */
export const MAX_INDEX_BYTES = 16 * 1024 * 1024;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';

function isUrl(s: string): boolean {
  let protocol: string | undefined;
  try {
    protocol = new URL(s).protocol;
  } catch {
    // Not a URL at all, so no protocol.
  }
  return protocol === 'http:' || protocol === 'https:';
}

/** The index, or an Error whose message says what is wrong with it. */
export function parseBundleIndex(json: unknown): BundleIndex {
  if (!isObject(json) || json.format !== BUNDLE_FORMAT)
    throw new Error('this is not an Airgap model bundle (its index has another format)');
  if (json.version !== BUNDLE_VERSION)
    throw new Error(`this bundle is version ${JSON.stringify(json.version)}; this app reads version ${BUNDLE_VERSION}`);
  if (typeof json.createdBy !== 'string' || typeof json.createdAt !== 'string') throw new Error('the index has no createdBy or createdAt');
  const record = json.record;
  if (!isObject(record) || !isText(record.model_id) || !isText(record.model) || !isText(record.model_lib))
    throw new Error('the index has no model record with model_id, model and model_lib');
  if (!isUrl(record.model)) throw new Error(`the record's model URL "${record.model}" is not an http(s) URL`);
  if (!Array.isArray(json.files) || json.files.length === 0) throw new Error('the index lists no files');
  const seen = new Set<string>();
  const files = json.files.map((f: unknown, i): BundleFile => {
    const file = checkFile(f, i);
    if (seen.has(file.path)) throw new Error(`the index lists ${file.path} twice`);
    seen.add(file.path);
    return file;
  });
  const count = (kind: FileKind) => files.filter((f) => f.kind === kind).length;
  if (count('wasm') !== 1) throw new Error(`the index lists ${count('wasm')} model libraries; a model has exactly one`);
  if (count('config') !== 1) throw new Error('the index lists no single mlc-chat-config.json');
  if (count('manifest') !== 1) throw new Error('the index lists no single tensor-cache.json');
  const sum = files.reduce((n, f) => n + f.bytes, 0);
  if (json.totalBytes !== sum) throw new Error(`the index's totalBytes (${String(json.totalBytes)}) is not the sum of its files (${sum})`);
  return json as unknown as BundleIndex;
}

function checkFile(f: unknown, i: number): BundleFile {
  const at = `file ${i + 1} of the index`;
  if (!isObject(f)) throw new Error(`${at} is not an object`);
  if (f.base !== 'model' && f.base !== 'lib') throw new Error(`${at} has base ${JSON.stringify(f.base)}, not "model" or "lib"`);
  if (typeof f.key !== 'string' || !isSafeKey(f.key)) throw new Error(`${at} has an unsafe key ${JSON.stringify(f.key)}`);
  if (!KINDS.includes(f.kind as FileKind)) throw new Error(`${at} (${f.key}) has an unknown kind ${JSON.stringify(f.kind)}`);
  if ((f.kind === 'wasm') !== (f.base === 'lib')) throw new Error(`${at} (${f.key}): only the model library is under lib/`);
  if (!Number.isSafeInteger(f.bytes) || (f.bytes as number) < 0) throw new Error(`${at} (${f.key}) has no valid size`);
  if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) throw new Error(`${at} (${f.key}) has no valid SHA-256`);
  if (f.path !== `${f.base}/${f.key}`) throw new Error(`${at} has path ${JSON.stringify(f.path)}, not "${f.base}/${f.key}"`);
  return f as unknown as BundleFile;
}

/** Where each file's header starts, given the size of the index entry (the archive's first). */
export function entryOffsets(index: Pick<BundleIndex, 'files'>, indexBytes: number): number[] {
  let at = TAR_BLOCK + indexBytes + padding(indexBytes);
  return index.files.map((f) => {
    const here = at;
    at += TAR_BLOCK + f.bytes + padding(f.bytes);
    return here;
  });
}
