// The exact distribution of acceptSampled's verdict at temperature > 0 (how many drafts are accepted,
// and the correction or bonus token), for point-mass drafts and for drafts from a draft distribution q:
// row i scores draft i, a rejection at i draws from row i's residual, the bonus comes from row K.
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import type { SamplingParams } from '../sampling';
import { acceptSampled, scratchFor } from './accept';
import { scaled } from '../../../test/fakes/test-scale';
import { CONFIGS, chiSquareP, draftDistributions, naiveDistribution, randomRows, rowOf } from '../../../test/stats/exact-sampling';

const SAMPLES = scaled(20_000);

function draw(p: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let j = 0; j < p.length; j++) {
    acc += p[j]!;
    if (u < acc) return j;
  }
  return p.length - 1;
}

/**
 * Exact distribution of the verdict "accepted:next". Accepting draft i has probability
 * min(1, p_i(d)/q_i(d)) (p_i(d) for a point mass); a rejection at i draws from max(p_i − q_i, 0)
 * (p_i without d for a point mass), renormalised; after K acceptances the bonus comes from p_K.
 */
function exactVerdicts(
  rows: Float32Array,
  vocab: number,
  drafts: number[],
  q: Float32Array[] | undefined,
  params: SamplingParams,
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, p: number) => p > 0 && out.set(key, (out.get(key) ?? 0) + p);
  let reach = 1;
  for (let i = 0; i < drafts.length; i++) {
    const p = naiveDistribution(rowOf(rows, vocab, i), params.temperature, params.topP);
    const d = drafts[i]!;
    const qi = q?.[i] ?? Float64Array.from({ length: vocab }, (_, j) => (j === d ? 1 : 0));
    const a = qi[d]! > 0 ? Math.min(1, p[d]! / qi[d]!) : 0;
    const residual = Array.from(p, (pj, j) => Math.max(pj - qi[j]!, 0));
    const mass = residual.reduce((s, x) => s + x, 0);
    for (let t = 0; t < vocab; t++) add(`${i}:${t}`, (reach * (1 - a) * residual[t]!) / mass);
    reach *= a;
  }
  const last = naiveDistribution(rowOf(rows, vocab, drafts.length), params.temperature, params.topP);
  for (let t = 0; t < vocab; t++) add(`${drafts.length}:${t}`, reach * last[t]!);
  return out;
}

function sampleVerdicts(
  rows: Float32Array,
  vocab: number,
  drafts: number[],
  q: Float32Array[] | undefined,
  params: SamplingParams,
  seed: number,
) {
  const rng = createRng(seed);
  const scratch = scratchFor(vocab);
  const counts = new Map<string, number>();
  for (let s = 0; s < SAMPLES; s++) {
    const v = acceptSampled(rows, vocab, drafts, q, params, rng, scratch);
    const key = `${v.accepted}:${v.next}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A draft distribution near the target's: a mix of p_i and a random distribution (zeros included). */
const VOCAB = 5;

const K = 3;

describe('acceptSampled: the verdict follows the exact rejection-sampling distribution', () => {
  for (const [c, params] of CONFIGS.entries()) {
    for (const seed of [1, 2]) {
      const rows = randomRows(K + 1, VOCAB, 100 * c + seed);
      const pick = createRng(seed);

      it(`point-mass drafts, T=${params.temperature}, top-p=${params.topP}, rows ${seed}`, () => {
        // Drafts drawn from the target's own rows, so every position is reached.
        const drafts = Array.from({ length: K }, (_, i) =>
          draw(naiveDistribution(rowOf(rows, VOCAB, i), params.temperature, params.topP), pick()),
        );
        const exact = exactVerdicts(rows, VOCAB, drafts, undefined, params);
        expect(chiSquareP(sampleVerdicts(rows, VOCAB, drafts, undefined, params, seed), exact, SAMPLES)).toBeGreaterThan(0.001);
      });

      it(`drafts from a draft distribution, T=${params.temperature}, top-p=${params.topP}, rows ${seed}`, () => {
        const q = draftDistributions(rows, VOCAB, K, params, seed);
        const drafts = q.map((qi) => draw(qi, pick()));
        const exact = exactVerdicts(rows, VOCAB, drafts, q, params);
        expect(chiSquareP(sampleVerdicts(rows, VOCAB, drafts, q, params, seed + 10), exact, SAMPLES)).toBeGreaterThan(0.001);
      });
    }
  }

  it('a draft model with a smaller or larger vocabulary than the target', () => {
    // The draft vocabulary may be padded differently: q is shorter or longer than a target row.
    // No top-p, so the target gives mass to tokens past the end of a short q.
    const params = CONFIGS[0]!;
    const rows = randomRows(K + 1, VOCAB, 31);
    for (const [length, seed] of [
      [VOCAB - 2, 1],
      [VOCAB + 2, 2],
    ] as const) {
      const rng = createRng(seed);
      const q = Array.from({ length: K }, () => {
        const w = Array.from({ length }, () => 0.2 + rng());
        const z = w.reduce((a, b) => a + b, 0);
        return Float32Array.from(w, (x) => x / z);
      });
      const drafts = [0, 1, 2];
      // Mass q puts past the target's vocabulary plays no part in p's residual.
      const padded = q.map((qi) => Float32Array.from({ length: VOCAB }, (_, j) => qi[j] ?? 0));
      const exact = exactVerdicts(rows, VOCAB, drafts, padded, params);
      expect(chiSquareP(sampleVerdicts(rows, VOCAB, drafts, q, params, seed + 40), exact, SAMPLES)).toBeGreaterThan(0.001);
    }
  });

  it('with no drafts, the token comes from row 0', () => {
    const params = CONFIGS[0]!;
    const rows = randomRows(1, VOCAB, 7);
    expect(
      chiSquareP(sampleVerdicts(rows, VOCAB, [], undefined, params, 3), exactVerdicts(rows, VOCAB, [], undefined, params), SAMPLES),
    ).toBeGreaterThan(0.001);
  });

  it('the test has power: verdicts of other rows or another rule fail it', () => {
    const params = CONFIGS[0]!;
    const rows = randomRows(K + 1, VOCAB, 11);
    const drafts = [0, 1, 2];
    const counts = sampleVerdicts(rows, VOCAB, drafts, undefined, params, 12);
    // Rows shifted by one: draft i scored against row i + 1.
    const shifted = new Float32Array(rows.length);
    shifted.set(rows.subarray(VOCAB));
    shifted.set(rows.subarray(0, VOCAB), K * VOCAB);
    expect(chiSquareP(counts, exactVerdicts(shifted, VOCAB, drafts, undefined, params), SAMPLES)).toBeLessThan(0.001);
    expect(chiSquareP(counts, exactVerdicts(rows, VOCAB, drafts, undefined, CONFIGS[1]!), SAMPLES)).toBeLessThan(0.001);
  });
});
