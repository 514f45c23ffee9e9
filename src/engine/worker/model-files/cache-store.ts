// Cache Storage in WebLLM's layout: one cache per scope ("webllm/model", …), keyed by absolute URL.
// Runs in the engine worker.

import type { Scope } from '../../../lib/download/files';
import type { ArtifactStore, StoredFile } from './artifact-store';

const SIZE_HEADER = 'x-airgap-bytes';

export class CacheApiStore implements ArtifactStore {
  readonly backend = 'cache' as const;

  async size(scope: Scope, url: string): Promise<number | undefined> {
    const r = await (await caches.open(scope)).match(url);
    if (!r) return undefined;
    const header = Number(r.headers.get(SIZE_HEADER) ?? r.headers.get('content-length'));
    return Number.isFinite(header) && header > 0 ? header : (await r.blob()).size;
  }

  async read(scope: Scope, url: string): Promise<ArrayBuffer | undefined> {
    const r = await (await caches.open(scope)).match(url);
    return r ? r.arrayBuffer() : undefined;
  }

  async put(scope: Scope, url: string, data: ArrayBuffer, _storeAs: 'json' | 'arraybuffer', contentType?: string): Promise<void> {
    const headers: Record<string, string> = { [SIZE_HEADER]: String(data.byteLength), 'content-length': String(data.byteLength) };
    if (contentType) headers['content-type'] = contentType;
    await (await caches.open(scope)).put(url, new Response(data, { status: 200, headers }));
  }

  async remove(scope: Scope, url: string): Promise<void> {
    await (await caches.open(scope)).delete(url);
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
}
