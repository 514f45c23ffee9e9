// Opens a picked model folder for import: the directory of an MLC model as its publisher hosts it
// (mlc-chat-config.json, tensor-cache.json, shards, tokenizer) plus its one .wasm model library, or
// an extracted bundle (airgap-bundle.json, model/, lib/). Validated against tensor-cache.json and
// the chat config before anything is written. Runs in the engine worker; files are read one at a time.

import { INDEX_ENTRY, type BundleIndex } from '../../../lib/bundle/format';
import { parseBundleIndex } from '../../../lib/bundle/index-check';
import { modelBaseUrl, parseManifest, tokenizerFileOf } from '../../../lib/download/files';
import { planModel } from '../../../lib/download/plan';
import { messageOf } from '../../../lib/message';
import { ModelImportError } from '../../errors';
import type { FolderFile } from '../../protocol';
import type { OpenedImport } from './bundle-import';
import { planBundle, targetFor, type PlannedFile } from './bundle-plan';
import type { ImportItem } from './import-writer';
import type { StoreRecord } from './model-store';

const bytesOf = async (f: Blob) => new Uint8Array(await f.arrayBuffer());

async function jsonOf(f: Blob | undefined, name: string): Promise<unknown> {
  if (!f) throw new ModelImportError(`the folder has no ${name}`);
  try {
    return JSON.parse(await f.text()) as unknown;
  } catch {
    throw new ModelImportError(`${name} is not valid JSON`);
  }
}

export async function openFolder(picked: readonly FolderFile[], catalog: readonly StoreRecord[], pageUrl: string): Promise<OpenedImport> {
  const root = picked[0]?.path.split('/')[0];
  if (!root || picked.some((f) => !f.path.startsWith(`${root}/`))) throw new ModelImportError('pick one model folder');
  const files = new Map(picked.map((f) => [f.path.slice(root.length + 1), f.file]));
  if (files.has(INDEX_ENTRY)) return openExtractedBundle(files, catalog, pageUrl);
  const config = await jsonOf(files.get('mlc-chat-config.json'), 'mlc-chat-config.json');
  let manifest;
  try {
    manifest = parseManifest(await jsonOf(files.get('tensor-cache.json'), 'tensor-cache.json'));
  } catch (err) {
    throw err instanceof ModelImportError ? err : new ModelImportError(messageOf(err));
  }
  const libs = [...files.keys()].filter((p) => p.endsWith('.wasm'));
  if (libs.length !== 1)
    throw new ModelImportError(
      libs.length
        ? `the folder has ${libs.length} .wasm files (${libs.join(', ')}); it needs exactly one model library`
        : 'the folder has no .wasm model library',
    );
  const known = catalog.find((r) => r.model_id === root);
  const record: StoreRecord = known ?? {
    model_id: root,
    model: new URL(`imported-models/${encodeURIComponent(root)}/resolve/main/`, pageUrl).href,
    model_lib: new URL(`imported-models/${encodeURIComponent(root)}/${libs[0]!.split('/').pop()!}`, pageUrl).href,
  };
  const tokenizer = tokenizerFileOf(config, record.overrides);
  if (!tokenizer) throw new ModelImportError('its mlc-chat-config.json names neither tokenizer.json nor tokenizer.model');
  if (!files.has(tokenizer)) throw new ModelImportError(`the folder lacks ${tokenizer}, which its mlc-chat-config.json names`);
  for (const r of manifest.records) {
    const shard = files.get(r.dataPath);
    if (!shard) throw new ModelImportError(`the folder lacks ${r.dataPath}, which tensor-cache.json lists`);
    if (shard.size !== r.nbytes) throw new ModelImportError(`${r.dataPath} is ${shard.size} bytes; tensor-cache.json says ${r.nbytes}`);
  }
  const base = modelBaseUrl(record.model);
  const fileFor = (url: string, kind: string): [string, File] => {
    const key = kind === 'wasm' ? libs[0]! : decodeURIComponent(url.slice(base.length));
    const f = url.startsWith(base) || kind === 'wasm' ? files.get(key) : undefined;
    if (!f) throw new ModelImportError(`the folder lacks ${key}`);
    return [key, f];
  };
  const plan = await planModel(record, pageUrl, async (f) => JSON.parse(await fileFor(f.url, f.kind)[1].text()) as unknown);
  if (plan.error || !plan.complete) throw new ModelImportError(`its files are not a WebLLM model (${plan.error ?? 'incomplete'})`);
  const planned = plan.files.map((f) => ({ f, at: fileFor(f.url, f.kind) }));
  for (const { f, at } of planned)
    if (f.bytes !== undefined && f.bytes !== at[1].size)
      throw new ModelImportError(`${at[0]} is ${at[1].size} bytes; tensor-cache.json says ${f.bytes}`);
  const list: PlannedFile[] = planned.map(({ f, at }) => ({ ...f, bytes: at[1].size }));
  async function* items(): AsyncGenerator<ImportItem> {
    for (const [i, { at }] of planned.entries()) yield { file: list[i]!, name: at[0], read: () => bytesOf(at[1]) };
  }
  return { modelId: root, record, newRecord: !known, files: list, items: items() };
}

/** `tar -xf` of a bundle: the index says what each file is and its SHA-256. */
async function openExtractedBundle(files: Map<string, File>, catalog: readonly StoreRecord[], pageUrl: string): Promise<OpenedImport> {
  let index: BundleIndex;
  try {
    index = parseBundleIndex(await jsonOf(files.get(INDEX_ENTRY), INDEX_ENTRY));
  } catch (err) {
    throw err instanceof ModelImportError ? err : new ModelImportError(messageOf(err));
  }
  for (const bf of index.files) {
    const f = files.get(bf.path);
    if (!f) throw new ModelImportError(`the folder lacks ${bf.path}, which its index lists`);
    if (f.size !== bf.bytes) throw new ModelImportError(`${bf.path} is ${f.size} bytes; the index says ${bf.bytes}`);
  }
  const target = targetFor(index, catalog);
  const json = new Map<string, Uint8Array>();
  for (const bf of index.files)
    if (['package', 'config', 'manifest'].includes(bf.kind)) json.set(bf.path, await bytesOf(files.get(bf.path)!));
  const list = await planBundle(index, target, pageUrl, json);
  async function* items(): AsyncGenerator<ImportItem> {
    for (const [i, bf] of index.files.entries())
      yield { file: list[i]!, name: bf.path, sha256: bf.sha256, read: () => bytesOf(files.get(bf.path)!) };
  }
  return { ...target, files: list, items: items() };
}
