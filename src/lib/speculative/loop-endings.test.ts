// How decodeSpeculative ends a reply: at the context window, at a stop token inside an accepted run or
// first, with more drafts offered than k, and with sampled (not argmax) acceptance at temperature > 0.
import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy } from '../decoding';
import { createRng } from '../rng';
import { argmax } from '../sampling';
import { FixedDraftLength } from './controller';

import { TinyModel } from '../../../test/fakes/reference-sessions';
import { decodeSpeculative } from './loop';
import type { Drafter } from './types';

import { greedy, greedyChain, logits, PROMPT, ScriptedDrafter, upTo, VOCAB } from '../../../test/fakes/scripted-drafting';

describe('decodeSpeculative endings', () => {
  it('ends at the context window exactly like plain decoding, even with a long draft', async () => {
    for (const room of [0, 1, 2, 3, 5]) {
      const plainTarget = new TinyModel(VOCAB, logits, PROMPT.length + room);
      const plain = await decodePlain(plainTarget, PROMPT, { sampling: greedy, rng: createRng(0), commit: upTo(50) });
      const target = new TinyModel(VOCAB, logits, PROMPT.length + room);
      const r = await decodeSpeculative(target, PROMPT, {
        sampling: greedy,
        rng: createRng(0),
        commit: upTo(50),
        drafter: new ScriptedDrafter(),
        controller: new FixedDraftLength(8),
      });
      expect(r.tokens).toEqual(plain.tokens);
      expect(r.finishReason).toBe('length');
      expect(target.tokens).toEqual(plainTarget.tokens);
    }
  });

  it('a stop token inside an accepted run ends there and leaves the KV as plain decoding would', async () => {
    const chain = greedyChain(PROMPT, 10);
    const stop = chain[4]!;
    const stopAt = chain.indexOf(stop);
    const target = new TinyModel(VOCAB, logits);
    const r = await decodeSpeculative(target, PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [stop], maxTokens: 50 }),
      drafter: new ScriptedDrafter(),
      controller: new FixedDraftLength(6),
    });
    expect(r.finishReason).toBe('stop');
    expect(r.tokens).toEqual(chain.slice(0, stopAt));
    expect(target.tokens).toEqual([...PROMPT, ...chain.slice(0, stopAt)]);
  });

  it('a stop token as the very first token ends the reply with nothing shown', async () => {
    const first = greedyChain(PROMPT, 1)[0]!;
    const target = new TinyModel(VOCAB, logits);
    const drafter = new ScriptedDrafter();
    const r = await decodeSpeculative(target, PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [first], maxTokens: 50 }),
      drafter,
      controller: new FixedDraftLength(3),
    });
    expect(r).toMatchObject({ tokens: [], finishReason: 'stop', targetPasses: 0 });
    expect(target.tokens).toEqual(PROMPT);
    expect(drafter.contexts).toEqual([]);
  });

  it('verifies at most k drafts even when the drafter offers more', async () => {
    const generous: Drafter = { kind: 'prompt-lookup', propose: (context, k) => ({ tokens: greedyChain(context, k + 3) }) };
    const r = await decodeSpeculative(new TinyModel(VOCAB, logits), PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(9),
      drafter: generous,
      controller: new FixedDraftLength(2),
    });
    expect(r.tokens).toEqual(greedyChain(PROMPT, 9));
    expect(r.stats).toMatchObject({ drafted: 6, accepted: 6, targetPasses: 3, passTokens: 9, specPasses: 3, specTokens: 9 });
  });

  it('at temperature > 0 accepts drafts by rejection sampling, not by argmax', async () => {
    // Drafts that are never the argmax, and uniform numbers of 0: sampling accepts every draft
    // the target gives any probability; greedy acceptance would reject them all.
    const notArgmax: Drafter = {
      kind: 'prompt-lookup',
      propose: (context, k) => {
        const out: number[] = [];
        for (let i = 0; i < k; i++) out.push((argmax(logits([...context, ...out])) + 1) % VOCAB);
        return { tokens: out };
      },
    };
    const r = await decodeSpeculative(new TinyModel(VOCAB, logits), PROMPT, {
      sampling: { temperature: 1, topP: 1 },
      rng: () => 0,
      commit: upTo(8),
      drafter: notArgmax,
      controller: new FixedDraftLength(3),
    });
    expect(r.stats.accepted).toBe(r.stats.drafted);
    expect(r.stats.accepted).toBeGreaterThan(0);
  });
});
