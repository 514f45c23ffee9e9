// Retrieval over 100,000 passages with 768-dimension vectors (random unit vectors): milliseconds
// per query for each way of scoring, in the order they were tried, against the 50 ms budget.
// Brute force: every row is scored, the k best kept in a heap. Prints a table; asserts only that
// the fast paths find the same passages as plain JavaScript.
import { expect, test } from 'vitest';
import { createRng } from '../../src/lib/rng';
import { dotPlain, topK, topKWith, type Dot, type VectorHit } from '../../src/lib/docs/vector-search';
import { vectorMatrix } from '../../src/lib/docs/vector-simd';

/** Four independent accumulators, so one step's additions need not wait on the previous one's (tried second). */
const dotUnrolled: Dot = (q, m, offset, dims) => {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (const end = dims - 3; i < end; i += 4) {
    const o = offset + i;
    s0 += q[i]! * m[o]!;
    s1 += q[i + 1]! * m[o + 1]!;
    s2 += q[i + 2]! * m[o + 2]!;
    s3 += q[i + 3]! * m[o + 3]!;
  }
  for (; i < dims; i++) s0 += q[i]! * m[offset + i]!;
  return s0 + s1 + (s2 + s3);
};

const ROWS = 100_000;
const DIMS = 768;
const K = 10;
const BUDGET_MS = 50;

function fillUnit(into: Float32Array, rows: number, seed: number): Float32Array {
  const rng = createRng(seed);
  for (let r = 0, o = 0; r < rows; r++, o += DIMS) {
    let sum = 0;
    for (let i = 0; i < DIMS; i++) sum += (into[o + i] = rng() - 0.5) ** 2;
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < DIMS; i++) into[o + i]! *= inv;
  }
  return into;
}

function measure(queries: Float32Array[], search: (q: Float32Array) => VectorHit[]) {
  const times: number[] = [];
  const results = queries.map((q) => {
    const t = performance.now();
    const hits = search(q);
    times.push(performance.now() - t);
    return hits.map((h) => h.index);
  });
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1]!, min: times[0]!, results };
}

test('retrieval over 100,000 × 768 vectors', () => {
  const matrix = fillUnit(vectorMatrix(ROWS, DIMS), ROWS, 1);
  const queries = Array.from({ length: 12 }, (_, i) => fillUnit(new Float32Array(DIMS), 1, 100 + i));
  const few = queries.slice(0, 4);
  const rows = [
    ['JavaScript, one accumulator', measure(few, (q) => topKWith(dotPlain, q, matrix, DIMS, K))],
    ['JavaScript, four accumulators', measure(few, (q) => topKWith(dotUnrolled, q, matrix, DIMS, K))],
    ['WebAssembly SIMD (f32x4 × 4)', measure(queries, (q) => topK(q, matrix, DIMS, K))],
  ] as const;
  console.log(
    `\n| ${ROWS.toLocaleString('en')} × ${DIMS}, k = ${K} | queries | median ms | best ms | budget ms |\n|---|---:|---:|---:|---:|`,
  );
  for (const [what, r] of rows) {
    console.log(`| ${what} | ${r.results.length} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${BUDGET_MS} |`);
  }
  const reference = rows[0][1].results;
  for (const [, r] of rows) expect(r.results.slice(0, reference.length)).toEqual(reference);
});
