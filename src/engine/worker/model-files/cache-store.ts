// Cache Storage in WebLLM's layout: one cache per scope ("webllm/model", …), keyed by absolute URL;
// and the small documents of our own kept in Cache Storage (the held-model index, source configs).
// Runs in the engine worker. This file is the worker's only user of the Cache API. Reads never
// create a cache (caches.match with cacheName), so a scope's cache exists only once written to.

import type { Scope } from '../../../lib/download/files';
import type { ArtifactStore, StoredFile } from './artifact-store';

const SIZE_HEADER = 'x-airgap-bytes';

const match = (scope: string, url: string): Promise<Response | undefined> => caches.match(url, { cacheName: scope });

export class CacheApiStore implements ArtifactStore {
  readonly backend = 'cache' as const;

  async size(scope: Scope, url: string): Promise<number | undefined> {
    const r = await match(scope, url);
    if (!r) return undefined;
    const header = Number(r.headers.get(SIZE_HEADER) ?? r.headers.get('content-length'));
    return Number.isFinite(header) && header > 0 ? header : (await r.blob()).size;
  }

  async read(scope: Scope, url: string): Promise<ArrayBuffer | undefined> {
    const r = await match(scope, url);
    return r ? r.arrayBuffer() : undefined;
  }

  async put(scope: Scope, url: string, data: ArrayBuffer, _storeAs: 'json' | 'arraybuffer', contentType?: string): Promise<void> {
    const headers: Record<string, string> = { [SIZE_HEADER]: String(data.byteLength), 'content-length': String(data.byteLength) };
    if (contentType) headers['content-type'] = contentType;
    await (await caches.open(scope)).put(url, new Response(data, { status: 200, headers }));
  }

  /** Cache.put commits an entry only once its body has been read to the end without error. */
  async putStream(scope: Scope, url: string, body: ReadableStream<Uint8Array>, bytes: number, contentType?: string): Promise<void> {
    const headers: Record<string, string> = { [SIZE_HEADER]: String(bytes), 'content-length': String(bytes) };
    if (contentType) headers['content-type'] = contentType;
    await (await caches.open(scope)).put(url, new Response(body, { status: 200, headers }));
  }

  async remove(scope: Scope, url: string): Promise<void> {
    if (await caches.has(scope)) await (await caches.open(scope)).delete(url);
  }

  async list(scope: Scope): Promise<StoredFile[]> {
    if (!(await caches.has(scope))) return [];
    const cache = await caches.open(scope);
    const out: StoredFile[] = [];
    for (const req of await cache.keys()) {
      const bytes = await this.size(scope, req.url);
      if (bytes !== undefined) out.push({ url: req.url, bytes });
    }
    return out;
  }

  /**
   * Chrome gives back the space of Cache Storage entries only when their whole cache is deleted
   * (and no handle to it is open), so an empty cache is deleted, not kept.
   */
  async prune(scope: Scope): Promise<void> {
    if (!(await caches.has(scope))) return;
    if ((await (await caches.open(scope)).keys()).length === 0) await caches.delete(scope);
  }
}

/** A named cache of small text documents keyed by URL (JSON unless told otherwise). */
export class CacheDocuments {
  constructor(readonly name: string) {}

  async get(url: string): Promise<string | undefined> {
    return (await match(this.name, url))?.text();
  }

  async put(url: string, text: string, contentType = 'application/json'): Promise<void> {
    await (await caches.open(this.name)).put(url, new Response(text, { headers: { 'content-type': contentType } }));
  }

  async delete(url: string): Promise<void> {
    if (await caches.has(this.name)) await (await caches.open(this.name)).delete(url);
  }
}

/** A stored response handed over once: removed from `cacheName` as it is returned (a read never creates the cache). */
export async function takeResponse(cacheName: string, url: string): Promise<Response | undefined> {
  const hit = await match(cacheName, url);
  if (hit) await (await caches.open(cacheName)).delete(url);
  return hit;
}
