// The keyword (BM25) index of each collection: MiniSearch over the passages' text and heading,
// loaded from storage the first time a collection is searched or changed and kept in memory;
// every change is saved at once, so an index survives a restart of the worker (or the browser).

import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import type { CollectionId } from '../protocol';
import type { DocStore, StoredPassage } from './store';
import { passageId } from './store';

interface IndexedPassage {
  id: string;
  text: string;
  heading: string;
}

/** Light fuzzy matching (one edit in five letters) finds a misspelt word's passage (0/50 → 40/50) for a few ms
 *  more per query over a 300-page PDF; prefix matching finds nothing more (test/bench/docs-index.run.ts). */
export const SEARCH_OPTIONS: SearchOptions = { boost: { heading: 1.5 }, prefix: false, fuzzy: 0.2, combineWith: 'OR' };
const OPTIONS: Options<IndexedPassage> = { fields: ['text', 'heading'], storeFields: [], searchOptions: SEARCH_OPTIONS };

export class KeywordIndex {
  readonly #store: DocStore;
  readonly #loaded = new Map<CollectionId, MiniSearch<IndexedPassage>>();

  constructor(store: DocStore) {
    this.#store = store;
  }

  async #index(collection: CollectionId): Promise<MiniSearch<IndexedPassage>> {
    let index = this.#loaded.get(collection);
    if (!index) {
      const json = await this.#store.index(collection);
      index = json ? MiniSearch.loadJSON<IndexedPassage>(json, OPTIONS) : new MiniSearch<IndexedPassage>(OPTIONS);
      this.#loaded.set(collection, index);
    }
    return index;
  }

  async add(collection: CollectionId, docId: string, passages: StoredPassage[]): Promise<void> {
    const index = await this.#index(collection);
    index.addAll(passages.map((p, i) => ({ id: passageId(docId, i), text: p.text, heading: p.heading ?? '' })));
    await this.#save(collection, index);
  }

  async remove(collection: CollectionId, docs: { id: string; passages: number }[]): Promise<void> {
    const index = await this.#index(collection);
    for (const d of docs) for (let i = 0; i < d.passages; i++) if (index.has(passageId(d.id, i))) index.discard(passageId(d.id, i));
    await this.#save(collection, index);
  }

  /** Passage ids, best first. */
  async search(collection: CollectionId, query: string, options: SearchOptions = {}): Promise<{ id: string; score: number }[]> {
    const index = await this.#index(collection);
    return index.search(query, options).map((r) => ({ id: String(r.id), score: r.score }));
  }

  async #save(collection: CollectionId, index: MiniSearch<IndexedPassage>): Promise<void> {
    if (index.documentCount === 0) {
      this.#loaded.delete(collection);
      await this.#store.putIndex(collection, undefined);
    } else await this.#store.putIndex(collection, JSON.stringify(index));
  }
}
