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

/** English function words: in nearly every passage, they rank nothing and make every query match everything. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to was we were what ' +
    'when where which who why will with would you your'
  ).split(' '),
);
const processTerm = (term: string): string | null => {
  const t = term.toLowerCase();
  return STOP_WORDS.has(t) ? null : t;
};
const OPTIONS: Options<IndexedPassage> = { fields: ['text', 'heading'], storeFields: [], processTerm, searchOptions: SEARCH_OPTIONS };

/** A question's distinct terms, at most this many: a whole pasted page as the query costs a few of them. */
export const MAX_QUERY_TERMS = 48;
const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** The query as MiniSearch gets it: each term once, function words dropped, the first MAX_QUERY_TERMS kept. */
export function queryTerms(query: string): string {
  const terms = new Set<string>();
  for (const token of tokenize(query)) {
    const term = processTerm(token);
    if (term) terms.add(term);
    if (terms.size === MAX_QUERY_TERMS) break;
  }
  return [...terms].join(' ');
}

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

  /** Drops every index held in memory: the next use reads it from storage again. */
  forgetAll(): void {
    this.#loaded.clear();
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
    const terms = queryTerms(query);
    if (!terms) return [];
    return index.search(terms, options).map((r) => ({ id: String(r.id), score: r.score }));
  }

  async #save(collection: CollectionId, index: MiniSearch<IndexedPassage>): Promise<void> {
    if (index.documentCount === 0) {
      this.#loaded.delete(collection);
      await this.#store.putIndex(collection, undefined);
    } else await this.#store.putIndex(collection, JSON.stringify(index));
  }
}
