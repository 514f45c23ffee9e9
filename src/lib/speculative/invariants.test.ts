// KV bookkeeping: after every step the target holds exactly the committed tokens (the pending one
// excepted) and the draft model's KV mirrors what the drafter believes; stops, max_tokens and the
// end of the context landing inside an accepted run leave everything as plain decoding would.
import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy, type StepModel } from '../decoding';
import { createRng } from '../rng';
import { ContextOverflowError, type ReferenceSession } from '../reference/session';
import { FixedDraftLength } from './controller';
import { DraftModelDrafter } from './draft-model';
import { decodeSpeculative } from './loop';
import { PromptLookupDrafter } from './prompt-lookup';
import { newDraft, newTarget, randomPrompt } from '../../../test/fakes/reference-sessions';
import { scaled } from '../../../test/fakes/test-scale';

const greedy = { temperature: 0, topP: 1 };

/** Enforces the rollback contract like the real KV cache: 0 ≤ n ≤ length. */
class StrictSession implements StepModel {
  constructor(readonly inner: ReferenceSession) {}
  get vocabSize() {
    return this.inner.vocabSize;
  }
  get contextWindow() {
    return this.inner.contextWindow;
  }
  get length() {
    return this.inner.length;
  }
  prefill(t: readonly number[]) {
    return this.inner.prefill(t);
  }
  decodeOne(t: number) {
    return this.inner.decodeOne(t);
  }
  verify(t: readonly number[]) {
    return this.inner.verify(t);
  }
  rollback(n: number) {
    if (!Number.isInteger(n) || n < 0 || n > this.inner.length) throw new RangeError(`bad rollback ${n}`);
    this.inner.rollback(n);
  }
}

describe('KV bookkeeping', () => {
  it('target and draft stay in step after every step, at every temperature', async () => {
    for (const sampling of [greedy, { temperature: 0.9, topP: 0.95 }]) {
      for (let i = 0; i < scaled(60); i++) {
        const target = newTarget();
        const draftSession = newDraft();
        const drafter = new DraftModelDrafter(draftSession, sampling, createRng(i));
        const prompt = randomPrompt(1000 + i);
        const emitted: number[] = [];
        let steps = 0;
        await decodeSpeculative(new StrictSession(target), prompt, {
          sampling,
          rng: createRng(i),
          commit: stopPolicy({ stopTokenIds: [], maxTokens: 40, onToken: (t) => void emitted.push(t) }),
          drafter,
          controller: new FixedDraftLength(1 + (i % 8)),
          onStep: () => {
            steps++;
            // The target holds the prompt and every emitted token but the last (the pending one).
            expect(target.tokens).toEqual([...prompt, ...emitted.slice(0, -1)]);
            // The drafter's picture of the draft KV is the truth.
            expect(drafter.kv).toEqual(draftSession.tokens);
          },
        });
        expect(steps).toBeGreaterThan(0);
        // The draft KV shares its prefix with the conversation; only unverified drafts differ.
        const conversation = [...prompt, ...emitted];
        let c = 0;
        while (c < drafter.kv.length && drafter.kv[c] === conversation[c]) c++;
        expect(drafter.kv.length - c).toBeLessThanOrEqual(8);
      }
    }
  });

  it('a stop token, max_tokens or a full context inside an accepted run ends exactly like plain decoding', async () => {
    let insideRun = 0;
    for (let i = 0; i < scaled(150); i++) {
      const prompt = randomPrompt(2000 + i);
      const reference = await decodePlain(newTarget(), prompt, {
        sampling: greedy,
        rng: createRng(0),
        commit: stopPolicy({ stopTokenIds: [], maxTokens: 30 }),
      });
      const j = 3 + (i % 20);
      const cases = [
        { stopTokenIds: [reference.tokens[j]!], maxTokens: 30, ctx: 4096 },
        { stopTokenIds: [], maxTokens: j, ctx: 4096 },
        { stopTokenIds: [], maxTokens: 30, ctx: prompt.length + j },
      ];
      for (const c of cases) {
        const plainTarget = newTarget(c.ctx);
        const plain = await decodePlain(plainTarget, prompt, { sampling: greedy, rng: createRng(0), commit: stopPolicy(c) });
        for (const drafter of [new PromptLookupDrafter(), new DraftModelDrafter(newDraft(), greedy, createRng(0))]) {
          const specTarget = newTarget(c.ctx);
          const spec = await decodeSpeculative(new StrictSession(specTarget), prompt, {
            sampling: greedy,
            rng: createRng(0),
            commit: stopPolicy(c),
            drafter,
            controller: new FixedDraftLength(8),
          });
          expect(spec.tokens).toEqual(plain.tokens);
          expect(spec.finishReason).toBe(plain.finishReason);
          expect(specTarget.tokens).toEqual(plainTarget.tokens);
          if (spec.fromDraft.at(-1)) insideRun++;
        }
      }
    }
    // Many of those endings really fell on an accepted draft token.
    expect(insideRun).toBeGreaterThan(scaled(20));
  });

  it('never verifies past the context window', async () => {
    const prompt = randomPrompt(7);
    const target = newTarget(prompt.length + 5);
    const r = await decodeSpeculative(target, prompt, {
      sampling: greedy,
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [], maxTokens: 100 }),
      drafter: new PromptLookupDrafter(),
      controller: new FixedDraftLength(8),
    });
    expect(r.finishReason).toBe('length');
    expect(target.length).toBe(prompt.length + 5);
    expect(ContextOverflowError).toBeDefined();
  });
});
