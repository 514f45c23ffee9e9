// An embedding model loaded beside the chat model, and `embed` through it. MLCEngine is replaced by
// a stand-in that records what WebLLM 0.2.86 is asked (reload(ids, chatOpts), embeddings.create)
// and answers as it does: one vector per input with its index, not normalised, batched by the caller.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const calls: { reload: [unknown, unknown][]; create: { input: string[]; model: string }[] } = { reload: [], create: [] };
/** Which reloads fail (a non-GPU error), by the number of models asked for. */
let failWhen: (ids: string[]) => boolean = () => false;

vi.mock('@mlc-ai/web-llm', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@mlc-ai/web-llm')>()),
  MLCEngine: class {
    async reload(ids: string[], opts: unknown): Promise<void> {
      calls.reload.push([ids, opts]);
      if (failWhen(ids)) throw new Error('out of memory');
    }
    async unload(): Promise<void> {}
    embeddings = {
      create: async (request: { input: string[]; model: string }) => {
        calls.create.push(request);
        // WebLLM's order is the input's; the index is what the engine must go by.
        const data = request.input.map((t, index) => ({ embedding: [t.length, 2, 0], index, object: 'embedding' }));
        return { data: data.reverse(), model: request.model, object: 'list' };
      },
    };
  },
}));

const { WebLLMBackend } = await import('./webllm-backend');
const { loadAttempts } = await import('./webllm-model-set');
const { prebuiltAppConfig, ModelType } = await import('@mlc-ai/web-llm');
const llms = prebuiltAppConfig.model_list.filter((r) => r.model_type !== ModelType.embedding).map((r) => r.model_id);
const [target, draft] = llms as [string, string];
const EMBED = 'snowflake-arctic-embed-m-q0f32-MLC-b4';

describe('WebLLMBackend with an embedding model beside the chat model', () => {
  beforeEach(() => {
    calls.reload.length = 0;
    calls.create.length = 0;
    failWhen = () => false;
    vi.stubGlobal('navigator', { gpu: {} });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('loads both in one reload (the embedding model without chat options) and embeds in batches of its max batch', async () => {
    const b = new WebLLMBackend();
    const r = await b.load(target, { contextWindow: 2048, embeddingModelId: EMBED }, () => {});
    expect(r).toMatchObject({ modelId: target, embeddingModelId: EMBED });
    expect(r.embeddingNote).toBeUndefined();
    expect(calls.reload).toEqual([
      [
        [target, EMBED],
        [expect.objectContaining({ context_window_size: 2048 }), {}],
      ],
    ]);
    const texts = Array.from({ length: 9 }, (_, i) => 'x'.repeat(i + 1));
    const e = (await b.embed(texts))!;
    expect(calls.create.map((c) => [c.model, c.input.length])).toEqual([
      [EMBED, 4],
      [EMBED, 4],
      [EMBED, 1],
    ]);
    // arctic-embed reads its first position: each text carries [CLS] (WebLLM's tokenizer adds none).
    expect(calls.create[0]!.input[0]).toBe('[CLS] x [SEP]');
    expect(e).toMatchObject({ model: EMBED, dims: 3 });
    // In input order (by index), unit length.
    e.vectors.forEach((v, i) => {
      const len = '[CLS]  [SEP]'.length + i + 1;
      const n = Math.hypot(len, 2);
      expect(Array.from(v)).toEqual([Math.fround(len / n), Math.fround(2 / n), 0]);
    });
    await b.embed(['what is due?'], true);
    expect(calls.create.at(-1)!.input).toEqual(['[CLS] Represent this sentence for searching relevant passages: what is due? [SEP]']);
  });

  it('loads target, draft and embedding model together; without the option embed answers null', async () => {
    const b = new WebLLMBackend();
    await b.load(target, { draftModelId: draft, embeddingModelId: EMBED }, () => {});
    expect(calls.reload.map(([ids]) => ids)).toEqual([[target, draft, EMBED]]);
    expect((calls.reload[0]![1] as unknown[]).at(-1)).toEqual({});
    await b.load(target, {}, () => {});
    expect(calls.reload.at(-1)![0]).toEqual([target]);
    expect(await b.embed(['a'])).toBeNull();
    expect(calls.create).toEqual([]);
  });

  it('when the set does not fit, drops the embedding model first, says why, and embed answers null', async () => {
    failWhen = (ids) => ids.includes(EMBED);
    const b = new WebLLMBackend();
    const r = await b.load(target, { draftModelId: draft, embeddingModelId: EMBED }, () => {});
    expect(calls.reload.map(([ids]) => ids)).toEqual([
      [target, draft, EMBED],
      [target, draft],
    ]);
    expect(r.embeddingModelId).toBeUndefined();
    expect(r.embeddingNote).toMatch(/did not load beside the chat model \(out of memory\)/);
    expect(r.draftNote).toBeUndefined();
    expect(await b.embed(['a'])).toBeNull();
  });

  it('refuses a chat model or an unknown id as the embedding model, loading the chat model alone', async () => {
    const b = new WebLLMBackend();
    expect((await b.load(target, { embeddingModelId: draft }, () => {})).embeddingNote).toMatch(/is not an embedding model/);
    expect((await b.load(target, { embeddingModelId: 'nope' }, () => {})).embeddingNote).toMatch(/not in the catalog/);
    expect(calls.reload.map(([ids]) => ids)).toEqual([[target], [target]]);
  });

  it('unloading forgets the embedding model', async () => {
    const b = new WebLLMBackend();
    await b.load(target, { embeddingModelId: EMBED }, () => {});
    await b.unload();
    expect(await b.embed(['a'])).toBeNull();
  });
});

describe('loadAttempts', () => {
  it('tries everything, then without the embedding model, then the chat model alone', () => {
    expect(loadAttempts('t', 'd', 'e')).toEqual([{ chat: ['t', 'd'], embed: 'e' }, { chat: ['t', 'd'] }, { chat: ['t'] }]);
    expect(loadAttempts('t', undefined, 'e')).toEqual([{ chat: ['t'], embed: 'e' }, { chat: ['t'] }]);
    expect(loadAttempts('t')).toEqual([{ chat: ['t'] }]);
  });
});
