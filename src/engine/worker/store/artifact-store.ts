// Where model files live, in exactly the layout WebLLM 0.2.86 reads for each cache backend, so a
// later WebLLM reload finds every file and makes no network request. Runs in the engine worker.
// A file is written only once it is complete: a put either stores all of it or nothing.

import { MODEL_LIBS_CACHE, type CacheBackend, type Scope } from '../../../lib/download/files';
import { CacheApiStore } from './cache-store';
import { IndexedDbStore } from './idb-store';
import { OpfsStore } from './opfs-store';

export interface StoredFile {
  url: string;
  bytes: number;
}

export interface ArtifactStore {
  readonly backend: CacheBackend;
  /** Stored size of a complete file, or undefined when it is absent. */
  size(scope: Scope, url: string): Promise<number | undefined>;
  read(scope: Scope, url: string): Promise<ArrayBuffer | undefined>;
  put(scope: Scope, url: string, data: ArrayBuffer, storeAs: 'json' | 'arraybuffer', contentType?: string): Promise<void>;
  remove(scope: Scope, url: string): Promise<void>;
  list(scope: Scope): Promise<StoredFile[]>;
}

/** Our own scope for model libraries WebLLM never caches lives in Cache Storage whatever the backend (the service worker serves it). */
export function storeFor(backend: CacheBackend): ArtifactStore {
  const inner = backend === 'indexeddb' ? new IndexedDbStore() : backend === 'opfs' ? new OpfsStore() : new CacheApiStore();
  if (backend === 'cache') return inner;
  const libs = new CacheApiStore();
  const pick = (scope: Scope) => (scope === MODEL_LIBS_CACHE ? libs : inner);
  return {
    backend,
    size: (s, u) => pick(s).size(s, u),
    read: (s, u) => pick(s).read(s, u),
    put: (s, u, d, a, c) => pick(s).put(s, u, d, a, c),
    remove: (s, u) => pick(s).remove(s, u),
    list: (s) => pick(s).list(s),
  };
}
