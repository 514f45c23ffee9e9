// The acceptance rules row by row, without a model: greedy acceptance against each row's argmax,
// and at temperature > 0 the exact distribution of the verdict (how many drafts are accepted, and
// the correction or bonus token) for point-mass drafts and for drafts from a draft distribution q.
// Row i scores draft i, a rejection at i draws from row i's residual, the bonus comes from row K.
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../rng';
import { distributionInto } from '../sampling';
import { rowDistribution } from '../row-distribution';
import { acceptGreedy, acceptSampled, drawResidual, scratchFor } from './accept';
import { naiveDistribution, randomRows, rowOf, CONFIGS, draftDistributions } from '../../../test/stats/exact-sampling';

const always =
  (u: number): Rng =>
  () =>
    u;
/** The largest value a generator of uniform numbers in [0, 1) returns. */
const ALMOST_ONE = 1 - 2 ** -32;

const VOCAB = 5;
const K = 3;

describe('acceptSampled: accept and reject decisions', () => {
  const params = CONFIGS[0]!;
  const rows = randomRows(K + 1, VOCAB, 21);
  const p = Array.from({ length: K + 1 }, (_, i) => naiveDistribution(rowOf(rows, VOCAB, i), params.temperature, params.topP));

  it('a uniform number of 0 accepts every draft the target can produce, and the bonus follows', () => {
    const drafts = [0, 3, 4];
    const v = acceptSampled(rows, VOCAB, drafts, undefined, params, always(0));
    expect(v.accepted).toBe(K);
    expect(p[K]![v.next]).toBeGreaterThan(0);
  });

  it('a point-mass draft is accepted exactly when the uniform number is below p(d)', () => {
    for (let i = 0; i < K; i++) {
      for (let d = 0; d < VOCAB; d++) {
        const drafts = [0, 1, 2].map((x, j) => (j === i ? d : (x + i) % VOCAB));
        // Earlier drafts: always accepted (u = 0 is below any positive p). Draft i: u just below and above p_i(d).
        const accepted = (u: number) =>
          acceptSampled(
            rows,
            VOCAB,
            drafts,
            undefined,
            params,
            (() => {
              let calls = 0;
              return () => (calls++ < i ? 0 : u);
            })(),
          ).accepted;
        expect(accepted(p[i]![d]! * 0.999)).toBeGreaterThan(i);
        expect(accepted(Math.min(ALMOST_ONE, p[i]![d]! * 1.001))).toBe(i);
      }
    }
  });

  it('a point-mass draft that is rejected is never the correction', () => {
    const drafts = [1, 1, 1];
    for (let s = 0; s < 2000; s++) {
      const v = acceptSampled(rows, VOCAB, drafts, undefined, params, createRng(s));
      if (v.accepted < K) expect(v.next).not.toBe(1);
    }
  });

  it('a draft the target cut off with top-p is always rejected, and the correction is a token the target keeps', () => {
    const tight = { temperature: 1, topP: 0.3 };
    const pt = naiveDistribution(rowOf(rows, VOCAB, 0), tight.temperature, tight.topP);
    const cut = pt.findIndex((x) => x === 0);
    expect(cut).toBeGreaterThanOrEqual(0);
    const q = [Float32Array.from({ length: VOCAB }, (_, j) => (j === cut ? 1 : 0))];
    for (const qq of [undefined, q]) {
      const v = acceptSampled(rows, VOCAB, [cut], qq, tight, always(0));
      expect(v.accepted).toBe(0);
      expect(pt[v.next]).toBeGreaterThan(0);
    }
  });

  it('a draft outside the vocabulary is rejected, at any row', () => {
    for (const bad of [-1, VOCAB]) {
      for (const qq of [undefined, draftDistributions(rows, VOCAB, K, params, 4)]) {
        expect(acceptSampled(rows, VOCAB, [bad, 0, 0], qq, params, always(0)).accepted).toBe(0);
        expect(acceptSampled(rows, VOCAB, [0, bad, 0], qq, params, always(0)).accepted).toBe(1);
        expect(acceptSampled(rows, VOCAB, [0, 0, bad], qq, params, always(0)).accepted).toBe(2);
      }
    }
  });

  it('a draft outside the draft distribution is rejected', () => {
    const q = [Float32Array.from({ length: VOCAB }, (_, j) => (j === 2 ? 1 : 0))];
    expect(acceptSampled(rows, VOCAB, [4], q, params, always(0)).accepted).toBe(0);
  });

  it('when q is the target’s own distribution, every draft is accepted', () => {
    const drafts = [4, 0, 2];
    // Float32 rounding of q may leave p(d)/q(d) a hair below 1: hence 0.9999, not the largest uniform.
    const q = Array.from({ length: K }, (_, i) => distributionInto(rowOf(rows, VOCAB, i), params, new Float32Array(VOCAB)));
    const v = acceptSampled(rows, VOCAB, drafts, q, params, always(0.9999));
    expect(v.accepted).toBe(K);
  });

  it('a draft with p(d) ≥ q(d) is accepted, one with p(d) < q(d) is accepted with probability p/q', () => {
    const d = argmaxOf(p[0]!);
    const below = Float32Array.from({ length: VOCAB }, (_, j) => (j === d ? p[0]![d]! / 2 : (1 - p[0]![d]! / 2) / (VOCAB - 1)));
    expect(acceptSampled(rows, VOCAB, [d], [below], params, always(ALMOST_ONE)).accepted).toBe(1);
    const r = Math.min(1, p[0]![d]! / 0.999);
    const above = Float32Array.from({ length: VOCAB }, (_, j) => (j === d ? 0.999 : 0.001 / (VOCAB - 1)));
    expect(acceptSampled(rows, VOCAB, [d], [above], params, always(r * 0.999)).accepted).toBe(1);
    const v = acceptSampled(rows, VOCAB, [d], [above], params, always(Math.min(ALMOST_ONE, r * 1.001)));
    expect(v.accepted).toBe(0);
    // The residual max(p − q, 0) has no mass on d.
    expect(v.next).not.toBe(d);
  });

  it('the residual after a rejection is max(p − q, 0): tokens where q ≥ p are never drawn', () => {
    const q = [Float32Array.from(p[0]!, (pj, j) => (j % 2 === 0 ? Math.min(1, pj * 1.5) : pj * 0.5))];
    const z = q[0]!.reduce((s, x) => s + x, 0);
    for (let j = 0; j < VOCAB; j++) q[0]![j]! /= z;
    const rng = createRng(5);
    let rejected = 0;
    for (let s = 0; s < 3000; s++) {
      const v = acceptSampled(rows, VOCAB, [0], q, params, rng);
      if (v.accepted === 1) continue;
      rejected++;
      expect(q[0]![v.next]!).toBeLessThan(p[0]![v.next]!);
    }
    expect(rejected).toBeGreaterThan(100);
  });

  it('a fresh scratch per call and one reused across calls give the same verdicts', () => {
    // Draft distributions with different supports, so one call's overlap would leak into the next.
    const supports = [
      [0, 1],
      [2, 3, 4],
      [1, 4],
    ];
    const qs = supports.map((support) => [Float32Array.from({ length: VOCAB }, (_, j) => (support.includes(j) ? 1 / support.length : 0))]);
    const scratch = scratchFor(VOCAB);
    const a = createRng(9);
    const b = createRng(9);
    for (let s = 0; s < 600; s++) {
      const q = qs[s % qs.length]!;
      const drafts = [supports[s % qs.length]![0]!];
      expect(acceptSampled(rows, VOCAB, drafts, q, params, a, scratch)).toEqual(acceptSampled(rows, VOCAB, drafts, q, params, b));
    }
  });
});

function argmaxOf(p: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
  return best;
}

describe('acceptGreedy', () => {
  // Row argmaxes: 2, 0 (tied with 3: the lower index wins), 4, 1.
  const rows = Float32Array.of(0, 1, 5, 2, 3, /**/ 4, 1, 0, 4, 2, /**/ 0, 0, 1, 2, 3, /**/ 0, 9, 1, 1, 1);
  it('accepts while each draft is its row’s argmax, then corrects with the argmax of the next row', () => {
    expect(acceptGreedy(rows, 5, [2, 0, 4])).toEqual({ accepted: 3, next: 1 });
    expect(acceptGreedy(rows, 5, [2, 0, 1])).toEqual({ accepted: 2, next: 4 });
    expect(acceptGreedy(rows, 5, [2, 3, 4])).toEqual({ accepted: 1, next: 0 });
    expect(acceptGreedy(rows, 5, [1, 0, 4])).toEqual({ accepted: 0, next: 2 });
    expect(acceptGreedy(rows, 5, [2])).toEqual({ accepted: 1, next: 0 });
    expect(acceptGreedy(rows, 5, [])).toEqual({ accepted: 0, next: 2 });
  });
  it('rejects a draft outside the vocabulary', () => {
    expect(acceptGreedy(rows, 5, [7])).toEqual({ accepted: 0, next: 2 });
    expect(acceptGreedy(rows, 5, [-1])).toEqual({ accepted: 0, next: 2 });
  });
});

describe('drawResidual (the exact path after the rejection draws give up)', () => {
  it('is the inverse CDF of max(p − q, 0), renormalised, and leaves its scratch clean', () => {
    const vocab = 6;
    const grid = 6000;
    for (const [c, params] of CONFIGS.entries()) {
      const row = randomRows(1, vocab, 300 + c);
      const [q] = draftDistributions(randomRows(1, vocab, 400 + c), vocab, 1, params, 500 + c);
      const p = naiveDistribution(row, params.temperature, params.topP);
      const residual = Array.from(p, (pj, j) => Math.max(0, pj - q![j]!));
      const mass = residual.reduce((a, b) => a + b, 0);
      const overlap = new Float64Array(vocab);
      const dist = rowDistribution(row, params);
      const counts = new Array<number>(vocab).fill(0);
      for (let k = 0; k < grid; k++) counts[drawResidual(dist, row, q!, (k + 0.5) / grid, overlap)]!++;
      for (let j = 0; j < vocab; j++)
        expect(Math.abs(counts[j]! / grid - residual[j]! / mass), `token ${j}, config ${c}`).toBeLessThan(2e-3);
      expect([...overlap].every((x) => x === 0)).toBe(true);
    }
  });
});
