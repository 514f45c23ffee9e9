// Draws by rejection sampling must follow the exact distributions: p (temperature, then top-p),
// p without one token, and the residual max(p − q, 0), checked by chi-square against the exact ones.
import { chiSquareP } from '../../../test/stats/chi-square';
import { scaled, underMutation } from '../../../test/fakes/test-scale';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { distributionInto, type SamplingParams } from '../sampling';
import { drawResidualToken, drawToken } from './draw-token';

const DRAWS = scaled(30_000);

/** Token counts against expected probabilities; a token with probability 0 must never be drawn. */
function chiSquareTokens(counts: number[], probs: ArrayLike<number>): number {
  const bins = counts.map((observed, j) => ({ observed, expected: probs[j]! * DRAWS }));
  bins.forEach((b, j) => b.expected === 0 && expect(b.observed, `token ${j} is impossible`).toBe(0));
  return chiSquareP(bins);
}

/** A row with a bulk and a few strong tokens; small enough to compare with the exact distribution. */
function row(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = Float32Array.from({ length: n }, () => (rng() + rng() - 1) * 4);
  out[3] = 6;
  out[n - 2] = 5.5;
  out[n - 1] = 5.5; // a tie with n - 2
  return out;
}

const CASES: [number, SamplingParams][] = [
  [40, { temperature: 1, topP: 0.9 }],
  // A row long enough for the block sums; instrumented for mutation testing it outlasts the test timeout.
  ...(underMutation() ? [] : ([[2500, { temperature: 0.8, topP: 0.95 }]] as [number, SamplingParams][])),
  [60, { temperature: 1.5, topP: 0.5 }],
  [60, { temperature: 0.7, topP: 1 }],
];

describe('draws by rejection sampling', () => {
  for (const [n, params] of CASES) {
    const label = `V=${n}, T=${params.temperature}, top-p=${params.topP}`;
    const r = row(n, n);
    const p = distributionInto(r, params, new Float32Array(n));

    it(`drawToken follows p (${label})`, () => {
      const rng = createRng(1);
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < DRAWS; i++) counts[drawToken(r, params, 0, n, rng)]!++;
      expect(chiSquareTokens(counts, p)).toBeGreaterThan(0.001);
    });

    it(`drawToken leaves a token out (${label})`, () => {
      const rng = createRng(2);
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < DRAWS; i++) counts[drawToken(r, params, 0, n, rng, 3)]!++;
      const without = Float64Array.from(p, (x, j) => (j === 3 ? 0 : x / (1 - p[3]!)));
      expect(chiSquareTokens(counts, without)).toBeGreaterThan(0.001);
    });

    it(`drawResidualToken follows max(p − q, 0) (${label})`, () => {
      const q = distributionInto(row(n, n + 1), { temperature: 1, topP: 1 }, new Float32Array(n));
      const residual = Float64Array.from(p, (x, j) => Math.max(0, x - q[j]!));
      const mass = residual.reduce((a, b) => a + b, 0);
      const rng = createRng(3);
      const counts = new Array<number>(n).fill(0);
      let gaveUp = 0;
      for (let i = 0; i < DRAWS; i++) {
        const j = drawResidualToken(r, params, 0, n, q, rng);
        if (j === undefined) gaveUp++;
        else counts[j]!++;
      }
      // Giving up is independent of the token, so the tokens drawn still follow the residual.
      const drawn = DRAWS - gaveUp;
      expect(drawn).toBeGreaterThan(DRAWS * 0.9);
      const scaled = Float64Array.from(residual, (x) => (x / mass) * (drawn / DRAWS));
      expect(chiSquareTokens(counts, scaled)).toBeGreaterThan(0.001);
    });
  }

  it('reads a row inside a larger buffer', () => {
    const a = row(50, 7);
    const both = new Float32Array(150);
    both.set(a, 100);
    const rng = createRng(4);
    const params = { temperature: 1, topP: 0.9 };
    const p = distributionInto(a, params, new Float32Array(50));
    const counts = new Array<number>(50).fill(0);
    for (let i = 0; i < DRAWS; i++) counts[drawToken(both, params, 100, 50, rng)]!++;
    expect(chiSquareTokens(counts, p)).toBeGreaterThan(0.001);
  });
});
