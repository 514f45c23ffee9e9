// The ids of the models the user downloaded or loaded, per storage backend, so the dashboard lists
// those (not every id that happens to share their files) and deletion knows which files another
// held model still needs. Kept in Cache Storage ("airgap-model-index"), beside the files it names.
// Runs in the engine worker.

import type { CacheBackend } from '../../../lib/download/files';
import { CacheDocuments } from './cache-store';

export interface HeldIndex {
  load(): Promise<Set<string>>;
  save(ids: ReadonlySet<string>): Promise<void>;
}

const INDEX_CACHE = 'airgap-model-index';

export function cacheHeldIndex(backend: CacheBackend, pageUrl: string): HeldIndex {
  const key = new URL(`/.airgap/held-models-${backend}.json`, pageUrl).href;
  const docs = new CacheDocuments(INDEX_CACHE);
  return {
    async load() {
      const text = await docs.get(key);
      if (text === undefined) return new Set();
      try {
        const ids = JSON.parse(text) as unknown;
        return new Set(Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : []);
      } catch {
        return new Set();
      }
    },
    async save(ids) {
      await docs.put(key, JSON.stringify([...ids]));
    },
  };
}
