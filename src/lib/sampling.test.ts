import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { applyTopPInPlace, argmax, sampleCategorical, sampleToken, softmaxInto } from './sampling';

function randomRow(n: number, seed: number, scale = 4): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => (rng() - 0.5) * 2 * scale);
}

/** Straightforward top-p by sorting the whole vocabulary: the reference for the fast version. */
function naiveTopP(probs: Float32Array, topP: number): Float32Array {
  const order = [...probs.keys()].sort((a, b) => probs[b]! - probs[a]! || a - b);
  const out = new Float32Array(probs.length);
  let mass = 0;
  for (const i of order) {
    if (mass >= topP) break;
    out[i] = probs[i]!;
    mass += probs[i]!;
  }
  return out.map((p) => p / mass);
}

describe('argmax', () => {
  it('finds the largest value and prefers the lower index on ties', () => {
    expect(argmax(Float32Array.of(1, 5, 3, 5))).toBe(1);
    expect(argmax(Float32Array.of(-3, -1, -2))).toBe(1);
  });
  it('works on a row inside a larger buffer', () => {
    expect(argmax(Float32Array.of(9, 9, 1, 2, 7, 0), 2, 4)).toBe(2);
  });
});

describe('softmax', () => {
  it('sums to one and follows the temperature', () => {
    const row = randomRow(1000, 1);
    const hot = softmaxInto(row, 2, new Float32Array(1000));
    const cold = softmaxInto(row, 0.25, new Float32Array(1000));
    const sum = (a: Float32Array) => a.reduce((s, x) => s + x, 0);
    expect(sum(hot)).toBeCloseTo(1, 5);
    expect(sum(cold)).toBeCloseTo(1, 5);
    const top = argmax(row);
    expect(cold[top]!).toBeGreaterThan(hot[top]!);
  });
});

describe('top-p', () => {
  it('matches a full sort on random rows of several sizes and masses', () => {
    for (const [n, p, seed, scale] of [
      [50, 0.9, 1, 4],
      [1000, 0.5, 2, 4],
      [5000, 0.95, 3, 2],
      [151_936, 0.9, 4, 6],
      [2000, 0.999, 5, 0.5],
    ] as const) {
      const probs = softmaxInto(randomRow(n, seed, scale), 1, new Float32Array(n));
      const expected = naiveTopP(probs, p);
      const actual = applyTopPInPlace(probs.slice(), p);
      let kept = 0;
      for (let i = 0; i < n; i++) {
        expect(actual[i]! > 0).toBe(expected[i]! > 0);
        if (actual[i]! > 0) kept++;
        expect(actual[i]!).toBeCloseTo(expected[i]!, 5);
      }
      expect(kept).toBeGreaterThan(0);
    }
  });
  it('is a no-op at 1', () => {
    const probs = softmaxInto(randomRow(100, 9), 1, new Float32Array(100));
    expect(applyTopPInPlace(probs.slice(), 1)).toEqual(probs);
  });
});

describe('sampling', () => {
  it('draws categories with their probabilities', () => {
    const probs = Float32Array.of(0.1, 0, 0.6, 0.3);
    const rng = createRng(7);
    const counts = [0, 0, 0, 0];
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[sampleCategorical(probs, rng())]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / n).toBeCloseTo(0.1, 1);
    expect(counts[2]! / n).toBeCloseTo(0.6, 1);
    expect(counts[3]! / n).toBeCloseTo(0.3, 1);
  });
  it('is greedy at temperature 0 and reproducible with a seed otherwise', () => {
    const row = randomRow(500, 3);
    expect(sampleToken(row, { temperature: 0, topP: 0.5 }, createRng(1))).toBe(argmax(row));
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => sampleToken(row, { temperature: 1, topP: 0.9 }, rng));
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });
});
