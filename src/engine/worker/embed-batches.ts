// Drives an `embeddings.create` API (WebLLM's, or the reference embedder's of the same shape) for the
// engine's `embed` call: texts go in batches of the model's max batch, each clipped to what its
// context can hold and put in the model's input format, and every vector leaves L2-normalised in
// input order. Runs in the engine worker.
// Invariant: one vector per text, all of one length, or an error (never a partial answer).

import type { EmbedResult } from '../protocol';

/** The part of WebLLM's `engine.embeddings` the engine uses (the reference embedder has the same). */
export interface EmbeddingsApi {
  create(request: { input: string[]; model: string }): Promise<{ data: readonly { embedding: readonly number[]; index: number }[] }>;
}

/** Characters of a text that are embedded: arctic-embed reads 512 tokens and refuses longer inputs
 *  (EmbeddingExceedContextWindowSizeError); retrieval passages are shorter than this anyway. */
export const MAX_EMBED_CHARS = 1500;
/** When a clipped text is still too long in tokens (dense code, other scripts), it is halved down to this. */
const MIN_EMBED_CHARS = 100;
const TOO_LONG = 'EmbeddingExceedContextWindowSizeError';

/** What arctic-embed puts before a search query (not before passages): its model card's retrieval instruction. */
export const ARCTIC_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

/**
 * A text as a WebLLM embedding model must receive it. WebLLM's tokenizer adds no special tokens
 * (tokenizers-cpp encodes with add_special_tokens = false) and its EmbeddingPipeline keeps the first
 * position's output: for arctic-embed (BERT) that must be [CLS], so the text carries it, as WebLLM's
 * own embeddings example does. Other models get the text as it is.
 */
export function webllmEmbedInput(modelId: string, query: boolean): (text: string) => string {
  if (!modelId.startsWith('snowflake-arctic-embed')) return (text) => text;
  return (text) => `[CLS] ${query ? ARCTIC_QUERY_PREFIX : ''}${text} [SEP]`;
}

/** A WebLLM embedding model's max batch, from its id ("…-MLC-b4" → 4); 1 when the id does not say. */
export function maxBatchOf(modelId: string): number {
  const m = /-b(\d+)$/.exec(modelId);
  return m ? Math.max(1, Number(m[1])) : 1;
}

function unit(values: readonly number[]): Float32Array {
  const v = Float32Array.from(values);
  let norm = 0;
  for (const x of v) norm += x * x;
  if (!(norm > 0) || !Number.isFinite(norm)) throw new Error('the embedding model returned a zero or non-finite vector');
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! *= scale;
  return v;
}

type Format = (text: string) => string;

async function createOne(api: EmbeddingsApi, model: string, text: string, format: Format): Promise<readonly number[]> {
  for (let clip = text.length; ; clip = Math.floor(clip / 2)) {
    try {
      const r = await api.create({ input: [format(text.slice(0, clip))], model });
      return r.data[0]!.embedding;
    } catch (err) {
      if ((err as Error | undefined)?.name !== TOO_LONG || clip <= MIN_EMBED_CHARS) throw err;
    }
  }
}

export async function embedBatches(
  api: EmbeddingsApi,
  model: string,
  texts: readonly string[],
  maxBatch: number,
  format: Format = (text) => text,
): Promise<EmbedResult> {
  const vectors: Float32Array[] = [];
  for (let begin = 0; begin < texts.length; begin += maxBatch) {
    // WebLLM refuses an empty string in a batch as it does an empty batch: a lone space embeds as "nothing".
    const batch = texts.slice(begin, begin + maxBatch).map((t) => t.slice(0, MAX_EMBED_CHARS) || ' ');
    let rows: (readonly number[])[];
    try {
      const r = await api.create({ input: batch.map(format), model });
      rows = [...r.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    } catch (err) {
      if ((err as Error | undefined)?.name !== TOO_LONG) throw err;
      // One text of the batch is too long in tokens: find which, one at a time.
      rows = [];
      for (const t of batch) rows.push(await createOne(api, model, t, format));
    }
    if (rows.length !== batch.length) throw new Error(`the embedding model returned ${rows.length} vectors for ${batch.length} texts`);
    vectors.push(...rows.map(unit));
  }
  const dims = vectors[0]?.length ?? 0;
  if (vectors.some((v) => v.length !== dims)) throw new Error('the embedding model returned vectors of different lengths');
  return { model, dims, vectors };
}

/** `embed` with a WebLLM embedding model: its max batch and its input format. */
export function embedWithModel(api: EmbeddingsApi, modelId: string, texts: readonly string[], query: boolean): Promise<EmbedResult> {
  return embedBatches(api, modelId, texts, maxBatchOf(modelId), webllmEmbedInput(modelId, query));
}
