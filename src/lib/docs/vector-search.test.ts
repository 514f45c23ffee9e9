import { describe, expect, test } from 'vitest';
import { createRng } from '../rng';
import { dotPlain, MinHeap, topK, topKWith } from './vector-search';
import { MAX_SIMD_BYTES, scoresWasm, simdBytes, simdScores, vectorMatrix } from './vector-simd';

/** Random unit rows (deterministic). */
function unitRows(rows: number, dims: number, seed: number, into: Float32Array = new Float32Array(rows * dims)): Float32Array {
  const rng = createRng(seed);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = 0; i < dims; i++) sum += (into[r * dims + i] = rng() - 0.5) ** 2;
    for (let i = 0; i < dims; i++) into[r * dims + i]! /= Math.sqrt(sum);
  }
  return into;
}

/** The k best by a full sort: what the heap must agree with. */
function bySort(query: Float32Array, matrix: Float32Array, dims: number, k: number) {
  const all = Array.from({ length: matrix.length / dims }, (_, index) => ({ index, score: dotPlain(query, matrix, index * dims, dims) }));
  return all.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
}

test('the dot product is the exact sum of products at the given row', () => {
  const m = new Float32Array([1, 2, 3, 4, 5, 6]);
  expect(dotPlain(new Float32Array([1, 10]), m, 2, 2)).toBe(43);
  expect(dotPlain(new Float32Array([1, 10, 100]), m, 3, 3)).toBe(654);
});

describe('topK', () => {
  test('agrees with a full sort, for every k', () => {
    const dims = 24;
    const m = unitRows(200, dims, 7);
    const q = unitRows(1, dims, 8);
    for (const k of [1, 2, 3, 10, 64, 199, 200]) expect(topK(q, m, dims, k)).toEqual(bySort(q, m, dims, k));
  });

  test('the best match of a stored row is that row, scored 1', () => {
    const dims = 32;
    const m = unitRows(50, dims, 3);
    const [best] = topK(m.slice(17 * dims, 18 * dims), m, dims, 1);
    expect(best!.index).toBe(17);
    expect(best!.score).toBeCloseTo(1, 5);
  });

  test('equal scores go to the lower row, however the heap meets them', () => {
    const m = new Float32Array([0, 1, 1, 0, 1, 0, 0.5, 0, 1, 0, 1, 0]);
    const q = new Float32Array([1, 0]);
    expect(topK(q, m, 2, 3).map((h) => h.index)).toEqual([1, 2, 4]);
    expect(topK(q, m, 2, 4).map((h) => h.index)).toEqual([1, 2, 4, 5]);
    expect(topK(q, m, 2, 2).map((h) => h.index)).toEqual([1, 2]);
  });

  test('k larger than the rows gives every row; k of 0, negative or below 1 gives none; fractions round down', () => {
    const m = unitRows(5, 4, 1);
    const q = unitRows(1, 4, 2);
    expect(topK(q, m, 4, 99)).toHaveLength(5);
    expect(topK(q, m, 4, 0)).toEqual([]);
    expect(topK(q, m, 4, -3)).toEqual([]);
    expect(topK(q, m, 4, 0.5)).toEqual([]);
    expect(topK(q, m, 4, 2.9)).toHaveLength(2);
    expect(topK(q, new Float32Array(0), 4, 3)).toEqual([]);
  });

  test('rows scoring NaN are never returned', () => {
    const m = new Float32Array([Number.NaN, 0, 1, 0, 0.5, 0]);
    expect(topK(new Float32Array([1, 0]), m, 2, 3)).toEqual([
      { index: 1, score: 1 },
      { index: 2, score: 0.5 },
    ]);
  });

  test('a query or matrix of the wrong shape is refused', () => {
    const q = new Float32Array(4);
    expect(() => topK(q, new Float32Array(8), 0, 1)).toThrow('dims must be a positive integer, got 0');
    expect(() => topK(new Float32Array(0), new Float32Array(0), 0, 1)).toThrow(/dims must be/);
    expect(() => topK(q, new Float32Array(8), 2.5, 1)).toThrow(/dims must be/);
    expect(() => topK(q, new Float32Array(8), 2, 1)).toThrow(/query has 4 dimensions, expected 2/);
    expect(() => topK(q, new Float32Array(10), 4, 1)).toThrow(/not a multiple of 4/);
    expect(() => topKWith(dotPlain, q, new Float32Array(10), 4, 1)).toThrow(RangeError);
    expect(() => topK(new Float32Array(1), new Float32Array(1), 1, 1)).not.toThrow();
  });
});

describe('MinHeap', () => {
  test('keeps the best offers in any order of scores', () => {
    const heap = new MinHeap(3);
    [5, 1, 9, 3, 7, 2, 8].forEach((score, row) => heap.offer(row, score));
    expect(heap.sorted()).toEqual([
      { index: 2, score: 9 },
      { index: 6, score: 8 },
      { index: 4, score: 7 },
    ]);
  });

  test('descending, ascending and equal runs', () => {
    for (const scores of [
      [9, 8, 7, 6, 5, 4, 3],
      [1, 2, 3, 4, 5, 6, 7],
      [4, 4, 4, 4, 4, 4, 4],
      [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5],
    ]) {
      for (const k of [1, 2, 3, 4, 5]) {
        const heap = new MinHeap(k);
        scores.forEach((s, row) => heap.offer(row, s));
        const expected = scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
        expect(heap.sorted()).toEqual(expected.slice(0, k));
      }
    }
  });

  test('with many equal scores it keeps the same rows as a full sort (lower rows win ties)', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const scores = Array.from({ length: 1 + Math.floor(rng() * 12) }, () => Math.floor(rng() * 4));
      const k = 1 + Math.floor(rng() * 8);
      const heap = new MinHeap(Math.min(k, scores.length));
      scores.forEach((s, row) => heap.offer(row, s));
      const expected = scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
      expect(heap.sorted()).toEqual(expected.slice(0, k));
    }
  });

  test('a later equal score evicts the newer of two tied rows', () => {
    const heap = new MinHeap(3);
    [1, 1, 2, 1.5].forEach((s, row) => heap.offer(row, s));
    expect(heap.sorted().map((h) => h.index)).toEqual([2, 3, 0]);
  });

  test('of capacity 0 it keeps nothing', () => {
    const heap = new MinHeap(0);
    heap.offer(0, 1);
    expect(heap.sorted()).toEqual([]);
  });
});

describe('WebAssembly SIMD scoring', () => {
  test('a matrix from vectorMatrix is scored in wasm, matching JavaScript', () => {
    const dims = 48;
    const m = unitRows(300, dims, 11, vectorMatrix(300, dims));
    const q = unitRows(1, dims, 12);
    const scores = simdScores(q, m, dims);
    expect(scores).not.toBeNull();
    for (let r = 0; r < 300; r++) expect(scores![r]).toBeCloseTo(dotPlain(q, m, r * dims, dims), 5);
    const before = m.slice();
    const fast = topK(q, m, dims, 10);
    expect(m).toEqual(before);
    // Summed in float32 by the module (JavaScript sums in float64).
    for (const h of fast) expect(Math.fround(h.score)).toBe(h.score);
    const slow = topKWith(dotPlain, q, m, dims, 10);
    expect(fast.map((h) => h.index)).toEqual(slow.map((h) => h.index));
  });

  test('a second query on the same matrix overwrites the first', () => {
    const dims = 16;
    const m = unitRows(4, dims, 1, vectorMatrix(4, dims));
    expect(topK(m.slice(0, dims), m, dims, 1)[0]!.index).toBe(0);
    expect(topK(m.slice(3 * dims, 4 * dims), m, dims, 1)[0]!.index).toBe(3);
  });

  test('one row is enough', () => {
    const m = vectorMatrix(1, 16);
    m[3] = 1;
    const q = new Float32Array(16);
    q[3] = 0.5;
    expect(topK(q, m, 16, 5)).toEqual([{ index: 0, score: 0.5 }]);
    expect(simdScores(q, m, 16)).toEqual(new Float32Array([0.5]));
  });

  test('an ordinary array, a subarray, a view of other dims, or dims not a multiple of 16 take the JavaScript path', () => {
    const q = new Float32Array(16);
    expect(simdScores(q, new Float32Array(32), 16)).toBeNull();
    const m = vectorMatrix(4, 16);
    expect(simdScores(q, m.subarray(16), 16)).toBeNull();
    expect(simdScores(q, m.subarray(0, 32), 16)).toBeNull();
    expect(simdScores(new Float32Array(8), m, 8)).toBeNull();
    const odd = vectorMatrix(4, 12);
    expect(odd).toHaveLength(48);
    expect(simdScores(new Float32Array(12), odd, 12)).toBeNull();
    expect(vectorMatrix(0, 16)).toHaveLength(0);
    expect(simdScores(q, vectorMatrix(0, 16), 16)).toBeNull();
    // Same length, but not at the start of the memory.
    expect(simdScores(q, new Float32Array(m.buffer, 64, 64), 16)).toBeNull();
  });

  test('a matrix that fills its memory to the last byte still has room for its scores and the query', () => {
    // 12,528 rows of 16: (12,528 × 17 + 16) × 4 bytes is exactly 13 pages of 64 KiB.
    expect(simdBytes(12_528, 16)).toBe(13 * 65_536);
    const m = unitRows(12_528, 16, 4, vectorMatrix(12_528, 16));
    const q = m.slice(12_527 * 16);
    expect(topK(q, m, 16, 1)[0]!.index).toBe(12_527);
    expect(simdScores(q, m, 16)).toHaveLength(12_528);
  });

  test('a matrix too large for 32-bit wasm addresses is an ordinary array', () => {
    expect(simdBytes(1, 16)).toBe((17 + 16) * 4);
    expect(MAX_SIMD_BYTES).toBe(2 ** 31);
    expect(simdBytes(2 ** 20, 512)).toBeGreaterThan(MAX_SIMD_BYTES);
  });

  test('the module is valid WebAssembly with one export', () => {
    const bytes = scoresWasm();
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(WebAssembly.Module.exports(new WebAssembly.Module(bytes))).toEqual([{ name: 'scores', kind: 'function' }]);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([{ module: 'm', name: 'mem', kind: 'memory' }]);
  });
});
