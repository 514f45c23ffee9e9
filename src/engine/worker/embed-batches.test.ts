import { describe, expect, it } from 'vitest';
import { ReferenceEmbedder, referenceEmbedding } from '../../lib/reference/embedder';
import { MAX_EMBED_CHARS, embedBatches, maxBatchOf, webllmEmbedInput, type EmbeddingsApi } from './embed-batches';

/** The reference embedder refusing inputs over `limit` characters as WebLLM refuses inputs over 512 tokens. */
function limited(limit: number) {
  const inner = new ReferenceEmbedder().embeddings;
  const asked: number[][] = [];
  const api: EmbeddingsApi = {
    async create(request) {
      asked.push(request.input.map((t) => t.length));
      if (request.input.some((t) => t.length > limit)) {
        const err = new Error('The embedding model you are using only supports up to 512 context size.');
        err.name = 'EmbeddingExceedContextWindowSizeError';
        throw err;
      }
      return inner.create(request);
    },
  };
  return { api, asked };
}

describe('embedBatches', () => {
  it("reads a WebLLM embedding model's max batch from its id", () => {
    expect(maxBatchOf('snowflake-arctic-embed-m-q0f32-MLC-b4')).toBe(4);
    expect(maxBatchOf('snowflake-arctic-embed-s-q0f32-MLC-b32')).toBe(32);
    expect(maxBatchOf('my-embedder')).toBe(1);
  });

  it('clips each text to MAX_EMBED_CHARS, and halves one that is still too long in tokens, alone', async () => {
    const { api, asked } = limited(400);
    const long = 'contract payment terms '.repeat(200);
    const r = await embedBatches(api, 'm', ['short one', long, 'short two'], 4);
    expect(asked).toEqual([[9, MAX_EMBED_CHARS, 9], [9], [MAX_EMBED_CHARS], [750], [375], [9]]);
    expect(Array.from(r.vectors[1]!)).toEqual(Array.from(referenceEmbedding(long.slice(0, 375))));
    expect(Array.from(r.vectors[2]!)).toEqual(Array.from(referenceEmbedding('short two')));
  });

  it('sends an empty text as a space (WebLLM refuses empty inputs) and answers nothing for no texts', async () => {
    const { api, asked } = limited(1e9);
    expect((await embedBatches(api, 'm', ['', 'a'], 4)).vectors).toHaveLength(2);
    expect(asked).toEqual([[1, 1]]);
    expect(await embedBatches(api, 'm', [], 4)).toEqual({ model: 'm', dims: 0, vectors: [] });
  });

  it('fails rather than answer a partial or mixed set of vectors', async () => {
    const short: EmbeddingsApi = { create: async () => ({ data: [{ embedding: [1, 0], index: 0 }] }) };
    await expect(embedBatches(short, 'm', ['a', 'b'], 4)).rejects.toThrow(/1 vectors for 2 texts/);
    const zero: EmbeddingsApi = { create: async (r) => ({ data: r.input.map((_, index) => ({ embedding: [0, 0], index })) }) };
    await expect(embedBatches(zero, 'm', ['a'], 4)).rejects.toThrow(/zero/);
    let n = 0;
    const mixed: EmbeddingsApi = { create: async () => ({ data: [{ embedding: n++ ? [1, 0, 0] : [1, 0], index: 0 }] }) };
    await expect(embedBatches(mixed, 'm', ['a', 'b'], 1)).rejects.toThrow(/different lengths/);
  });

  it('puts arctic-embed inputs between [CLS] and [SEP], queries after the retrieval instruction; other models get the text', () => {
    const arctic = 'snowflake-arctic-embed-s-q0f32-MLC-b4';
    expect(webllmEmbedInput(arctic, false)('a passage')).toBe('[CLS] a passage [SEP]');
    expect(webllmEmbedInput(arctic, true)('a question')).toBe(
      '[CLS] Represent this sentence for searching relevant passages: a question [SEP]',
    );
    expect(webllmEmbedInput('my-embedder-b4', true)('a question')).toBe('a question');
  });

  it('clips and halves the text inside the format, never the format itself', async () => {
    const { api, asked } = limited(420);
    await embedBatches(api, 'm', ['y'.repeat(5000)], 4, (t) => `<${t}>`);
    expect(asked).toEqual([[MAX_EMBED_CHARS + 2], [MAX_EMBED_CHARS + 2], [752], [377]]);
  });
});
