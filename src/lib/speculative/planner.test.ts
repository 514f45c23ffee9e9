import { describe, expect, it } from 'vitest';
import {
  SELF_CHECK_DRAFT_TOKENS,
  SpeculationPlanner,
  draftPairingNote,
  plainSummary,
  specSummary,
  type PlanInput,
  type SpeculationTarget,
} from './planner';
import type { SelfCheckResult } from './self-check';
import type { Drafter, SpecMode } from './types';

const passed: SelfCheckResult = { ok: true, plain: [], speculative: [] };
const draftDrafter: Drafter = { kind: 'draft-model', propose: () => ({ tokens: [] }) };

/** A target whose self-check records each run. */
function target(o: Partial<SpeculationTarget> & { verdict?: SelfCheckResult } = {}) {
  const runs: number[] = [];
  const t: SpeculationTarget = {
    selfCheck: async (k) => {
      runs.push(k);
      return o.verdict ?? passed;
    },
    ...o,
  };
  return { t, runs };
}

const input = (t: SpeculationTarget | string, mode: SpecMode = 'auto', draftTokens = 6, extra: Partial<PlanInput> = {}): PlanInput => ({
  modelId: 'm',
  speculative: { mode, draftTokens },
  target: t,
  ...extra,
});

describe('speculation planner', () => {
  it('says why a reply decodes plainly, before running any self-check', async () => {
    const p = new SpeculationPlanner();
    const { t, runs } = target({ requestReason: () => 'JSON mode constrains every token with a grammar' });
    expect(await p.plan({ modelId: 'm', target: t })).toEqual({ reason: 'speculative decoding is off' });
    expect(await p.plan(input(t, 'off'))).toEqual({ reason: 'speculative decoding is off' });
    expect(await p.plan(input(t, 'auto', 0))).toEqual({ reason: 'draft tokens is 0' });
    expect(await p.plan(input('its state is "hybrid"'))).toEqual({ reason: 'this model cannot speculate: its state is "hybrid"' });
    expect(await p.plan(input(t))).toEqual({ reason: 'plain decoding for this reply: JSON mode constrains every token with a grammar' });
    expect(runs).toEqual([]);
  });

  it('runs the self-check once per model, with at most 4 draft tokens, and keeps its verdict', async () => {
    const p = new SpeculationPlanner();
    const failing = target({
      verdict: { ok: false, plain: [1], speculative: [2], reason: 'the self-check on this GPU produced different tokens' },
    });
    expect(await p.plan(input(failing.t, 'prompt-lookup', 8))).toEqual({ reason: 'the self-check on this GPU produced different tokens' });
    expect(await p.plan(input(failing.t, 'prompt-lookup', 2))).toEqual({ reason: 'the self-check on this GPU produced different tokens' });
    expect(failing.runs).toEqual([SELF_CHECK_DRAFT_TOKENS]);
    // Another model gets its own check, with fewer draft tokens when the request allows fewer.
    const other = target();
    expect((await p.plan({ ...input(other.t, 'prompt-lookup', 2), modelId: 'n' })).drafter?.kind).toBe('prompt-lookup');
    expect(other.runs).toEqual([2]);
  });

  it('a self-check that throws keeps speculation off and says so', async () => {
    const p = new SpeculationPlanner();
    const t: SpeculationTarget = { selfCheck: () => Promise.reject(new Error('device lost')) };
    expect(await p.plan(input(t))).toEqual({ reason: 'the self-check failed: device lost' });
    const silent = new SpeculationPlanner();
    expect(await silent.plan(input({ selfCheck: async () => ({ ok: false, plain: [], speculative: [] }) }))).toEqual({
      reason: 'the self-check failed',
    });
  });

  it('loading the model with a draft model checks again; loading it alone keeps the verdict', async () => {
    const p = new SpeculationPlanner();
    const { t, runs } = target();
    await p.plan(input(t));
    p.loaded('m', false);
    await p.plan(input(t));
    expect(runs).toHaveLength(1);
    p.loaded('m', true);
    await p.plan(input(t));
    expect(runs).toHaveLength(2);
  });

  it('chooses the drafter by mode, with a controller capped at the requested draft tokens', async () => {
    const p = new SpeculationPlanner();
    const alone = target().t;
    const paired = target({ draftModel: () => draftDrafter }).t;
    const auto = await p.plan(input(alone, 'auto', 5));
    expect(auto.drafter?.kind).toBe('prompt-lookup');
    expect(auto.drafter && auto.controller.maxK).toBe(5);
    expect((await p.plan(input(paired, 'auto'))).drafter).toBe(draftDrafter);
    expect((await p.plan(input(paired, 'prompt-lookup'))).drafter?.kind).toBe('prompt-lookup');
    expect((await p.plan(input(paired, 'draft-model'))).drafter).toBe(draftDrafter);
    expect(await p.plan(input(alone, 'draft-model'))).toEqual({
      reason: 'no draft model is loaded (choose one in settings and load again)',
    });
    expect(await p.plan(input(alone, 'draft-model', 6, { draftNote: '"x" cannot draft for this model' }))).toEqual({
      reason: '"x" cannot draft for this model',
    });
  });
});

describe('draft model pairing at load', () => {
  it('refuses the target itself and a model the catalog does not have', () => {
    const known = (id: string) => ['t', 'd'].includes(id);
    expect(draftPairingNote('t', 'd', known)).toBeUndefined();
    expect(draftPairingNote('t', 't', known)).toBe('a model cannot draft for itself');
    expect(draftPairingNote('t', 'x', known)).toBe('"x" is not in the catalog');
  });
});

describe('speculation summaries', () => {
  it('reports the counts, and a reason only when speculation stopped early', () => {
    const counts = { drafted: 10, accepted: 7, targetPasses: 4, passTokens: 11, specPasses: 3, specTokens: 10, specMs: 60, plainMs: 20 };
    expect(specSummary('prompt-lookup', counts)).toEqual({ used: 'prompt-lookup', ...counts });
    expect(specSummary('draft-model', { ...counts, offReason: 'it did not pay' })).toEqual({
      used: 'draft-model',
      ...counts,
      reason: 'speculation switched off during this reply: it did not pay',
    });
  });
  it('a plain reply counts one pass per token', () => {
    expect(plainSummary(3, undefined)).toEqual({
      used: 'off',
      drafted: 0,
      accepted: 0,
      targetPasses: 3,
      passTokens: 3,
      specPasses: 0,
      specTokens: 0,
      specMs: 0,
      plainMs: 0,
    });
    expect(plainSummary(3, 'draft tokens is 0')).toMatchObject({ used: 'off', reason: 'draft tokens is 0' });
  });
});
