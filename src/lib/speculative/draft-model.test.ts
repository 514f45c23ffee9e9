// The draft-model drafter on a tiny model: greedy chains at temperature 0, draws from (and reports)
// the sampling distribution otherwise, keeps its KV mirror equal to the model's state, feeds only
// the part of the conversation the draft model has not seen, and stays inside its context window.
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { argmax, distributionInto, type SamplingParams } from '../sampling';
import { chiSquareP, naiveDistribution } from '../../../test/stats/exact-sampling';
import { scaled } from '../../../test/fakes/test-scale';
import { DraftModelDrafter } from './draft-model';
import { prefixLogits, TinyModel } from '../../../test/fakes/reference-sessions';

const VOCAB = 5;
const logits = prefixLogits(VOCAB, 7, 2);
const greedy: SamplingParams = { temperature: 0, topP: 1 };
const warm: SamplingParams = { temperature: 0.9, topP: 0.85 };
const CONTEXT = [0, 1, 2, 3, 4, 0];

/** Model calls that change something (popping 0 positions does not). */
const effective = (calls: string[]) => calls.filter((c) => c !== 'pop 0');

/** The greedy continuation of `context` by the tiny model. */
function greedyChain(context: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(argmax(logits([...context, ...out])));
  return out;
}

describe('DraftModelDrafter', () => {
  it('at temperature 0 proposes the greedy chain, without distributions, and mirrors the model', async () => {
    const model = new TinyModel(VOCAB, logits);
    const drafter = new DraftModelDrafter(model, greedy, createRng(0));
    const p = await drafter.propose(CONTEXT, 4);
    expect(p.tokens).toEqual(greedyChain(CONTEXT, 4));
    expect(p.q).toBeUndefined();
    // The last draft is never fed: its logits are not needed.
    expect(model.tokens).toEqual([...CONTEXT, ...p.tokens.slice(0, 3)]);
    expect(drafter.kv).toEqual(model.tokens);
    expect(effective(model.calls)).toEqual([`feed ${CONTEXT.join(' ')}`, ...p.tokens.slice(0, 3).map((t) => `feed ${t}`)]);
  });

  it('next time, pops what diverged and feeds only what is new', async () => {
    const model = new TinyModel(VOCAB, logits);
    const drafter = new DraftModelDrafter(model, greedy, createRng(0));
    const first = await drafter.propose(CONTEXT, 4);
    // Two drafts accepted, then a correction that differs from the third draft.
    const correction = (first.tokens[2]! + 1) % VOCAB;
    const next = [...CONTEXT, first.tokens[0]!, first.tokens[1]!, correction];
    model.calls.length = 0;
    const second = await drafter.propose(next, 2);
    expect(effective(model.calls).slice(0, 2)).toEqual(['pop 1', `feed ${correction}`]);
    expect(second.tokens).toEqual(greedyChain(next, 2));
    expect(drafter.kv).toEqual(model.tokens);
    expect(model.tokens).toEqual([...next, second.tokens[0]!]);
  });

  it('pops everything after the first divergence, however far back it is', async () => {
    const model = new TinyModel(VOCAB, logits);
    const drafter = new DraftModelDrafter(model, greedy, createRng(0));
    const first = await drafter.propose(CONTEXT, 4);
    // One draft accepted, then a correction and one more token: the draft KV diverges two back.
    const correction = (first.tokens[1]! + 1) % VOCAB;
    const next = [...CONTEXT, first.tokens[0]!, correction, 2];
    model.calls.length = 0;
    const second = await drafter.propose(next, 2);
    expect(effective(model.calls).slice(0, 2)).toEqual(['pop 2', `feed ${correction} 2`]);
    expect(second.tokens).toEqual(greedyChain(next, 2));
    expect(drafter.kv).toEqual(model.tokens);
  });

  it('re-feeds the last token when the model has already seen the whole context', async () => {
    const model = new TinyModel(VOCAB, logits);
    const drafter = new DraftModelDrafter(model, greedy, createRng(0));
    await drafter.propose(CONTEXT.slice(0, 3), 4);
    // The drafter's KV now holds CONTEXT[0..2] and three drafts; a context equal to that KV prefix:
    const seen = [...drafter.kv];
    model.calls.length = 0;
    const p = await drafter.propose(seen, 1);
    expect(effective(model.calls)).toEqual(['pop 1', `feed ${seen.at(-1)}`]);
    expect(p.tokens).toEqual(greedyChain(seen, 1));
    expect(drafter.kv).toEqual(seen);
  });

  it('at temperature > 0 reports each token’s draft distribution and draws from it', async () => {
    const model = new TinyModel(VOCAB, logits);
    const rng = createRng(3);
    const counts = new Map<string, number>();
    const samples = scaled(5000);
    for (let s = 0; s < samples; s++) {
      const drafter = new DraftModelDrafter(new TinyModel(VOCAB, logits), warm, rng);
      const p = await drafter.propose(CONTEXT, 2);
      expect(p.q).toHaveLength(2);
      for (let i = 0; i < 2; i++) {
        const expected = naiveDistribution(logits([...CONTEXT, ...p.tokens.slice(0, i)]), warm.temperature, warm.topP);
        for (let j = 0; j < VOCAB; j++) expect(Math.abs(p.q![i]![j]! - expected[j]!)).toBeLessThan(1e-6);
        expect(p.q![i]![p.tokens[i]!]!).toBeGreaterThan(0);
      }
      const key = p.tokens.join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const exact = new Map<string, number>();
    const p1 = naiveDistribution(logits(CONTEXT), warm.temperature, warm.topP);
    for (let a = 0; a < VOCAB; a++) {
      if (p1[a] === 0) continue;
      const p2 = naiveDistribution(logits([...CONTEXT, a]), warm.temperature, warm.topP);
      for (let b = 0; b < VOCAB; b++) if (p2[b]! > 0) exact.set(`${a},${b}`, p1[a]! * p2[b]!);
    }
    expect(chiSquareP(counts, exact, samples)).toBeGreaterThan(0.001);
    expect(model.length).toBe(0);
  });

  it('the reported q is the sampler’s own distribution', async () => {
    const drafter = new DraftModelDrafter(new TinyModel(VOCAB, logits), warm, createRng(1));
    const p = await drafter.propose(CONTEXT, 1);
    expect(Array.from(p.q![0]!)).toEqual(Array.from(distributionInto(logits(CONTEXT), warm, new Float32Array(VOCAB))));
  });

  it('stays inside the draft model’s context window', async () => {
    // Room for the context and two more positions: the feed plus k − 1 fed drafts must fit.
    const model = new TinyModel(VOCAB, logits, CONTEXT.length + 2);
    const drafter = new DraftModelDrafter(model, greedy, createRng(0));
    const p = await drafter.propose(CONTEXT, 8);
    expect(p.tokens).toEqual(greedyChain(CONTEXT, 3));
    expect(model.length).toBe(CONTEXT.length + 2);
    const full = new DraftModelDrafter(new TinyModel(VOCAB, logits, CONTEXT.length - 1), greedy, createRng(0));
    expect((await full.propose(CONTEXT, 4)).tokens).toEqual([]);
    // With part of the context already in the draft KV, the room left counts from there.
    const warmModel = new TinyModel(VOCAB, logits, CONTEXT.length + 2);
    const warmDrafter = new DraftModelDrafter(warmModel, greedy, createRng(0));
    await warmDrafter.propose(CONTEXT.slice(0, 4), 1);
    expect((await warmDrafter.propose(CONTEXT, 8)).tokens).toEqual(greedyChain(CONTEXT, 3));
    expect(warmModel.length).toBe(CONTEXT.length + 2);
    const exact = new DraftModelDrafter(new TinyModel(VOCAB, logits, CONTEXT.length), greedy, createRng(0));
    expect((await exact.propose(CONTEXT, 4)).tokens).toEqual(greedyChain(CONTEXT, 1));
  });
});
