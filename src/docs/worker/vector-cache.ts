// The passages' vectors held in memory, one row-major matrix per document, read from storage the
// first time a search needs them: a query then costs a dot product per passage, not a read of
// every vector. Entries are dropped when a document's vectors change or it is deleted.

import { topK } from '../../lib/docs/vector-search';
import { vectorMatrix } from '../../lib/docs/vector-simd';
import { passageId, type DocRecord, type DocStore } from './store';

interface DocMatrix {
  dims: number;
  /** Passage index of each row (passages without a vector have no row). */
  rows: number[];
  matrix: Float32Array;
}

export class VectorCache {
  readonly #store: DocStore;
  readonly #docs = new Map<string, DocMatrix | null>();

  constructor(store: DocStore) {
    this.#store = store;
  }

  forget(docIds: Iterable<string>): void {
    for (const id of docIds) this.#docs.delete(id);
  }

  forgetAll(): void {
    this.#docs.clear();
  }

  async #load(docs: DocRecord[]): Promise<void> {
    const missing = docs.filter((d) => !this.#docs.has(d.id));
    const stored = await this.#store.vectors(missing.map((d) => d.id));
    missing.forEach((d, i) => {
      const v = stored[i];
      if (!v) return void this.#docs.set(d.id, null);
      const rows = v.rows.flatMap((row, j) => (row ? [j] : []));
      // In WebAssembly memory where the platform has SIMD: topK then scores it there (about 3× faster).
      const matrix = vectorMatrix(rows.length, v.dims);
      rows.forEach((j, r) => matrix.set(v.rows[j]!, r * v.dims));
      this.#docs.set(d.id, { dims: v.dims, rows, matrix });
    });
  }

  /** Passage ids nearest the query, best first, over the documents' vectors of the query's size. */
  async nearest(docs: DocRecord[], query: Float32Array, k: number): Promise<string[]> {
    const withVectors = docs.filter((d) => d.vectorBytes > 0);
    await this.#load(withVectors);
    const hits: { id: string; score: number }[] = [];
    for (const d of withVectors) {
      const m = this.#docs.get(d.id);
      if (!m || m.dims !== query.length) continue;
      for (const hit of topK(query, m.matrix, m.dims, k)) hits.push({ id: passageId(d.id, m.rows[hit.index]!), score: hit.score });
    }
    return hits
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map((h) => h.id);
  }
}
