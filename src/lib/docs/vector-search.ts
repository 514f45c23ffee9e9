// Brute-force nearest passages by vector: the dot product of the query with every row of a
// row-major matrix (vectors are unit length, so the dot product is the cosine), keeping the k best
// in a small min-heap instead of sorting every score. Invariants: hits are sorted by score, best
// first; equal scores go to the lower row index; rows whose score is NaN are never returned.

import { simdScores } from './vector-simd';

export interface VectorHit {
  /** Row of the matrix. */
  index: number;
  score: number;
}

export type Dot = (query: Float32Array, matrix: Float32Array, offset: number, dims: number) => number;

/**
 * One accumulator. Four independent accumulators measured slower in V8 (test/bench/vector-search.run.ts),
 * so this is the JavaScript path; WebAssembly SIMD is the fast one.
 */
export const dotPlain: Dot = (q, m, offset, dims) => {
  let s = 0;
  for (let i = 0; i < dims; i++) s += q[i]! * m[offset + i]!;
  return s;
};

/** The k best rows; a matrix from vectorMatrix is scored with WebAssembly SIMD, any other in JavaScript. */
export function topK(query: Float32Array, matrix: Float32Array, dims: number, k: number): VectorHit[] {
  checkShape(query, matrix, dims);
  const scores = simdScores(query, matrix, dims);
  if (scores === null) return topKWith(dotPlain, query, matrix, dims, k);
  const heap = new MinHeap(heapSize(k, scores.length));
  scores.forEach((score, row) => heap.offer(row, score));
  return heap.sorted();
}

const heapSize = (k: number, rows: number) => Math.min(Math.max(0, Math.floor(k)), rows);

export function topKWith(dot: Dot, query: Float32Array, matrix: Float32Array, dims: number, k: number): VectorHit[] {
  checkShape(query, matrix, dims);
  const heap = new MinHeap(heapSize(k, matrix.length / dims));
  for (let row = 0, offset = 0; offset < matrix.length; row++, offset += dims) heap.offer(row, dot(query, matrix, offset, dims));
  return heap.sorted();
}

export function checkShape(query: Float32Array, matrix: Float32Array, dims: number): void {
  if (!Number.isInteger(dims) || dims < 1) throw new RangeError(`dims must be a positive integer, got ${dims}`);
  if (query.length !== dims) throw new RangeError(`query has ${query.length} dimensions, expected ${dims}`);
  if (matrix.length % dims !== 0) throw new RangeError(`matrix length ${matrix.length} is not a multiple of ${dims}`);
}

/** The k best (row, score) pairs seen so far; the root is the worst of them, the one to evict. */
export class MinHeap {
  readonly #rows: Int32Array;
  readonly #scores: Float64Array;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#rows = new Int32Array(capacity);
    this.#scores = new Float64Array(capacity);
  }

  /** Rows must come in increasing order: then a later row never beats an equal score already kept. */
  offer(row: number, score: number): void {
    if (Number.isNaN(score)) return;
    if (this.#size < this.capacity) {
      this.#siftUp(this.#size++, row, score);
    } else if (score > this.#scores[0]!) {
      this.#siftDown(row, score);
    }
  }

  /** Best first; equal scores by lower row. */
  sorted(): VectorHit[] {
    const hits: VectorHit[] = [];
    for (let i = 0; i < this.#size; i++) hits.push({ index: this.#rows[i]!, score: this.#scores[i]! });
    return hits.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  /** Is (rowA, a) worse than (rowB, b)? Lower score, or the same score at a later row. */
  #worse(a: number, rowA: number, b: number, rowB: number): boolean {
    return a < b || (a === b && rowA > rowB);
  }

  #siftUp(at: number, row: number, score: number): void {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#worse(score, row, this.#scores[parent]!, this.#rows[parent]!)) break;
      this.#rows[at] = this.#rows[parent]!;
      this.#scores[at] = this.#scores[parent]!;
      at = parent;
    }
    this.#rows[at] = row;
    this.#scores[at] = score;
  }

  /** Replaces the root with (row, score) and moves it down to its place. */
  #siftDown(row: number, score: number): void {
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.#size) break;
      const right = child + 1;
      if (right < this.#size && this.#worse(this.#scores[right]!, this.#rows[right]!, this.#scores[child]!, this.#rows[child]!))
        child = right;
      if (!this.#worse(this.#scores[child]!, this.#rows[child]!, score, row)) break;
      this.#rows[at] = this.#rows[child]!;
      this.#scores[at] = this.#scores[child]!;
      at = child;
    }
    this.#rows[at] = row;
    this.#scores[at] = score;
  }
}
