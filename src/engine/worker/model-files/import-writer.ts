// Writes an imported model's files (from a bundle or a folder) into WebLLM's layout for the chosen
// backend, one file at a time: each file's bytes are checked (size, SHA-256 from a bundle's index,
// MD5 from tensor-cache.json) before one put. Runs in the engine worker. Invariants: only files
// this import wrote are listed in `written` (the caller removes exactly those when it gives up);
// a file already stored at its size is skipped, so a paused import resumes where it stopped.

import prettyBytes from 'pretty-bytes';
import { SCOPES, type ModelFile } from '../../../lib/download/files';
import { Md5 } from '../../../lib/download/md5';
import { ModelImportError, StorageFullError, isQuotaExceeded } from '../../errors';
import type { ImportProgress } from '../../protocol';
import type { ArtifactStore } from './artifact-store';
import { preflight } from './downloader';
import { verifyFile } from './fetch-file';
import { messageOf } from '../../../lib/message';
import { sha256Hex } from '../../../lib/bytes';

/** One file to write, in order; `read` gives its bytes (the source checks its own framing). */
export interface ImportItem {
  file: ModelFile & { bytes: number };
  /** How the user knows the file: its path in the bundle or the folder. */
  name: string;
  sha256?: string;
  read(): Promise<Uint8Array>;
}

export interface WriteOptions {
  store: ArtifactStore;
  modelId: string;
  /** Every file of the model (for the quota check and the totals). */
  files: readonly (ModelFile & { bytes: number })[];
  items: AsyncIterable<ImportItem>;
  /** Files this import wrote, across pauses; appended to as files land. */
  written: ModelFile[];
  signal: AbortSignal;
  onProgress: (p: ImportProgress) => void;
  force: boolean;
  /** Test hook: wait this long before each file. */
  delayMs?: number;
}

export async function writeImport(o: WriteOptions): Promise<{ state: 'done' | 'paused'; filesWritten: number; filesSkipped: number }> {
  const p: ImportProgress = {
    modelId: o.modelId,
    state: 'checking',
    bytesDone: 0,
    bytesTotal: o.files.reduce((n, f) => n + f.bytes, 0),
    filesDone: 0,
    filesTotal: o.files.length,
  };
  const emit = () => o.onProgress({ ...p });
  emit();
  const missing: ModelFile[] = [];
  for (const f of o.files) if ((await o.store.size(f.scope, f.url)) !== f.bytes) missing.push(f);
  if (!o.force) await preflight(o.store, missing);
  p.state = 'importing';
  let filesWritten = 0;
  let filesSkipped = 0;
  for await (const item of o.items) {
    if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
    if (o.signal.aborted) return { state: 'paused', filesWritten, filesSkipped };
    p.file = item.name;
    if ((await o.store.size(item.file.scope, item.file.url)) === item.file.bytes) filesSkipped++;
    else {
      emit();
      const data = bufferOf(await item.read());
      await verify(item, data);
      await put(o.store, item.file, data);
      o.written.push(item.file);
      filesWritten++;
    }
    p.filesDone++;
    p.bytesDone += item.file.bytes;
    emit();
  }
  p.state = 'done';
  p.file = undefined;
  emit();
  return { state: 'done', filesWritten, filesSkipped };
}

/** Size, then SHA-256 from the bundle's index, then what a download checks (MD5 from tensor-cache.json, the record's SRI). */
async function verify(item: ImportItem, data: ArrayBuffer): Promise<void> {
  if (data.byteLength !== item.file.bytes)
    throw new ModelImportError(`${item.name} is ${data.byteLength} bytes; ${item.file.bytes} were expected`);
  // SHA-256 runs off the thread while MD5 is computed here: the two checks overlap.
  const sha = item.sha256 ? sha256Hex(data) : undefined;
  const md5 = item.file.md5 ? new Md5().update(new Uint8Array(data)).hex() : undefined;
  if (sha && (await sha) !== item.sha256)
    throw new ModelImportError(`${item.name} does not match its SHA-256 in the index (the bundle is corrupt)`);
  try {
    await verifyFile(item.file, data, md5);
  } catch (err) {
    throw new ModelImportError(messageOf(err).replace(/^[^ ]+ does not match/, `${item.name} does not match`));
  }
}

const bufferOf = (data: Uint8Array): ArrayBuffer =>
  data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? (data.buffer as ArrayBuffer) : data.slice().buffer;

async function put(store: ArtifactStore, f: ModelFile, data: ArrayBuffer): Promise<void> {
  try {
    await store.put(f.scope, f.url, data, f.storeAs);
  } catch (err) {
    if (isQuotaExceeded(err))
      throw new StorageFullError(`${prettyBytes(data.byteLength)} could not be stored for ${f.url.split('/').pop()}`);
    throw err;
  }
}

/** Removes what an import wrote (nothing else needed it: it was not stored before) and frees the space. */
export async function discardImport(store: ArtifactStore, written: ModelFile[]): Promise<void> {
  for (const f of written.splice(0)) await store.remove(f.scope, f.url);
  for (const scope of SCOPES) await store.prune(scope);
}
