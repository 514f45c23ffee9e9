// Reciprocal rank fusion: merges ranked id lists (keyword and vector search) into one ranking,
// each list adding 1 / (k + rank) per id, so no list's raw scores need to be comparable. Pure.

export function fuseRanks(lists: string[][], k = 60): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const list of lists) list.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1)));
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
