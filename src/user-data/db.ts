// The app's IndexedDB stores, through idb-keyval (this folder is its only importer). One database
// per concern, each with a schema version kept under SCHEMA_KEY and migrated on first use.
// Runs on the page.

import { createStore, get, set, type UseStore } from 'idb-keyval';

export const SCHEMA_KEY = '__schema__';

interface VersionedStore {
  store: UseStore;
  ready: Promise<void>;
}

/** Opens a store and runs `migrate(from)` once when the stored schema is older than `version`. */
export function openVersionedStore(
  dbName: string,
  storeName: string,
  version: number,
  migrate: (store: UseStore, from: number) => Promise<void>,
): VersionedStore {
  const store = createStore(dbName, storeName);
  const ready = (async () => {
    const from = (await get<number>(SCHEMA_KEY, store)) ?? 0;
    if (from > version) {
      throw new Error(`${dbName} was written by a newer version of Airgap (schema ${from}, this build reads ${version}); reload to update`);
    }
    if (from < version) {
      await migrate(store, from);
      await set(SCHEMA_KEY, version, store);
    }
  })();
  return { store, ready };
}
