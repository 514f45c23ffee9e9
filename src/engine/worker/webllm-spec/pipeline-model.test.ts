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
import { randomPrompt } from '../../../../test/fakes/reference-sessions';
import type { PipelineInternals } from './internals';
import { fakePipeline } from '../../../../test/fakes/fake-tvm';
import { preparedPipeline as ready } from '../../../../test/fakes/webllm-spec-harness';
import { prepareModel } from './setup';

const target = new ReferenceModel(REFERENCE_TINY);
const draft = new ReferenceModel(REFERENCE_DRAFT);
const greedy = { temperature: 0, topP: 1 };
const asPipe = (p: unknown) => p as PipelineInternals;

const roomy = { budgetBytes: 2 ** 30, bindingBytes: 2 ** 30 };

describe('PipelineModel on a contract-enforcing fake TVM', () => {
  for (const [label, exports, maxBatch] of [
    ['batch_prefill with all logit positions', ['batch_prefill', 'batch_verify'], 80],
    ['batch_prefill with K capped at max_batch_size − 1', ['batch_prefill', 'batch_verify'], 3],
    ['batch_verify when batch_prefill is missing and its workspace fits', ['batch_verify'], 80],
  ] as const) {
    it(`${label}: same tokens as plain decoding, KV and bookkeeping in step, no leaked scopes`, async () => {
      for (let i = 0; i < 12; i++) {
        const prompt = randomPrompt(300 + i);
        const plain = await decodePlain(new ReferenceSession(target), prompt, {
          sampling: greedy,
          rng: createRng(0),
          commit: stopPolicy({ stopTokenIds: [1], maxTokens: 30 }),
        });
        const t = ready(
          { model: target, exports: [...exports], maxBatchSize: maxBatch, vocabPadding: 3, memoryUsage: { batch_verify: 300 * 2 ** 20 } },
          { memory: roomy },
        );
        const d = ready({ model: draft }, { drafting: true });
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
        const want = exports.length === 1 ? 'batch_verify' : 'batch_prefill';
        expect(used.every((c) => c.startsWith(want))).toBe(true);
        // batch_prefill never gets more rows than max_batch_size: K was capped, not sent to batch_verify.
        expect(Math.max(...used.map((c) => Number(c.split(' ')[1])))).toBeLessThanOrEqual(Math.min(k + 1, maxBatch));
        // Only long-lived function handles stay detached; every tensor was disposed.
        for (const o of t.tvm.detached) expect(typeof o === 'function' || (o as { disposed: boolean }).disposed).toBe(true);
      }
    });
  }

  it('prompt lookup through the adapter matches plain decoding too', async () => {
    const prompt = randomPrompt(9);
    const plain = await decodePlain(new ReferenceSession(target), prompt, {
      sampling: greedy,
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [], maxTokens: 40 }),
    });
    const t = ready({ model: target });
    const r = await decodeSpeculative(t.model, prompt, {
      sampling: greedy,
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [], maxTokens: 40 }),
      drafter: new PromptLookupDrafter(),
      controller: new FixedDraftLength(6),
    });
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
    expect(() => popn(kv, tvm.scalar(0, 'int64'), tvm.scalar(1, 'int32'))).toThrow(/exceeds the last-block sequence length/);
    expect(() => popn(kv, tvm.scalar(0, 'int32'), tvm.scalar(0, 'int32'))).toThrow(/int64/);
    tvm.endScope();
    expect(() => tvm.makeShapeTuple([1])).toThrow(/beginScope/);
  });

  it("the fake KV cache behaves like TVM's paged KV cache", () => {
    for (const bound of ['last-block', 'whole'] as const) {
      const { tvm, kv, pipe } = fakePipeline({ model: target, popnBound: bound });
      tvm.beginScope();
      const g = (name: string) => tvm.getGlobalFunc(`vm.builtin.kv_state_${name}`);
      const i64 = (v: number) => tvm.scalar(v, 'int64');
      const i32 = (v: number) => tvm.scalar(v, 'int32');
      kv.tokens.push(5, 6, 7);
      // The sequence grows at begin_forward, and popn inside a forward is refused.
      g('begin_forward')(kv, tvm.makeShapeTuple([0]), tvm.makeShapeTuple([2]));
      expect(kv.tokens).toHaveLength(5);
      expect(() => g('popn')(kv, i64(0), i32(1))).toThrow(/inside a forward/);
      g('end_forward')(kv);
      expect(() => g('popn')(kv, i64(0), i32(-1))).toThrow(/cannot be negative/);
      expect(() => g('popn')(kv, i64(0), i32(6))).toThrow(/exceeds the/);
      // Older builds refuse to pop the whole sequence; newer ones allow it.
      if (bound === 'last-block') expect(() => g('popn')(kv, i64(0), i32(5))).toThrow(/exceeds the last-block sequence length/);
      else g('popn')(kv, i64(0), i32(5));
      // After kv_state_clear there is no sequence 0 until add_sequence.
      g('clear')(kv);
      expect(kv.tokens).toEqual([]);
      expect(() => g('begin_forward')(kv, tvm.makeShapeTuple([0]), tvm.makeShapeTuple([1]))).toThrow(/cannot be found/);
      expect(() => g('popn')(kv, i64(0), i32(0))).toThrow(/cannot be found/);
      g('add_sequence')(kv, i64(0));
      expect(() => g('add_sequence')(kv, i64(0))).toThrow(/already/);
      tvm.endScope();
      pipe.resetChat();
      expect(kv.hasSequence).toBe(true);
      expect(tvm.scopes).toHaveLength(0);
    }
  });

  it("rolls back a whole cache through WebLLM's reset, not popn (older TVM refuses n = length)", async () => {
    const t = ready({ model: target, popnBound: 'last-block' }, { memory: roomy });
    await t.model.prefill([0, 3, 10, 11]);
    t.tvm.calls.length = 0;
    t.model.rollback(4);
    expect(t.tvm.calls).toEqual(['clear']);
    expect(t.pipe.filledKVCacheLength).toBe(0);
    await t.model.prefill([0, 3]);
    expect(t.kv.tokens).toEqual([0, 3]);
  });

  it('falls back with the reason when batch_verify would not fit the GPU, and reads its workspace from the metadata', () => {
    const verifyOnly = (o: Partial<Parameters<typeof fakePipeline>[0]>) =>
      fakePipeline({ model: target, exports: ['batch_verify'], ...o }).pipe;
    const big = { batch_verify: 600 * 2 ** 20 };
    expect(
      prepareModel(asPipe(verifyOnly({ memoryUsage: big })), target.vocabSize, {
        memory: { budgetBytes: 500 * 2 ** 20, bindingBytes: 2 ** 30 },
      }).reason,
    ).toMatch(/batch_verify needs a 600 MiB workspace where the sizing leaves 500 MiB/);
    expect(
      prepareModel(asPipe(verifyOnly({ memoryUsage: big })), target.vocabSize, {
        memory: { budgetBytes: 700 * 2 ** 20, bindingBytes: 2 ** 30 },
      }).model,
    ).toBeDefined();
    expect(prepareModel(asPipe(verifyOnly({})), target.vocabSize, { memory: roomy }).reason).toMatch(
      /does not state batch_verify's workspace/,
    );
    expect(prepareModel(asPipe(verifyOnly({ memoryUsage: big })), target.vocabSize).reason).toMatch(/without a GPU memory budget/);
    // max_batch_size missing from the metadata: batch_prefill is not trusted with more than one row.
    const noMax = fakePipeline({ model: target, maxBatchSize: 0, memoryUsage: big }).pipe;
    expect(prepareModel(asPipe(noMax), target.vocabSize, { memory: { budgetBytes: 0, bindingBytes: 2 ** 30 } }).reason).toMatch(
      /unstated number of logit rows/,
    );
    // A draft model never verifies, so it needs no verify plan.
    expect(prepareModel(asPipe(verifyOnly({})), target.vocabSize, { drafting: true }).model).toBeDefined();
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
});
