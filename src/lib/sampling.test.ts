import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { argmax, distributionInto, isArgmax, probabilityOf, rowDistribution, sampleCategorical, sampleRow, sampleToken } from './sampling';
import { naiveDistribution } from '../../test/stats/exact-sampling';

function randomRow(n: number, seed: number, scale = 4): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => (rng() - 0.5) * 2 * scale);
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

describe('sampling distribution (temperature, then top-p)', () => {
  it('matches a float64 softmax and a full sort on random rows of several sizes', () => {
    for (const [n, t, p, seed, scale] of [
      [50, 1, 0.9, 1, 4],
      [1000, 0.7, 0.5, 2, 4],
      [5000, 1.3, 0.95, 3, 2],
      [151_936, 0.8, 0.9, 4, 6],
      [2000, 1, 0.999, 5, 0.5],
      [3000, 0.5, 1, 6, 3],
    ] as const) {
      const row = randomRow(n, seed, scale);
      const expected = naiveDistribution(row, t, p);
      const actual = distributionInto(row, { temperature: t, topP: p }, new Float32Array(n));
      let kept = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (expected[i]! > 1e-12) expect(actual[i]! > 0, `token ${i} of ${n}`).toBe(true);
        if (expected[i] === 0) expect(actual[i], `token ${i} of ${n}`).toBe(0);
        if (actual[i]! > 0) kept++;
        sum += actual[i]!;
        expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-6);
      }
      expect(kept).toBeGreaterThan(0);
      expect(sum).toBeCloseTo(1, 5);
    }
  });

  it('reads single probabilities without materialising the row, and follows the temperature', () => {
    const row = randomRow(1000, 1);
    const top = argmax(row);
    const hot = rowDistribution(row, { temperature: 2, topP: 1 });
    const cold = rowDistribution(row, { temperature: 0.25, topP: 1 });
    expect(probabilityOf(cold, row, top)).toBeGreaterThan(probabilityOf(hot, row, top));
    const full = distributionInto(row, { temperature: 2, topP: 1 }, new Float32Array(1000));
    expect(probabilityOf(hot, row, 17)).toBeCloseTo(full[17]!, 7);
  });

  it('isArgmax agrees with argmax, ties going to the lower index', () => {
    const row = Float32Array.of(1, 5, 3, 5, 2);
    expect(isArgmax(row, 0, 5, 1)).toBe(true);
    expect(isArgmax(row, 0, 5, 3)).toBe(false);
    expect(isArgmax(row, 0, 5, 2)).toBe(false);
    expect(isArgmax(row, 0, 5, 9)).toBe(false);
    for (let s = 0; s < 50; s++) {
      const r = randomRow(300, 100 + s);
      const a = argmax(r);
      expect(isArgmax(r, 0, 300, a)).toBe(true);
      expect(isArgmax(r, 0, 300, (a + 1) % 300)).toBe(false);
    }
  });

  it("sampleRow draws with the row's probabilities and can leave one token out", () => {
    const row = Float32Array.of(0, Math.log(6), Math.log(3), -50);
    const d = rowDistribution(row, { temperature: 1, topP: 1 });
    const rng = createRng(5);
    const counts = [0, 0, 0, 0];
    const without = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      counts[sampleRow(d, row, rng())]!++;
      without[sampleRow(d, row, rng(), 1)]!++;
    }
    expect(counts[1]! / 20_000).toBeCloseTo(0.6, 1);
    expect(counts[2]! / 20_000).toBeCloseTo(0.3, 1);
    expect(without[1]).toBe(0);
    expect(without[2]! / 20_000).toBeCloseTo(0.75, 1);
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
