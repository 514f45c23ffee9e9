// The ids of the models the user downloaded or loaded, per storage backend, so the dashboard lists
// those (not every id that happens to share their files) and deletion knows which files another
// held model still needs. Kept in Cache Storage ("airgap-model-index"), beside the files it names.
// Runs in the engine worker.

import type { CacheBackend } from '../../../lib/download/files';

export interface HeldIndex {
  load(): Promise<Set<string>>;
  save(ids: ReadonlySet<string>): Promise<void>;
}

const INDEX_CACHE = 'airgap-model-index';

export function cacheHeldIndex(backend: CacheBackend, pageUrl: string): HeldIndex {
  const key = new URL(`/.airgap/held-models-${backend}.json`, pageUrl).href;
  return {
    async load() {
      const r = await (await caches.open(INDEX_CACHE)).match(key);
      if (!r) return new Set();
      try {
        const ids = (await r.json()) as unknown;
        return new Set(Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : []);
      } catch {
        return new Set();
      }
    },
    async save(ids) {
      await (await caches.open(INDEX_CACHE)).put(key, new Response(JSON.stringify([...ids]), { headers: { 'content-type': 'application/json' } }));
    },
  };
}

/** For tests and for environments without Cache Storage. */
export function memoryHeldIndex(): HeldIndex {
  let held = new Set<string>();
  return {
    load: async () => new Set(held),
    save: async (ids) => void (held = new Set(ids)),
  };
}
