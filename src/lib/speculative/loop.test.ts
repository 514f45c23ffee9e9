// The speculative loop's bookkeeping on a tiny model with scripted drafters: what it counts, what
// it reports to the controller and the commit rule, which tokens came from drafts, aborts, and the
// engine hooks (history for the drafter, a custom start).
import { describe, expect, it } from 'vitest';
import { decodePlain, type Commit } from '../decoding';
import { createRng } from '../rng';

import { FixedDraftLength } from './controller';
import { CostedModel, TARGET_COSTS, VirtualClock } from '../reference/cost-model';
import { TinyModel } from '../../../test/fakes/reference-sessions';
import { decodeSpeculative } from './loop';
import type { Drafter } from './types';

import { greedy, greedyChain, logits, PROMPT, Recorder, ScriptedDrafter, upTo, VOCAB } from '../../../test/fakes/scripted-drafting';

describe('decodeSpeculative bookkeeping', () => {
  it('counts drafted and accepted tokens, passes, and marks tokens that came from drafts', async () => {
    const target = new TinyModel(VOCAB, logits);
    const r = await decodeSpeculative(target, PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(9),
      drafter: new ScriptedDrafter(2),
      controller: new FixedDraftLength(3),
    });
    // First token from the prefill, then steps of 2 accepted drafts + a correction: 1 + 3 + 3 + 2 (max_tokens).
    expect(r.tokens).toEqual(greedyChain(PROMPT, 9));
    expect(r.fromDraft).toEqual([false, true, true, false, true, true, false, true, true]);
    expect(r.stats).toMatchObject({ drafted: 9, accepted: 6, targetPasses: 3, passTokens: 9, specPasses: 3, specTokens: 9 });
    expect(r.targetPasses).toBe(3);
    expect(r.finishReason).toBe('length');
    // Plain decoding would hold the prompt and all tokens but the last.
    expect(target.tokens).toEqual([...PROMPT, ...r.tokens.slice(0, -1)]);
    expect(r.kvTokens).toEqual(target.tokens);
  });

  it('commits each token at the position plain decoding would', async () => {
    const positions =
      (log: [number, boolean, number][]) =>
      (token: number, fromDraft: boolean, position: number): Commit => {
        log.push([token, fromDraft, position]);
        return log.length >= 8 ? { emit: true, finish: 'length' } : { emit: true };
      };
    const plainLog: [number, boolean, number][] = [];
    await decodePlain(new TinyModel(VOCAB, logits), PROMPT, { sampling: greedy, rng: createRng(0), commit: positions(plainLog) });
    const specLog: [number, boolean, number][] = [];
    await decodeSpeculative(new TinyModel(VOCAB, logits), PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: positions(specLog),
      drafter: new ScriptedDrafter(1),
      controller: new FixedDraftLength(2),
    });
    expect(specLog.map(([t, , p]) => [t, p])).toEqual(plainLog.map(([t, , p]) => [t, p]));
    expect(specLog.map(([, d]) => d)).toEqual([false, true, false, true, false, true, false, true]);
  });

  it('tells the controller what each step drafted, accepted and cost', async () => {
    const clock = new VirtualClock();
    clock.charge(1000); // times are differences, not readings
    const target = new CostedModel(new TinyModel(VOCAB, logits), TARGET_COSTS, clock.charge);
    const controller = new Recorder(0);
    const drafter: Drafter = {
      kind: 'draft-model',
      propose: (context, k) => {
        clock.charge(2 * k);
        return new ScriptedDrafter(1).propose(context, k);
      },
    };
    const r = await decodeSpeculative(target, PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(6),
      drafter,
      controller,
      clock: clock.now,
      onStep: () => {
        controller.k = 3;
      },
    });
    // One plain step (k = 0), then verify steps of 3 drafts with 1 accepted.
    expect(controller.decodes).toEqual([TARGET_COSTS.decodeMs]);
    const verifyMs = TARGET_COSTS.decodeMs * (1 + TARGET_COSTS.verifyMarginal * 3);
    expect(controller.verifies).toEqual([
      [3, 1, verifyMs, 6],
      [3, 1, verifyMs, 6],
    ]);
    expect(r.prefillMs).toBe(TARGET_COSTS.decodeMs + TARGET_COSTS.prefillMsPerToken * PROMPT.length);
    expect(r.decodeMs).toBe(TARGET_COSTS.decodeMs + 2 * (verifyMs + 6));
    expect(r.stats).toMatchObject({ drafted: 6, accepted: 2, targetPasses: 3, passTokens: 5 });
  });

  it('reports why the controller switched speculation off', async () => {
    const controller = new Recorder(0);
    controller.offReason = 'it did not pay';
    const idle = new ScriptedDrafter();
    const r = await decodeSpeculative(new TinyModel(VOCAB, logits), PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(3),
      drafter: idle,
      controller,
    });
    expect(r.stats.offReason).toBe('it did not pay');
    // With k = 0 the drafter is not even asked.
    expect(idle.contexts).toEqual([]);
    expect(r.tokens).toEqual(greedyChain(PROMPT, 3));
    const on = await decodeSpeculative(new TinyModel(VOCAB, logits), PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(3),
      drafter: new ScriptedDrafter(),
      controller: new FixedDraftLength(2),
    });
    expect('offReason' in on.stats).toBe(false);
  });

  it('stops when aborted, before the first token or between steps', async () => {
    const target = new TinyModel(VOCAB, logits);
    const none = await decodeSpeculative(target, PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(10),
      drafter: new ScriptedDrafter(),
      controller: new FixedDraftLength(2),
      aborted: () => true,
    });
    expect(none).toMatchObject({ tokens: [], finishReason: 'abort', targetPasses: 0 });
    let steps = 0;
    const some = await decodeSpeculative(new TinyModel(VOCAB, logits), PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(100),
      drafter: new ScriptedDrafter(1),
      controller: new FixedDraftLength(2),
      aborted: () => steps >= 2,
      onStep: () => void steps++,
    });
    expect(some.finishReason).toBe('abort');
    expect(some.tokens).toEqual(greedyChain(PROMPT, 5));
    // The KV holds everything but the pending token.
    expect(some.kvTokens).toEqual([...PROMPT, ...some.tokens.slice(0, -1)]);
  });

  it('shows the drafter the history before the prompt, and can start from an engine’s own prefill', async () => {
    const drafter = new ScriptedDrafter();
    const history = [4, 4, 0];
    const first = greedyChain(PROMPT, 1)[0]!;
    await decodeSpeculative(new TinyModel(VOCAB, logits), PROMPT, {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(2),
      drafter,
      controller: new FixedDraftLength(2),
      history,
    });
    expect(drafter.contexts[0]).toEqual([...history, ...PROMPT, first]);

    const target = new TinyModel(VOCAB, logits);
    const started = new ScriptedDrafter();
    const r = await decodeSpeculative(target, [], {
      sampling: greedy,
      rng: createRng(0),
      commit: upTo(4),
      drafter: started,
      controller: new FixedDraftLength(2),
      start: async () => {
        target.prefill(PROMPT);
        return { first, context: [9, ...PROMPT] };
      },
    });
    expect(r.tokens).toEqual(greedyChain(PROMPT, 4));
    expect(started.contexts[0]).toEqual([9, ...PROMPT, first]);
    expect(target.calls.filter((c) => c.startsWith('feed'))).toEqual([`feed ${PROMPT.join(' ')}`]);
  });
});
