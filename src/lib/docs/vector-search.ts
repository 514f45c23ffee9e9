// Brute-force nearest passages: dot product of the query with each row of a row-major matrix
// (vectors are normalised by the embedder, so this is cosine similarity). Pure.

export function topK(query: Float32Array, matrix: Float32Array, dims: number, k: number): { index: number; score: number }[] {
  const rows = Math.floor(matrix.length / dims);
  const best: { index: number; score: number }[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * dims;
    for (let d = 0; d < dims; d++) s += query[d]! * matrix[o + d]!;
    if (best.length < k || s > best[best.length - 1]!.score) {
      best.push({ index: r, score: s });
      best.sort((a, b) => b.score - a.score);
      if (best.length > k) best.pop();
    }
  }
  return best;
}
