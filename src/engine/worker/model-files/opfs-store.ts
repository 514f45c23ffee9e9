// The Origin Private File System in WebLLM's layout: tvmjs-opfs-store/<scope parts>/, each file as
// <sha256(url)>.bin plus <sha256(url)>.record.json = {url, nbytes, contentType}. The payload is
// written first and the record last, so a file without its record is not there. Runs in the worker.

import type { Scope } from '../../../lib/download/files';
import { sha256Hex } from '../../../lib/bytes';
import type { ArtifactStore, StoredFile } from './artifact-store';

const ROOT = 'tvmjs-opfs-store';

async function dir(scope: Scope): Promise<FileSystemDirectoryHandle> {
  let d = await (await navigator.storage.getDirectory()).getDirectoryHandle(ROOT, { create: true });
  for (const part of scope.split('/').filter(Boolean)) d = await d.getDirectoryHandle(encodeURIComponent(part), { create: true });
  return d;
}

const hash = (url: string): Promise<string> => sha256Hex(new TextEncoder().encode(url));

async function fileIfExists(d: FileSystemDirectoryHandle, name: string): Promise<FileSystemFileHandle | undefined> {
  try {
    return await d.getFileHandle(name);
  } catch {
    return undefined;
  }
}

async function writeFile(h: FileSystemFileHandle, data: ArrayBuffer | Uint8Array): Promise<void> {
  const w = await h.createWritable();
  try {
    await w.write(data as ArrayBuffer);
    await w.close();
  } catch (err) {
    await w.abort().catch(() => {});
    throw err;
  }
}

interface OpfsRecord {
  url: string;
  nbytes: number;
  contentType?: string;
}

export class OpfsStore implements ArtifactStore {
  readonly backend = 'opfs' as const;

  async #entry(scope: Scope, url: string): Promise<{ record: OpfsRecord; payload: FileSystemFileHandle } | undefined> {
    const d = await dir(scope);
    const base = await hash(url);
    const recordHandle = await fileIfExists(d, `${base}.record.json`);
    const payload = await fileIfExists(d, `${base}.bin`);
    if (!recordHandle || !payload) return undefined;
    try {
      const record = JSON.parse(await (await recordHandle.getFile()).text()) as OpfsRecord;
      if (record.url !== url || (await payload.getFile()).size !== record.nbytes) return undefined;
      return { record, payload };
    } catch {
      return undefined;
    }
  }

  async size(scope: Scope, url: string): Promise<number | undefined> {
    return (await this.#entry(scope, url))?.record.nbytes;
  }

  async read(scope: Scope, url: string): Promise<ArrayBuffer | undefined> {
    const e = await this.#entry(scope, url);
    return e ? (await e.payload.getFile()).arrayBuffer() : undefined;
  }

  async put(scope: Scope, url: string, data: ArrayBuffer, _storeAs: 'json' | 'arraybuffer', contentType?: string): Promise<void> {
    const d = await dir(scope);
    const base = await hash(url);
    await d.removeEntry(`${base}.record.json`).catch(() => {});
    try {
      await writeFile(await d.getFileHandle(`${base}.bin`, { create: true }), data);
      await this.#writeRecord(d, base, url, data.byteLength, contentType);
    } catch (err) {
      // Nothing half-written stays registered.
      await d.removeEntry(`${base}.record.json`).catch(() => {});
      await d.removeEntry(`${base}.bin`).catch(() => {});
      throw err;
    }
  }

  /** The payload goes through a writable (written to a swap file, in place only on close), the record after it. */
  async putStream(scope: Scope, url: string, body: ReadableStream<Uint8Array>, bytes: number, contentType?: string): Promise<void> {
    const d = await dir(scope);
    const base = await hash(url);
    await d.removeEntry(`${base}.record.json`).catch(() => {});
    try {
      const w = await (await d.getFileHandle(`${base}.bin`, { create: true })).createWritable();
      // pipeTo closes the writable when the body ends, and aborts it (nothing written) when it errors.
      await body.pipeTo(w as unknown as WritableStream<Uint8Array>);
      await this.#writeRecord(d, base, url, bytes, contentType);
    } catch (err) {
      await d.removeEntry(`${base}.record.json`).catch(() => {});
      await d.removeEntry(`${base}.bin`).catch(() => {});
      throw err;
    }
  }

  async #writeRecord(d: FileSystemDirectoryHandle, base: string, url: string, nbytes: number, contentType?: string): Promise<void> {
    const record: OpfsRecord = { url, nbytes };
    if (contentType) record.contentType = contentType;
    await writeFile(await d.getFileHandle(`${base}.record.json`, { create: true }), new TextEncoder().encode(JSON.stringify(record)));
  }

  async remove(scope: Scope, url: string): Promise<void> {
    const d = await dir(scope);
    const base = await hash(url);
    await d.removeEntry(`${base}.record.json`).catch(() => {});
    await d.removeEntry(`${base}.bin`).catch(() => {});
  }

  async list(scope: Scope): Promise<StoredFile[]> {
    const d = await dir(scope);
    const out: StoredFile[] = [];
    for await (const [name, handle] of (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
      if (!name.endsWith('.record.json') || handle.kind !== 'file') continue;
      try {
        const rec = JSON.parse(await (await (handle as FileSystemFileHandle).getFile()).text()) as OpfsRecord;
        if ((await this.size(scope, rec.url)) !== undefined) out.push({ url: rec.url, bytes: rec.nbytes });
      } catch {
        // A record that cannot be read is not a stored file.
      }
    }
    return out;
  }

  /** An empty directory costs nothing: it stays. */
  async prune(): Promise<void> {}
}
