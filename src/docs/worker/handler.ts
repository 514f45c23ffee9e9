// The documents worker's side of the call map: one handler per call, typed against DocsCalls so a
// missing handler is a compile error. Changes to storage run one at a time (a queue), so an add,
// a delete and vectors arriving never interleave their writes; searches and listings do not wait.

import type { CollectionId, DocsCalls } from '../protocol';
import { AddControl, addFiles } from './add';
import { KeywordIndex } from './keyword-index';
import { searchPassages } from './search';
import { DB_NAME, DocStore, toDocInfo } from './store';
import { VectorCache } from './vector-cache';
import { pendingVectors, putVectors } from './vectors';

type Call = keyof DocsCalls;
type Params<K extends Call> = DocsCalls[K]['params'];
type Result<K extends Call> = Promise<DocsCalls[K]['result']>;
/** Calls without events take no `emit`. */
type Handler<K extends Call> = [DocsCalls[K]['event']] extends [never]
  ? (params: Params<K>) => Result<K>
  : (params: Params<K>, emit: (event: DocsCalls[K]['event']) => void) => Result<K>;
export type DocsHandlers = { [K in Call]: Handler<K> };

export function createDocsHandlers(store = new DocStore()): DocsHandlers {
  const index = new KeywordIndex(store);
  const vectorCache = new VectorCache(store);
  let queue: Promise<unknown> = Promise.resolve();
  let adding: { collection: CollectionId; control: AddControl } | undefined;
  // Other tabs run workers of their own on the same database: what this one holds in memory is
  // read again once another has written.
  const fresh = async () => {
    if (await store.changedElsewhere()) {
      index.forgetAll();
      vectorCache.forgetAll();
    }
  };
  // One writer at a time within this worker (the queue) and across tabs (a Web Lock, where there are locks).
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const locked = async () => {
      await fresh();
      return work();
    };
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    const run: Promise<T> = queue.then(() => (locks ? (locks.request(DB_NAME, locked) as Promise<T>) : locked()));
    queue = run.catch(() => {});
    return run;
  };
  // What a worker stopped between writes left behind; under the lock, so never another tab's add in progress.
  const started = exclusive(() => store.sweep()).catch(() => {});
  const removeDocs = async (docs: { id: string; collection: CollectionId; passages: number }[]) => {
    for (const c of new Set(docs.map((d) => d.collection)))
      await index.remove(
        c,
        docs.filter((d) => d.collection === c),
      );
    await store.removeDocs(docs.map((d) => d.id));
    vectorCache.forget(docs.map((d) => d.id));
  };

  return {
    add: ({ collection, files }, emit) =>
      exclusive(async () => {
        const control = new AddControl();
        adding = { collection, control };
        try {
          return await addFiles({ store, index, control }, collection, files, emit);
        } finally {
          adding = undefined;
        }
      }),
    // An add that has just finished leaves nothing to control: a late pause or cancel is no error.
    async addControl({ action }) {
      adding?.control.set(action);
      return null;
    },
    list: async ({ collection }) => (await started, await store.docs(collection)).map(toDocInfo),
    search: async (params) => {
      await started;
      await fresh();
      return searchPassages(store, index, vectorCache, params);
    },
    pendingVectors: async ({ collection, limit }) => pendingVectors(store, collection, limit),
    putVectors: ({ vectors }) =>
      exclusive(async () => {
        vectorCache.forget(await putVectors(store, vectors));
        return null;
      }),
    deleteDoc: ({ docId }) =>
      exclusive(async () => {
        await removeDocs((await store.docs()).filter((d) => d.id === docId));
        return null;
      }),
    // An add into the collection being deleted (perhaps paused) is cancelled rather than waited for.
    deleteCollection: ({ collection }) => {
      if (adding?.collection === collection) adding.control.set('cancel');
      return exclusive(async () => {
        await removeDocs(await store.docs(collection));
        await store.sweep();
        return null;
      });
    },
    async usage() {
      const [docs, indexBytes] = await Promise.all([store.docs(), store.indexBytes()]);
      const rows = new Map<CollectionId, { collection: CollectionId; docs: number; bytes: number }>();
      for (const d of docs) {
        const row = rows.get(d.collection) ?? { collection: d.collection, docs: 0, bytes: indexBytes[d.collection] ?? 0 };
        row.docs++;
        row.bytes += d.bytes + d.passageBytes + d.vectorBytes;
        rows.set(d.collection, row);
      }
      return [...rows.values()];
    },
  };
}
