// Reciprocal rank fusion: merges the keyword (BM25) and vector rankings of the documents worker
// into one, by rank alone, so scores on different scales never have to be calibrated against each
// other. score(id) = Σ over lists of 1 / (k + rank), rank counted from 1. Invariants: the result is
// sorted by score, best first; equal scores keep the order in which ids first appeared (lists in
// order, each from its top), so the same lists always give the same ranking.

/** The usual constant from Cormack et al.: large enough that one list's top spot cannot dominate. */
export const RRF_K = 60;

/** Scores closer than this, relative to their size, are equal (float rounding, not rank). */
const TIE_RELATIVE = 1e-12;

export function fuseRanks(lists: string[][], k = RRF_K): { id: string; score: number }[] {
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`fusion constant must be finite and ≥ 0, got ${k}`);
  // A Map iterates in insertion order: that order is the first appearance the ties fall back to.
  const scores = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.forEach((id, i) => {
      // An id listed twice in one ranking counts once, at its best rank.
      if (seen.has(id)) return;
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1));
    });
  }
  // Sums of the same terms added in another order can differ in the last bit; such scores are a tie.
  const order = (a: number, b: number) => (Math.abs(a - b) <= TIE_RELATIVE * (a + b) ? 0 : b - a);
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => order(a.score, b.score));
}
