// The simulated step costs: what each call charges, and that the wrapped model is untouched.
import { describe, expect, it } from 'vitest';
import { CostedModel, VirtualClock, type StepCosts } from './cost-model';
import { prefixLogits, TinyModel } from '../../../test/fakes/reference-sessions';

const COSTS: StepCosts = { decodeMs: 10, verifyMarginal: 0.5, prefillMsPerToken: 2 };

describe('CostedModel', () => {
  it('charges a decode per step, a prefill per token plus a decode, a verify by its length', async () => {
    const clock = new VirtualClock();
    const inner = new TinyModel(4, prefixLogits(4, 1, 1), 100);
    const m = new CostedModel(inner, COSTS, clock.charge);
    expect([m.vocabSize, m.contextWindow, m.length]).toEqual([4, 100, 0]);
    expect(await m.prefill([1, 2, 3])).toEqual(inner.logits([1, 2, 3]));
    expect(clock.now()).toBe(3 * 2 + 10);
    await m.prefill([0]);
    expect(clock.now()).toBe(16 + 10);
    expect(await m.decodeOne(2)).toEqual(inner.logits([1, 2, 3, 0, 2]));
    expect(clock.now()).toBe(36);
    const rows = await m.verify([1, 1, 1]);
    expect(rows).toHaveLength(12);
    expect(clock.now()).toBe(36 + 10 * (1 + 0.5 * 2));
    expect(m.length).toBe(8);
    await m.rollback(3);
    expect(m.length).toBe(5);
    expect(inner.tokens).toEqual([1, 2, 3, 0, 2]);
    expect(clock.now()).toBe(56);
  });
});
