// Records of models imported from a bundle or a folder that the catalog did not have: kept in
// Cache Storage ("airgap-imported-models") so the model is still in the catalog after a reload and
// offline; `hello` adds them like a custom source's records. Runs in the engine worker.

import { CacheDocuments } from './cache-store';
import type { SourceRecord } from './sources';

const IMPORTED_CACHE = 'airgap-imported-models';

export function importedRecords(pageUrl: string): {
  load(): Promise<SourceRecord[]>;
  add(record: SourceRecord): Promise<void>;
  /** Forgets these models' records; resolves with the ids that were imported ones. */
  remove(modelIds: readonly string[]): Promise<string[]>;
} {
  const key = new URL('/.airgap/imported-models.json', pageUrl).href;
  const docs = new CacheDocuments(IMPORTED_CACHE);
  const load = async (): Promise<SourceRecord[]> => {
    try {
      const list = JSON.parse((await docs.get(key)) ?? '[]') as unknown;
      return Array.isArray(list) ? (list as SourceRecord[]).filter((r) => typeof r?.model_id === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    load,
    async add(record) {
      const list = (await load()).filter((r) => r.model_id !== record.model_id);
      await docs.put(key, JSON.stringify([...list, record]));
    },
    async remove(modelIds) {
      const list = await load();
      const gone = list.filter((r) => modelIds.includes(r.model_id)).map((r) => r.model_id);
      if (gone.length) await docs.put(key, JSON.stringify(list.filter((r) => !gone.includes(r.model_id))));
      return gone;
    },
  };
}
