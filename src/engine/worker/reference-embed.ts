// The reference engine's `embed`: the reference embedder (src/lib/reference/embedder.ts) driven
// through the same batching as a WebLLM embedding model. Part of the reference engine's chunk
// (test infrastructure, ?engine=reference); it needs no weights, so it answers with or without a
// chat model loaded.

import { ReferenceEmbedder } from '../../lib/reference/embedder';
import type { EmbedResult } from '../protocol';
import { embedBatches } from './embed-batches';

const embedder = new ReferenceEmbedder();

export function referenceEmbed(texts: readonly string[]): Promise<EmbedResult> {
  return embedBatches(embedder.embeddings, embedder.model, texts, embedder.maxBatch);
}
