// Vectors for passages, computed by the engine's embedder and brought here by the page:
// `pending` lists passages that still have none, `put` stores what came back. A document's
// `vectors` flag turns true when every one of its passages has a vector.

import type { CollectionId } from '../protocol';
import { parsePassageId, passageId, type DocStore } from './store';

export async function pendingVectors(
  store: DocStore,
  collection: CollectionId,
  limit: number,
): Promise<{ passageId: string; text: string }[]> {
  const out: { passageId: string; text: string }[] = [];
  const docs = (await store.docs(collection)).filter((d) => d.state === 'ready' && !d.vectors);
  const stored = await store.vectors(docs.map((d) => d.id));
  for (const [i, doc] of docs.entries()) {
    if (out.length >= limit) break;
    const rows = stored[i]?.rows ?? [];
    const passages = await store.passages(doc.id);
    for (const [j, p] of passages.entries()) {
      if (out.length >= limit) break;
      if (!rows[j]) out.push({ passageId: passageId(doc.id, j), text: p.text });
    }
  }
  return out;
}

/** Stores the vectors; answers the documents whose vectors changed. */
export async function putVectors(store: DocStore, vectors: { passageId: string; vector: Float32Array }[]): Promise<string[]> {
  const byDoc = new Map<string, { index: number; vector: Float32Array }[]>();
  for (const v of vectors) {
    const { docId, index } = parsePassageId(v.passageId);
    byDoc.set(docId, [...(byDoc.get(docId) ?? []), { index, vector: v.vector }]);
  }
  const docs = new Map((await store.docs()).map((d) => [d.id, d]));
  const changed: string[] = [];
  for (const [docId, list] of byDoc) {
    const doc = docs.get(docId);
    if (!doc) continue; // deleted while the page was embedding
    const dims = list[0]!.vector.length;
    const [old] = await store.vectors([docId]);
    // A different embedder (other dimensions) replaces the old vectors rather than mixing with them.
    const rows = old?.dims === dims ? [...old.rows] : Array.from({ length: doc.passages }, () => null as Float32Array | null);
    for (const { index, vector } of list) if (index < doc.passages && vector.length === dims) rows[index] = vector;
    await store.putVectors(docId, { dims, rows });
    const filled = rows.filter(Boolean).length;
    await store.patchDoc(docId, { vectors: filled === doc.passages, vectorBytes: filled * dims * 4 });
    changed.push(docId);
  }
  return changed;
}
