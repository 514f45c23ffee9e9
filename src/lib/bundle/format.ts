// The Airgap model bundle, version 1: one POSIX ustar archive that carries a stored model across an
// air gap. The first entry is the index (airgap-bundle.json); the model's files follow in the
// index's order, "model/<key>" for files under the model's URL and "lib/<key>" for the model
// library, so `tar -xf` gives the publisher's folder layout. Keys are relative, so a bundle does not
// depend on where the exporting app downloaded the model from. Pure; runs in any context.

import type { FileKind, ModelFile, RecordFiles } from '../download/files';
import { modelBaseUrl } from '../download/files';

export const BUNDLE_FORMAT = 'airgap-model-bundle';
export const BUNDLE_VERSION = 1;
/** The index's entry name: always the archive's first entry. */
export const INDEX_ENTRY = 'airgap-bundle.json';
/** File name suffix of an exported bundle (an ordinary tar archive). */
export const BUNDLE_SUFFIX = '.airgap.tar';
export const TAR_BLOCK = 512;

/** A catalog record as the exporting app had it: used only when the importing app has none for this id. */
export interface BundleRecord extends RecordFiles {
  model_id: string;
  [field: string]: unknown;
}

export interface BundleFile {
  /** The tar entry's name: `${base}/${key}`. */
  path: string;
  /** "model": key is relative to the model's base URL (modelBaseUrl(record.model)); "lib": key is the model library's file name. */
  base: 'model' | 'lib';
  key: string;
  kind: FileKind;
  bytes: number;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

export interface BundleIndex {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  /** e.g. "Airgap 0.1.0 (WebLLM 0.2.86)". */
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  record: BundleRecord;
  /** Every file of the model, in the archive's order: the JSON files WebLLM reads first lead. */
  files: BundleFile[];
  /** Sum of files[].bytes. */
  totalBytes: number;
}

/** Where a stored file goes in a bundle, or why it cannot (a key must stay inside its base). */
export function bundlePlace(f: Pick<ModelFile, 'url' | 'kind'>, record: RecordFiles): { base: 'model' | 'lib'; key: string } {
  if (f.kind === 'wasm') {
    // Checked once decoded: "..%2Fx.wasm" is one URL segment but would be "lib/../x.wasm" in the archive.
    const key = decodeURIComponent(new URL(f.url).pathname.split('/').pop()!);
    if (!isSafeKey(key)) throw new Error(`the model library URL ${f.url} has no safe file name`);
    return { base: 'lib', key };
  }
  const base = modelBaseUrl(record.model);
  if (!f.url.startsWith(base)) throw new Error(`${f.url} is not under the model's URL ${base}`);
  const key = decodeURIComponent(f.url.slice(base.length).split(/[?#]/)[0]!);
  if (!isSafeKey(key)) throw new Error(`${f.url} has no safe relative name in a bundle`);
  return { base: 'model', key };
}

/** A relative path with no "." or ".." parts, no backslash, no leading slash, no NUL. */
export function isSafeKey(key: string): boolean {
  // An empty key, a leading slash and "a//b" each leave an empty part, which the parts check refuses.
  if (/[\\\0]/.test(key)) return false;
  return key.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** The URL a bundled file has for the record the importing app uses for this model. */
export function urlInRecord(file: Pick<BundleFile, 'base' | 'key'>, record: RecordFiles, pageUrl: string): string {
  if (file.base === 'lib') return new URL(record.model_lib, pageUrl).href;
  return new URL(file.key.split('/').map(encodeURIComponent).join('/'), modelBaseUrl(record.model)).href;
}

/** The bundle's file name for a model id. */
export function bundleFileName(modelId: string): string {
  return `${modelId.replace(/[^A-Za-z0-9._-]+/g, '_')}${BUNDLE_SUFFIX}`;
}
