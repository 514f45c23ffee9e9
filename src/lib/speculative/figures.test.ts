// Acceptance, tokens per speculative pass and the measured speed-up of one reply, from the loop's
// own counts: a reply where speculation switches itself off must not have its figures diluted.
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { CostedModel, TARGET_COSTS, VirtualClock } from '../reference/cost-model';
import { TinyModel } from '../../../test/fakes/reference-sessions';
import { greedy, logits, PROMPT, ScriptedDrafter, upTo, VOCAB } from '../../../test/fakes/scripted-drafting';
import type { DraftLengthPolicy } from './controller';
import { acceptanceRate, measuredSpeedup, tokensPerSpecPass } from './figures';
import { decodeSpeculative } from './loop';
import { specSummary } from './planner';

/** One plain step, three speculative steps of 3 drafts, then plain for the rest (switched off). */
class SwitchesOff implements DraftLengthPolicy {
  #steps = 0;
  get k(): number {
    return this.#steps >= 1 && this.#steps <= 3 ? 3 : 0;
  }
  get offReason(): string | undefined {
    return this.#steps > 3 ? 'it did not pay' : undefined;
  }
  observeDecode(): void {
    this.#steps++;
  }
  observeVerify(): void {
    this.#steps++;
  }
}

async function reply() {
  const clock = new VirtualClock();
  const target = new CostedModel(new TinyModel(VOCAB, logits), TARGET_COSTS, clock.charge);
  const r = await decodeSpeculative(target, PROMPT, {
    sampling: greedy,
    rng: createRng(0),
    commit: upTo(20),
    drafter: new ScriptedDrafter(2),
    controller: new SwitchesOff(),
    clock: clock.now,
  });
  return specSummary('prompt-lookup', r.stats);
}

describe('speculation figures of one reply', () => {
  it('counts tokens per pass over speculative passes only, not the plain ones after switching off', async () => {
    const s = await reply();
    // Three speculative passes of 2 accepted drafts + 1 token; the rest plain.
    expect(s.specPasses).toBe(3);
    expect(s.specTokens).toBe(9);
    expect(s.targetPasses - s.specPasses).toBeGreaterThan(3);
    expect(tokensPerSpecPass(s)).toBe(3);
    expect(acceptanceRate(s)).toBeCloseTo(6 / 9);
  });

  it('measures the speed-up from the timed steps of the same reply', async () => {
    const s = await reply();
    const plainSteps = s.targetPasses - s.specPasses;
    expect(s.plainMs).toBe(plainSteps * TARGET_COSTS.decodeMs);
    const speedup = measuredSpeedup(s);
    expect(speedup.value).toBeCloseTo(s.specTokens / s.specMs / (plainSteps / s.plainMs));
    expect(speedup.value).toBeGreaterThan(1);
  });

  it('states no speed-up without a timed plain step or a speculative one', () => {
    const base = { used: 'draft-model' as const, drafted: 6, accepted: 4, passTokens: 6, targetPasses: 2 };
    expect(measuredSpeedup({ ...base, specPasses: 2, specTokens: 6, specMs: 30, plainMs: 0 })).toEqual({
      why: 'too few plain steps were timed to compare',
    });
    expect(measuredSpeedup({ ...base, used: 'off', specPasses: 0, specTokens: 0, specMs: 0, plainMs: 0 }).value).toBeUndefined();
    // A record saved before the per-kind counts: no speed-up, tokens per pass over all passes.
    expect(measuredSpeedup(base).value).toBeUndefined();
    expect(tokensPerSpecPass(base)).toBe(3);
  });
});
