// Prompt lookup: the longest suffix n-gram (n from 3 down to 1) that occurred earlier, its most
// recent occurrence, and what followed it, at most k tokens and never past the end of the context.
import { describe, expect, it } from 'vitest';
import { PromptLookupDrafter } from './prompt-lookup';

const propose = (context: number[], k: number, d = new PromptLookupDrafter()) => d.propose(context, k).tokens;

describe('PromptLookupDrafter', () => {
  it('proposes what followed the most recent earlier occurrence of the last tokens', () => {
    //               0  1  2  3  4  5  6  7  8  9
    expect(propose([1, 2, 3, 9, 9, 1, 2, 3, 7, 1, 2, 3], 3)).toEqual([7, 1, 2]);
    expect(propose([5, 6, 7, 8, 5, 6], 2)).toEqual([7, 8]);
  });

  it('prefers the longest matching n-gram over a more recent shorter one', () => {
    // "4 5 6" occurred at 0 (followed by 10); "6" alone occurred more recently, followed by 20.
    expect(propose([4, 5, 6, 10, 6, 20, 4, 5, 6], 1)).toEqual([10]);
    // With n limited to 1, the most recent "6" wins.
    expect(propose([4, 5, 6, 10, 6, 20, 4, 5, 6], 1, new PromptLookupDrafter(1, 1))).toEqual([20]);
    // Two tokens match ("5 6" at 1), three do not.
    expect(propose([3, 5, 6, 11, 6, 21, 4, 5, 6], 1)).toEqual([11]);
  });

  it('stops at k tokens and at the end of the context', () => {
    const ctx = [1, 2, 3, 4, 5, 6, 1, 2];
    expect(propose(ctx, 1)).toEqual([3]);
    expect(propose(ctx, 4)).toEqual([3, 4, 5, 6]);
    expect(propose(ctx, 8)).toEqual([3, 4, 5, 6, 1, 2]);
    // The match runs into the suffix itself: the proposal ends where the context ends.
    expect(propose([7, 7, 7], 5)).toEqual([7]);
    expect(propose([8, 7, 8, 7], 5)).toEqual([8, 7]);
  });

  it('proposes nothing without a match, for k = 0, or below the minimum n-gram', () => {
    expect(propose([1, 2, 3, 4], 3)).toEqual([]);
    expect(propose([1, 2, 1], 0)).toEqual([]);
    expect(propose([1], 3)).toEqual([]);
    expect(propose([], 3)).toEqual([]);
    // Only one token repeats, and at least two must match.
    expect(propose([1, 9, 2, 9], 2, new PromptLookupDrafter(3, 2))).toEqual([]);
    expect(propose([1, 9, 2, 1, 9], 2, new PromptLookupDrafter(3, 2))).toEqual([2, 1]);
  });

  it('matches n-grams exactly, not by a prefix of them', () => {
    // "2 3" is not "9 3"; the last token alone matches at 3.
    expect(propose([2, 3, 5, 3, 6, 9, 3], 1)).toEqual([6]);
  });
});
