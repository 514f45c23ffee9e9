// The adapter's load-time checks against the contract-enforcing fake TVM: the self-check that
// speculation decodes exactly as plain decoding (both drafters, caches left empty), and the
// tokenizer comparison that pairs a draft model with its target.
import { describe, expect, it, vi } from 'vitest';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from '../../../lib/reference/model';
import { PromptLookupDrafter } from '../../../lib/speculative/prompt-lookup';
import { preparedPipeline as ready } from '../../../../test/fakes/webllm-spec-harness';
import { selfCheck } from './setup';
import { sameTokenizer } from './traits';

const target = new ReferenceModel(REFERENCE_TINY);
const draft = new ReferenceModel(REFERENCE_DRAFT);

describe('self-check and tokenizer check', () => {
  it('self-check passes on agreeing kernels with both drafters, on a TVM that refuses to pop a whole sequence, and leaves both caches empty', async () => {
    const t = ready({ model: target, popnBound: 'last-block' });
    const d = ready({ model: draft, popnBound: 'last-block' }, { drafting: true });
    const draftKv = [1, 2, 3];
    const r = await selfCheck(t.model, 4, { model: d.model, kv: draftKv });
    expect(r.reason).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.plain.length).toBeGreaterThan(0);
    // Both drafters ran: the target verified, the draft model prefilled and decoded.
    expect(t.tvm.calls.some((c) => c.startsWith('batch_prefill'))).toBe(true);
    expect(d.tvm.calls.filter((c) => c === 'clear').length).toBeGreaterThanOrEqual(2);
    expect(d.kv.tokens).toEqual([]);
    expect(draftKv).toEqual([]);
    expect(t.pipe.filledKVCacheLength).toBe(0);
    expect(t.kv.tokens).toEqual([]);
    expect(t.kv.hasSequence && d.kv.hasSequence).toBe(true);
  });

  it('self-check catches verify kernels that disagree with decode', async () => {
    const t = ready({ model: target, verifyDrift: 20 });
    const r = await selfCheck(t.model, 4);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/prompt lookup/);
    expect(r.divergedAt).toBeGreaterThanOrEqual(0);
    expect(t.kv.tokens).toEqual([]);
  });

  it('self-check catches the disagreement through the draft model too', async () => {
    const t = ready({ model: target, verifyDrift: 20 });
    const d = ready({ model: draft }, { drafting: true });
    // Prompt lookup proposes nothing here, so its run equals plain decoding: only the draft model's run can differ.
    const lookup = vi.spyOn(PromptLookupDrafter.prototype, 'propose').mockImplementation(() => ({ tokens: [] }));
    try {
      const r = await selfCheck(t.model, 4, { model: d.model, kv: [] });
      expect(lookup).toHaveBeenCalled();
      expect(r.ok).toBe(false);
      expect(r.reason).toMatch(/draft model/);
    } finally {
      lookup.mockRestore();
    }
  });

  it('tokenizer check compares vocabulary size and token strings', () => {
    const tok = (n: number, f = (id: number) => `t${id}`) => ({ getVocabSize: () => n, idToToken: f, encode: () => new Int32Array() });
    expect(sameTokenizer(tok(1000), tok(1000))).toBeUndefined();
    expect(sameTokenizer(tok(1000), tok(999))).toMatch(/999 tokens/);
    expect(
      sameTokenizer(
        tok(1000),
        tok(1000, (id) => (id === 500 ? 'x' : `t${id}`)),
      ),
    ).toMatch(/token 500/);
  });
});
