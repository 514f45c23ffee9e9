// The WebLLM adapter against a fake TVM layer that enforces the call contract.
import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy } from '../../../lib/decoding';
import { createRng } from '../../../lib/rng';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from '../../../lib/reference/model';
import { ReferenceSession } from '../../../lib/reference/session';
import { FixedDraftLength } from '../../../lib/speculative/controller';
import { DraftModelDrafter } from '../../../lib/speculative/draft-model';
import { decodeSpeculative } from '../../../lib/speculative/loop';
import { PromptLookupDrafter } from '../../../lib/speculative/prompt-lookup';
import { randomPrompt } from '../../../lib/speculative/fixtures.test-helpers';
import type { PipelineInternals } from './internals';
import { fakePipeline } from './fake-tvm.test-helpers';
import { prepareModel, selfCheck } from './setup';
import { sameTokenizer } from './traits';

const target = new ReferenceModel(REFERENCE_TINY);
const draft = new ReferenceModel(REFERENCE_DRAFT);
const greedy = { temperature: 0, topP: 1 };
const asPipe = (p: unknown) => p as PipelineInternals;

function ready(o: Parameters<typeof fakePipeline>[0]) {
  const f = fakePipeline(o);
  const r = prepareModel(asPipe(f.pipe), o.model.vocabSize);
  if (!r.model) throw new Error(r.reason);
  return { ...f, model: r.model };
}

describe('PipelineModel on a contract-enforcing fake TVM', () => {
  for (const [label, exports, maxBatch] of [
    ['batch_prefill with all logit positions', ['batch_prefill', 'batch_verify'], 80],
    ['batch_verify when K+1 exceeds max_batch_size', ['batch_prefill', 'batch_verify'], 3],
    ['batch_verify when batch_prefill is missing', ['batch_verify'], 80],
  ] as const) {
    it(`${label}: same tokens as plain decoding, KV and bookkeeping in step, no leaked scopes`, async () => {
      for (let i = 0; i < 12; i++) {
        const prompt = randomPrompt(300 + i);
        const plain = await decodePlain(new ReferenceSession(target), prompt, { sampling: greedy, rng: createRng(0), commit: stopPolicy({ stopTokenIds: [1], maxTokens: 30 }) });
        const t = ready({ model: target, exports: [...exports], maxBatchSize: maxBatch, vocabPadding: 3 });
        const d = ready({ model: draft });
        const k = 1 + (i % 8);
        const r = await decodeSpeculative(t.model, prompt, {
          sampling: greedy,
          rng: createRng(0),
          commit: stopPolicy({ stopTokenIds: [1], maxTokens: 30 }),
          drafter: new DraftModelDrafter(d.model, greedy, createRng(0)),
          controller: new FixedDraftLength(k),
          onStep: () => {
            expect(t.pipe.filledKVCacheLength).toBe(t.kv.tokens.length);
            expect(d.pipe.filledKVCacheLength).toBe(d.kv.tokens.length);
            expect(t.tvm.scopes).toHaveLength(0);
            expect(d.tvm.scopes).toHaveLength(0);
          },
        });
        expect(r.tokens).toEqual(plain.tokens);
        expect(t.kv.tokens).toEqual(r.kvTokens);
        const used = t.tvm.calls.filter((c) => c.startsWith('batch_'));
        expect(used.length).toBeGreaterThan(0);
        const want = exports.length === 1 || maxBatch < k + 1 ? 'batch_verify' : 'batch_prefill';
        expect(used.some((c) => c.startsWith(want))).toBe(true);
        // Only long-lived function handles stay detached; every tensor was disposed.
        for (const o of t.tvm.detached) expect(typeof o === 'function' || (o as { disposed: boolean }).disposed).toBe(true);
      }
    });
  }

  it('prompt lookup through the adapter matches plain decoding too', async () => {
    const prompt = randomPrompt(9);
    const plain = await decodePlain(new ReferenceSession(target), prompt, { sampling: greedy, rng: createRng(0), commit: stopPolicy({ stopTokenIds: [], maxTokens: 40 }) });
    const t = ready({ model: target });
    const r = await decodeSpeculative(t.model, prompt, { sampling: greedy, rng: createRng(0), commit: stopPolicy({ stopTokenIds: [], maxTokens: 40 }), drafter: new PromptLookupDrafter(), controller: new FixedDraftLength(6) });
    expect(r.tokens).toEqual(plain.tokens);
    expect(t.tvm.calls.some((c) => c.startsWith('popn'))).toBe(true);
  });

  it('refuses bad rollbacks and oversized verifies before reaching TVM', async () => {
    const t = ready({ model: target, prefillChunkSize: 8 });
    await t.model.prefill([0, 3, 10, 11]);
    expect(() => t.model.rollback(5)).toThrow(RangeError);
    expect(() => t.model.rollback(-1)).toThrow(RangeError);
    await expect(t.model.verify(Array.from({ length: 9 }, () => 10))).rejects.toThrow(/prefill chunk/);
    t.model.rollback(0);
    t.model.rollback(2);
    expect(t.kv.tokens).toEqual([0, 3]);
    expect(t.pipe.filledKVCacheLength).toBe(2);
  });

  it('the fake really enforces the contract (plain numbers, popn bounds, no scope)', () => {
    const { tvm, kv } = fakePipeline({ model: target });
    tvm.beginScope();
    const popn = tvm.getGlobalFunc('vm.builtin.kv_state_popn');
    expect(() => popn(kv, tvm.scalar(0, 'int64'), 1)).toThrow(/plain JS number/);
    expect(() => popn(kv, tvm.scalar(0, 'int64'), tvm.scalar(1, 'int32'))).toThrow(/cannot exceed/);
    expect(() => popn(kv, tvm.scalar(0, 'int32'), tvm.scalar(0, 'int32'))).toThrow(/int64/);
    tvm.endScope();
    expect(() => tvm.makeShapeTuple([1])).toThrow(/beginScope/);
  });

  it('names what is missing when the library cannot verify or roll back', () => {
    const none = fakePipeline({ model: target, exports: [] });
    expect(prepareModel(asPipe(none.pipe), target.vocabSize).reason).toMatch(/batch_verify/);
    const hybrid = fakePipeline({ model: target });
    (hybrid.pipe as { kvStateKind: string }).kvStateKind = 'hybrid';
    expect(prepareModel(asPipe(hybrid.pipe), target.vocabSize).reason).toMatch(/hybrid/);
    const sliding = fakePipeline({ model: target });
    sliding.pipe.slidingWindowSize = 4096;
    expect(prepareModel(asPipe(sliding.pipe), target.vocabSize).reason).toMatch(/sliding/);
    const noPopn = fakePipeline({ model: target });
    delete noPopn.tvm.globals['vm.builtin.kv_state_popn'];
    expect(prepareModel(asPipe(noPopn.pipe), target.vocabSize).reason).toMatch(/kv_state_popn/);
    const broken = fakePipeline({ model: target }) as unknown as Record<string, unknown>;
    delete broken.pipe;
    expect(prepareModel(undefined, 1).reason).toMatch(/not loaded/);
  });

  it('self-check passes on agreeing kernels and leaves the cache empty', async () => {
    const t = ready({ model: target });
    const r = await selfCheck(t.model, 4);
    expect(r.ok).toBe(true);
    expect(r.plain.length).toBeGreaterThan(0);
    expect(t.pipe.filledKVCacheLength).toBe(0);
    expect(t.kv.tokens).toEqual([]);
  });

  it('tokenizer check compares vocabulary size and token strings', () => {
    const tok = (n: number, f = (id: number) => `t${id}`) => ({ getVocabSize: () => n, idToToken: f, encode: () => new Int32Array() });
    expect(sameTokenizer(tok(1000), tok(1000))).toBeUndefined();
    expect(sameTokenizer(tok(1000), tok(999))).toMatch(/999 tokens/);
    expect(sameTokenizer(tok(1000), tok(1000, (id) => (id === 500 ? 'x' : `t${id}`)))).toMatch(/token 500/);
  });
});
