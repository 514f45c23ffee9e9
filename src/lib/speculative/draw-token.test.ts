// Draws by rejection sampling must follow the exact distributions: p (temperature, then top-p),
// p without one token, and the residual max(p − q, 0), checked by chi-square against the exact ones.
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { distributionInto, type SamplingParams } from '../sampling';
import { drawResidualToken, drawToken } from './draw-token';

const DRAWS = 30_000;

/** p-value of observed counts against expected probabilities (bins under 5 expected are pooled). */
function chiSquareP(counts: number[], probs: ArrayLike<number>): number {
  let chi = 0;
  let bins = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (let j = 0; j < counts.length; j++) {
    const e = probs[j]! * DRAWS;
    if (e === 0) expect(counts[j], `token ${j} is impossible`).toBe(0);
    if (e < 5) {
      pooledObserved += counts[j]!;
      pooledExpected += e;
      continue;
    }
    chi += (counts[j]! - e) ** 2 / e;
    bins++;
  }
  if (pooledExpected > 0) {
    chi += (pooledObserved - pooledExpected) ** 2 / Math.max(pooledExpected, 1e-9);
    bins++;
  }
  return 1 - chisquareCdf(chi, bins - 1);
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
  [2500, { temperature: 0.8, topP: 0.95 }],
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
      expect(chiSquareP(counts, p)).toBeGreaterThan(0.001);
    });

    it(`drawToken leaves a token out (${label})`, () => {
      const rng = createRng(2);
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < DRAWS; i++) counts[drawToken(r, params, 0, n, rng, 3)]!++;
      const without = Float64Array.from(p, (x, j) => (j === 3 ? 0 : x / (1 - p[3]!)));
      expect(chiSquareP(counts, without)).toBeGreaterThan(0.001);
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
      expect(chiSquareP(counts, scaled)).toBeGreaterThan(0.001);
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
    expect(chiSquareP(counts, p)).toBeGreaterThan(0.001);
  });
});
