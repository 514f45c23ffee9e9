// The store for a cache backend: WebLLM's layout in Cache Storage, IndexedDB or OPFS, except that
// model libraries WebLLM never caches always live in our own Cache Storage scope (the service worker
// serves them). The one place a backend name becomes store classes. Runs in the engine worker.

import { MODEL_LIBS_CACHE, type CacheBackend, type Scope } from '../../../lib/download/files';
import type { ArtifactStore } from './artifact-store';
import { CacheApiStore } from './cache-store';
import { IndexedDbStore } from './idb-store';
import { OpfsStore } from './opfs-store';

/** Model libraries WebLLM never caches live in our own scope in Cache Storage whatever the backend (the service worker serves them). */
export function storeFor(backend: CacheBackend): ArtifactStore {
  const libs = new CacheApiStore();
  if (backend === 'cache') return libs;
  const inner = backend === 'indexeddb' ? new IndexedDbStore() : new OpfsStore();
  const pick = (scope: Scope): Required<Pick<ArtifactStore, 'putStream'>> & ArtifactStore => (scope === MODEL_LIBS_CACHE ? libs : inner);
  return {
    backend,
    size: (s, u) => pick(s).size(s, u),
    read: (s, u) => pick(s).read(s, u),
    put: (s, u, d, a, c) => pick(s).put(s, u, d, a, c),
    putStream: (s, u, b, n, c) => pick(s).putStream(s, u, b, n, c),
    remove: (s, u) => pick(s).remove(s, u),
    list: (s) => pick(s).list(s),
    prune: (s) => pick(s).prune(s),
  };
}
