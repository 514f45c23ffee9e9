// Builds a bundle's index from a stored model's planned files, their sizes and SHA-256, in the
// archive's order: the JSON files an importer plans the model from lead (package manifest, chat
// config, tensor-cache.json), then the model library, the shards and the tokenizer, each group in
// plan order. Pure; runs in any context with WebCrypto (the worker, Node).

import type { FileKind, ModelFile } from '../download/files';
import { BUNDLE_FORMAT, BUNDLE_VERSION, bundlePlace, type BundleFile, type BundleIndex, type BundleRecord } from './format';

/** Where each kind goes in a bundle (a record, so a new kind must be given a place). */
const KIND_RANK: Record<FileKind, number> = { package: 0, config: 1, manifest: 2, wasm: 3, shard: 4, tokenizer: 5 };

/** Planned files in the order a bundle carries them (sort is stable: one kind keeps plan order). */
export function bundleOrder<F extends Pick<ModelFile, 'kind'>>(files: readonly F[]): F[] {
  return [...files].sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind]);
}

export interface HashedFile {
  file: Pick<ModelFile, 'url' | 'kind'>;
  bytes: number;
  sha256: string;
}

export function buildBundleIndex(o: {
  record: BundleRecord;
  files: readonly HashedFile[];
  createdBy: string;
  createdAt: Date;
}): BundleIndex {
  const files: BundleFile[] = bundleOrder(o.files.map((h) => ({ ...h, kind: h.file.kind }))).map((h) => {
    const { base, key } = bundlePlace(h.file, o.record);
    return { path: `${base}/${key}`, base, key, kind: h.kind, bytes: h.bytes, sha256: h.sha256 };
  });
  const paths = new Set(files.map((f) => f.path));
  if (paths.size !== files.length) throw new Error('two of the model files would have the same name in the bundle');
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdBy: o.createdBy,
    createdAt: o.createdAt.toISOString(),
    record: o.record,
    files,
    totalBytes: files.reduce((n, f) => n + f.bytes, 0),
  };
}

/** The index as the archive's first entry carries it (pretty JSON, UTF-8). */
export function encodeIndex(index: BundleIndex): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(index, null, 2));
}
