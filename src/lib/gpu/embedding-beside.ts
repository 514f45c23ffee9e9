// Which stored embedding model to load beside a chat model, so documents get vectors: the smallest
// one (by WebLLM's own GPU figure) whose memory, added to the chat model's (and its draft's), stays
// within the budget. None when nothing is stored or nothing fits: documents are then searched by
// keywords only, and the chat model loads as it would have.

import type { CatalogEntry } from '../catalog';

export function embeddingBeside(
  catalog: readonly CatalogEntry[],
  stored: ReadonlySet<string>,
  /** GPU bytes the chat model (and its draft model) need at the context they load with. */
  chatBytes: number,
  budgetBytes: number,
): string | undefined {
  const candidates = catalog
    .filter((e) => e.kind === 'embedding' && stored.has(e.id) && e.vramBytes !== undefined)
    .sort((a, b) => a.vramBytes! - b.vramBytes!);
  const best = candidates[0];
  return best && chatBytes + best.vramBytes! <= budgetBytes ? best.id : undefined;
}
