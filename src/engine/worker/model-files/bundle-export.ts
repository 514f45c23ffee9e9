// Exports a stored model as one bundle file (src/lib/bundle/format.ts). Pass 1 reads each stored
// file and takes its SHA-256; pass 2 writes the index and then each file, read again, to the sink.
// Runs in the engine worker. Invariants: at most one model file (plus the index) is in memory at a
// time; a model that is not offline-ready is refused with the names of the missing files; a
// cancelled or failed export aborts the sink (no file is left, the stream errors).

import { buildBundleIndex, bundleOrder, encodeIndex } from '../../../lib/bundle/bundle-index';
import { sha256Hex } from '../../../lib/bytes';
import { INDEX_ENTRY } from '../../../lib/bundle/format';
import { TarWriter, archiveBytes } from '../../../lib/bundle/tar-writer';
import type { ModelFile } from '../../../lib/download/files';
import { fileKey } from '../../../lib/download/holdings';
import { messageOf } from '../../../lib/message';
import { BundleExportError } from '../../errors';
import type { BundleExportProgress, BundleExportResult, BundleTarget } from '../../protocol';
import { openSink } from './bundle-sink';
import type { ModelStore } from './model-store';

type ExportSource = Awaited<ReturnType<ModelStore['exportSource']>>;

const nameOf = (f: ModelFile): string => decodeURIComponent(new URL(f.url).pathname.split('/').pop() ?? f.url);

/** What keeps the model from being exported: the planned files not stored, and files the plan cannot name yet. */
export function missingFiles({ plan, stored }: Pick<ExportSource, 'plan' | 'stored'>): string[] {
  const missing = plan.files.filter((f) => !stored.has(fileKey(f))).map(nameOf);
  if (plan.error) missing.push(`(${plan.error})`);
  else if (!plan.complete) missing.push('the weight shards and tokenizer those files name');
  return missing;
}

export interface ExportOptions {
  modelId: string;
  source: () => Promise<ExportSource>;
  target: BundleTarget;
  signal: AbortSignal;
  createdBy: string;
  onProgress: (p: BundleExportProgress) => void;
}

export async function exportBundle(o: ExportOptions): Promise<BundleExportResult> {
  const { modelId, signal } = o;
  // Opened first: whatever stops the export, abort() removes the file the save dialog made.
  const sink = await openSink(o.target);
  try {
    const source = await o.source();
    const missing = missingFiles(source);
    if (missing.length) throw new BundleExportError(`"${modelId}" is not offline-ready; not stored: ${missing.join(', ')}`);
    const files = bundleOrder(source.plan.files);
    const readOne = async (f: ModelFile): Promise<Uint8Array<ArrayBuffer>> => {
      signal.throwIfAborted();
      const data = await source.read(f);
      if (!data) throw new BundleExportError(`${nameOf(f)} is no longer stored`);
      return new Uint8Array(data);
    };
    const modelBytes = files.reduce((n, f) => n + (source.stored.get(fileKey(f)) ?? 0), 0);
    let done = 0;
    o.onProgress({ modelId, phase: 'hashing', bytesDone: 0, bytesTotal: modelBytes });
    const hashed = [];
    for (const file of files) {
      const data = await readOne(file);
      hashed.push({ file, bytes: data.byteLength, sha256: await sha256Hex(data) });
      done += data.byteLength;
      o.onProgress({ modelId, phase: 'hashing', bytesDone: done, bytesTotal: Math.max(done, modelBytes) });
    }
    const index = buildBundleIndex({ record: { ...source.record }, files: hashed, createdBy: o.createdBy, createdAt: new Date() });
    const json = encodeIndex(index);
    const total = archiveBytes([json.byteLength, ...index.files.map((f) => f.bytes)]);
    const tar = new TarWriter(sink, Math.floor(Date.now() / 1000));
    o.onProgress({ modelId, phase: 'writing', bytesDone: 0, bytesTotal: total });
    await tar.add(INDEX_ENTRY, json.byteLength, json);
    // bundleOrder is stable and the index keeps that order: index.files[i] is files[i].
    for (const [i, entry] of index.files.entries()) {
      await tar.add(entry.path, entry.bytes, await readOne(files[i]!));
      o.onProgress({ modelId, phase: 'writing', bytesDone: tar.bytesWritten, bytesTotal: total });
    }
    await tar.end();
    signal.throwIfAborted();
    await sink.close();
    o.onProgress({ modelId, phase: 'writing', bytesDone: tar.bytesWritten, bytesTotal: total });
    return { modelId, state: 'done', bytes: tar.bytesWritten, files: index.files.length };
  } catch (err) {
    await sink.abort(err).catch(() => {});
    if (signal.aborted) return { modelId, state: 'cancelled', bytes: 0, files: 0 };
    // A full disk or a refused write is this export's failure, not a download's (StorageFullError says "resume").
    throw err instanceof BundleExportError ? err : new BundleExportError(messageOf(err), { cause: err });
  }
}
