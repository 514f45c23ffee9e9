// Comparing the self-check's plain and speculative runs: the first differing token, lengths included.
import { describe, expect, it } from 'vitest';
import { compareRuns } from './self-check';

describe('compareRuns', () => {
  it('passes identical runs', () => {
    expect(compareRuns([1, 2, 3], [1, 2, 3])).toEqual({ ok: true, plain: [1, 2, 3], speculative: [1, 2, 3] });
    expect(compareRuns([], []).ok).toBe(true);
  });
  it('reports the first differing token, counted from 1 in words', () => {
    const r = compareRuns([1, 2, 3, 4], [1, 2, 9, 8]);
    expect(r).toMatchObject({ ok: false, divergedAt: 2, plain: [1, 2, 3, 4], speculative: [1, 2, 9, 8] });
    expect(r.reason).toMatch(/token 3 of 4/);
    expect(compareRuns([5], [6]).divergedAt).toBe(0);
  });
  it('a run that ends early differs where it ended', () => {
    expect(compareRuns([1, 2], [1, 2, 3])).toMatchObject({ ok: false, divergedAt: 2 });
    expect(compareRuns([1, 2, 3], [1])).toMatchObject({ ok: false, divergedAt: 1 });
    expect(compareRuns([1, 2, 3], [1]).reason).toMatch(/token 2 of 3/);
  });
});
