import { describe, expect, test } from 'vitest';
import { fuseRanks, RRF_K } from './fusion';

describe('fuseRanks', () => {
  test('scores are the sum of 1/(k + rank) with ranks from 1', () => {
    const fused = fuseRanks([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(fused).toEqual([
      { id: 'b', score: 1 / 62 + 1 / 61 },
      { id: 'a', score: 1 / 61 },
      { id: 'c', score: 1 / 62 },
    ]);
  });

  test('the default constant is 60', () => {
    expect(RRF_K).toBe(60);
    expect(fuseRanks([['x']])).toEqual([{ id: 'x', score: 1 / 61 }]);
  });

  test('a custom k changes the scores', () => {
    expect(fuseRanks([['x', 'y']], 0)).toEqual([
      { id: 'x', score: 1 },
      { id: 'y', score: 1 / 2 },
    ]);
  });

  test('an id found by both lists beats one at the top of only one', () => {
    const fused = fuseRanks([
      ['kw-only', 'both'],
      ['vec-only', 'both'],
    ]);
    expect(fused[0]!.id).toBe('both');
  });

  test('ties keep the order of first appearance, lists in order', () => {
    // a and c: rank 1 in one list each; b and d: rank 2 in one list each.
    const fused = fuseRanks([
      ['c', 'd'],
      ['a', 'b'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['c', 'a', 'd', 'b']);
  });

  test('mathematically equal sums added in another order are still a tie', () => {
    // x: ranks 1, 2, 3; y: ranks 3, 1, 2. With k = 2 the float sums differ in the last bit (y's is
    // larger), yet x appeared first, so x stays first.
    const lists = [
      ['x', 'z', 'y'],
      ['y', 'x'],
      ['w', 'y', 'x'],
    ];
    const ids = fuseRanks(lists, 2).map((f) => f.id);
    expect(ids.indexOf('x')).toBe(ids.indexOf('y') - 1);
  });

  test('a genuinely higher score wins over earlier appearance, even by a little', () => {
    const fused = fuseRanks([['a'], ['b', 'x'], ['b']], 1e6);
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'x']);
    // b's score is higher by a millionth of itself: more than rounding, so not a tie.
    expect(fuseRanks([['x', 'a'], ['b']], 1e6).map((f) => f.id)).toEqual(['x', 'b', 'a']);
  });

  test('an id repeated within one list counts once, at its best rank', () => {
    expect(fuseRanks([['a', 'a', 'b']])).toEqual([
      { id: 'a', score: 1 / 61 },
      { id: 'b', score: 1 / 63 },
    ]);
  });

  test('no lists or empty lists give nothing', () => {
    expect(fuseRanks([])).toEqual([]);
    expect(fuseRanks([[], []])).toEqual([]);
  });

  test('the same lists always give the same ranking, and inputs are not changed', () => {
    const lists = [
      ['p', 'q', 'r'],
      ['r', 's', 'p'],
    ];
    const copy = structuredClone(lists);
    expect(fuseRanks(lists)).toEqual(fuseRanks(copy));
    expect(lists).toEqual(copy);
  });

  test('a negative, NaN or infinite k is refused', () => {
    expect(() => fuseRanks([['a']], -1)).toThrow(RangeError);
    expect(() => fuseRanks([['a']], -1)).toThrow('fusion constant must be finite and ≥ 0, got -1');
    expect(() => fuseRanks([['a']], Number.NaN)).toThrow(RangeError);
    expect(() => fuseRanks([['a']], Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
