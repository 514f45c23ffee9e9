// Hybrid retrieval over collections: keyword (BM25) ranks from each collection's index, merged by
// score; vector ranks by brute-force dot product when the page gives a query vector and passages
// have vectors of its size; the two rankings fused by reciprocal rank fusion, numbered from 1.

import { fuseRanks } from '../../lib/docs/fusion';
import type { CollectionId, Passage } from '../protocol';
import type { KeywordIndex } from './keyword-index';
import { parsePassageId, type DocStore, type StoredPassage } from './store';
import type { VectorCache } from './vector-cache';

/** How deep each ranking goes before fusion: enough for a passage ranked low in one list to rise. */
const CANDIDATES = 50;

export async function searchPassages(
  store: DocStore,
  index: KeywordIndex,
  vectors: VectorCache,
  { collections, query, queryVector, k }: { collections: CollectionId[]; query: string; queryVector?: Float32Array; k: number },
): Promise<Passage[]> {
  const wanted = new Set(collections);
  const docs = (await store.docs()).filter((d) => wanted.has(d.collection) && d.state === 'ready');
  if (!docs.length || k <= 0) return [];
  const depth = Math.max(CANDIDATES, k);
  const keyword = (await Promise.all([...new Set(docs.map((d) => d.collection))].map((c) => index.search(c, query))))
    .flat()
    .sort((a, b) => b.score - a.score)
    .slice(0, depth)
    .map((r) => r.id);
  const vector = queryVector?.length ? await vectors.nearest(docs, queryVector, depth) : [];
  const fused = fuseRanks([keyword, vector].filter((l) => l.length)).slice(0, k);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const out: Passage[] = [];
  // Each document's passages are read once, however many of them rank.
  const read = new Map<string, Promise<StoredPassage[]>>();
  const passagesOf = (docId: string) => read.get(docId) ?? read.set(docId, store.passages(docId)).get(docId)!;
  for (const { id, score } of fused) {
    const { docId, index: i } = parsePassageId(id);
    const doc = byId.get(docId);
    const p = doc && (await passagesOf(docId))[i];
    if (!doc || !p) continue;
    out.push({
      n: out.length + 1,
      docId,
      docName: doc.name,
      passageId: id,
      text: p.text,
      ...(p.heading ? { heading: p.heading } : {}),
      ...(p.page !== undefined ? { page: p.page } : {}),
      score,
    });
  }
  return out;
}
