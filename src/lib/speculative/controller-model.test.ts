// The adaptive controller's cost model on its own: clamping, decayed averages, the linear verify cost,
// the expected speed-up per draft length and when it gives up.
import { describe, expect, it } from 'vitest';
import { AdaptiveDraftLength } from './controller';

describe('adaptive draft length: the model behind the choice', () => {
  it('clamps the maximum and the start to 0…8', () => {
    const started = (maxK: number, startK?: number) => {
      const c = new AdaptiveDraftLength(startK === undefined ? { maxK } : { maxK, startK });
      c.observeDecode(10);
      return [c.maxK, c.k, c.off];
    };
    expect(started(12)).toEqual([8, 8, false]);
    expect(started(3.7)).toEqual([3, 3, false]);
    expect(started(6, 2)).toEqual([6, 2, false]);
    expect(started(6, 9)).toEqual([6, 6, false]);
    expect(started(-2)).toEqual([0, 0, true]);
    expect(new AdaptiveDraftLength({ maxK: 0 }).offReason).toMatch(/draft length is 0/);
    expect(new AdaptiveDraftLength({ maxK: 4 }).offReason).toBeUndefined();
  });

  it('averages decode times with decay, and before any verify assumes a small marginal cost', () => {
    const c = new AdaptiveDraftLength({ maxK: 4 });
    expect(c.verifyCost(1)).toBe(1);
    c.observeDecode(20);
    expect(c.verifyCost(1)).toBe(20);
    expect(c.verifyCost(5)).toBeCloseTo(20 * (1 + 0.1 * 4), 9);
    c.observeDecode(40);
    expect(c.verifyCost(1)).toBeCloseTo(0.85 * 20 + 0.15 * 40, 9);
  });

  it('fits the verify cost as a line through the decode cost, never falling with length', () => {
    const c = new AdaptiveDraftLength({ maxK: 8 });
    c.observeDecode(20);
    c.observeVerify(3, 3, 26, 0);
    // Slope (26 − 20) / 3 = 2 per extra token.
    expect(c.verifyCost(5)).toBeCloseTo(28, 9);
    c.observeVerify(1, 1, 22, 0);
    // Points (2, 22) and (4, 26): least squares through (1, 20): (1·2 + 3·6) / (1 + 9) = 2.
    expect(c.verifyCost(9)).toBeCloseTo(36, 9);
    // Repeated lengths are averaged with decay: (0.85 · 26 + 0.15 · 36 − 20) / 3 = 2.5 per token.
    const twice = new AdaptiveDraftLength({ maxK: 8 });
    twice.observeDecode(20);
    twice.observeVerify(3, 3, 26, 0);
    twice.observeVerify(3, 3, 36, 0);
    expect(twice.verifyCost(5)).toBeCloseTo(30, 9);
    const cheap = new AdaptiveDraftLength({ maxK: 8 });
    cheap.observeDecode(20);
    cheap.observeVerify(3, 3, 15, 0);
    expect(cheap.verifyCost(5)).toBe(20);
  });

  it('learns acceptance with decay and counts a rejection only when a draft was rejected', () => {
    const c = new AdaptiveDraftLength({ maxK: 8 });
    expect(c.acceptance).toBe(0.5);
    c.observeDecode(20);
    c.observeVerify(4, 4, 21, 0);
    expect(c.acceptance).toBeCloseTo(4.85 / (4.85 + 0.85), 9);
    c.observeVerify(4, 1, 21, 0);
    const accepts = 0.85 * 4.85 + 1;
    expect(c.acceptance).toBeCloseTo(accepts / (accepts + 0.85 * 0.85 + 1), 9);
    const speed = c.expectedSpeedup(2);
    const k = c.k;
    c.observeVerify(0, 0, 21, 5);
    expect(c.acceptance).toBeCloseTo(accepts / (accepts + 0.85 * 0.85 + 1), 9);
    // A step without drafts teaches nothing.
    expect(c.expectedSpeedup(2)).toBe(speed);
    expect(c.k).toBe(k);
  });

  it('expects tokens per pass from the acceptance and divides by verify plus drafting time', () => {
    const c = new AdaptiveDraftLength({ maxK: 8 });
    c.observeDecode(20);
    c.observeVerify(2, 2, 22, 4);
    const a = 2.85 / 3.7;
    // Verify slope (22 − 20) / 2 = 1; drafting 2 ms per token.
    for (const k of [1, 2, 5]) expect(c.expectedSpeedup(k)).toBeCloseTo((((1 - a ** (k + 1)) / (1 - a)) * 20) / (20 + k + 2 * k), 9);
    c.observeVerify(2, 2, 22, 8);
    // Drafting cost per token averaged with decay: 0.85 · 2 + 0.15 · 4.
    const a2 = (0.85 * 2.85 + 2) / (0.85 * 2.85 + 2 + 0.85 * 0.85);
    expect(c.expectedSpeedup(2)).toBeCloseTo((((1 - a2 ** 3) / (1 - a2)) * 20) / (20 + 2 + 2 * (0.85 * 2 + 0.15 * 4)), 9);
  });

  it('caps the acceptance it plans with below 1', () => {
    const c = new AdaptiveDraftLength({ maxK: 8 });
    c.observeDecode(20);
    for (let i = 0; i < 200; i++) c.observeVerify(8, 8, 20, 0);
    expect(c.acceptance).toBeGreaterThan(0.999);
    expect(c.expectedSpeedup(3)).toBeCloseTo((1 - 0.999 ** 4) / (1 - 0.999), 6);
    expect(c.k).toBe(8);
  });

  it('picks the k with the best expected speed', () => {
    const c = new AdaptiveDraftLength({ maxK: 8 });
    c.observeDecode(20);
    // Half the drafts accepted, drafting expensive: short drafts win.
    for (let i = 0; i < 3; i++) c.observeVerify(4, 2, 24, 12);
    const speeds = Array.from({ length: 8 }, (_, i) => c.expectedSpeedup(i + 1));
    expect(c.k).toBe(speeds.indexOf(Math.max(...speeds)) + 1);
    expect(c.k).toBeLessThan(8);
  });

  it('keeps drafting one token until it has seen enough steps, then switches off with the figures', () => {
    const c = new AdaptiveDraftLength({ maxK: 4 });
    c.observeDecode(20);
    c.observeVerify(4, 0, 40, 10);
    expect([c.k, c.off]).toEqual([1, false]);
    c.observeVerify(1, 0, 40, 10);
    expect([c.k, c.off]).toEqual([1, false]);
    c.observeVerify(1, 0, 40, 10);
    expect(c.off).toBe(true);
    expect(c.k).toBe(0);
    expect(c.offReason).toMatch(/^it did not pay: \d+% of draft tokens accepted, a verify step costs \d+\.\d\d× a plain decode step$/);
    expect(c.offReason).toContain(`${Math.round(c.acceptance * 100)}% of draft`);
    expect(c.offReason).toContain(`${(c.verifyCost(2) / 20).toFixed(2)}× a plain decode step`);
  });
});
