// The one-pass bounds on p(d) must contain the exact probability on every kind of row (peaked, flat,
// cut among the heavy tokens or among the light ones), and the acceptance rule built on them must
// make the exact rule's decisions while drawing the same uniforms.
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { argmax, probabilityOf, rowDistribution, type SamplingParams } from '../sampling';
import { acceptsDraft } from './accept';
import { boundsScratch, draftProbabilityBounds, MAX_HEAVY } from './draft-bounds';

/** Bulk logits with a few strong candidates, like an LM head; `spread` sets how flat the bulk is. */
function row(n: number, seed: number, spread: number, spikes: number[]): Float32Array {
  const rng = createRng(seed);
  const out = Float32Array.from({ length: n }, () => (rng() + rng() + rng() - 1.5) * spread);
  spikes.forEach((v, i) => (out[Math.floor(rng() * n) + (i % 2)] = v));
  return out;
}

const ROWS = [
  row(5000, 1, 3, [14, 13, 12, 11, 10]), // bulk carries most of the mass: the cut falls among light tokens
  row(5000, 2, 1, [30, 29.5, 27]), // peaked: the cut falls among heavy tokens
  row(3000, 3, 0.2, []), // flat: every token is heavy
  row(MAX_HEAVY + 500, 4, 0, [0.5]), // all tokens tie but one: too many heavy tokens, no bounds
  row(20_000, 7, 3, [30, 29]), // measured from a bulk token, the heavy tokens overflow until the maximum is known
  Float32Array.of(5, 5, 5, 1, -80, 5), // exact ties at the cut
  Float32Array.of(40, 0, -1, -2), // one token carries everything but a sliver
  Float32Array.of(100, -100, -120), // one token has all the weight
];
const PARAMS: SamplingParams[] = [0.3, 0.8, 1.5].flatMap((temperature) => [0.5, 0.9, 0.95, 1].map((topP) => ({ temperature, topP })));

function candidates(r: Float32Array): number[] {
  const top = argmax(r);
  const sorted = [...r.keys()].sort((a, b) => r[b]! - r[a]! || a - b);
  return [top, ...sorted.slice(1, 6), sorted[Math.floor(sorted.length / 2)]!, sorted.at(-1)!, 1, 3, -1, r.length];
}

/** Every row, sampling setting and candidate token, with the exact p(d). */
function* everyCase(): Generator<{ r: Float32Array; params: SamplingParams; d: number; p: number }> {
  for (const r of ROWS) {
    for (const params of PARAMS) {
      const exact = rowDistribution(r, params);
      for (const d of candidates(r)) yield { r, params, d, p: d >= 0 && d < r.length ? probabilityOf(exact, r, d) : 0 };
    }
  }
}

describe('draft probability bounds', () => {
  it('contain the exact p(d) on every kind of row', () => {
    const heavy = boundsScratch();
    let decided = 0;
    let cases = 0;
    for (const { r, params, d, p } of everyCase()) {
      const b = draftProbabilityBounds(r, params, 0, r.length, d, heavy);
      cases++;
      if (!b) continue;
      expect(b.lo, `lo, d=${d}, ${JSON.stringify(params)}`).toBeLessThanOrEqual(p * (1 + 1e-13));
      expect(b.hi, `hi, d=${d}, ${JSON.stringify(params)}`).toBeGreaterThanOrEqual(p * (1 - 1e-13));
      if (b.hi - b.lo < 1e-3 * Math.max(p, 1e-12)) decided++;
    }
    // Most cases get tight bounds: the cheap pass is worth it.
    expect(decided / cases).toBeGreaterThan(0.5);
  });

  it('are exact where p(d) is exactly 1 or 0', () => {
    const heavy = boundsScratch();
    const params = { temperature: 0.8, topP: 0.95 };
    expect(draftProbabilityBounds(Float32Array.of(100, -100, -120), params, 0, 3, 0, heavy)).toEqual({ lo: 1, hi: 1 });
    expect(draftProbabilityBounds(Float32Array.of(40, 14, 13, 0), params, 0, 4, 0, heavy)).toEqual({ lo: 1, hi: 1 });
    expect(draftProbabilityBounds(Float32Array.of(40, 14, 13, 0), params, 0, 4, 1, heavy)).toEqual({ lo: 0, hi: 0 });
  });

  it('stay valid at the edges of what one pass knows', () => {
    const heavy = boundsScratch();
    const contains = (r: Float32Array, params: SamplingParams, d: number) => {
      const p = probabilityOf(rowDistribution(r, params), r, d);
      const b = draftProbabilityBounds(r, params, 0, r.length, d, heavy)!;
      expect(b.lo, `lo, d=${d}`).toBeLessThanOrEqual(p);
      expect(b.hi, `hi, d=${d}`).toBeGreaterThanOrEqual(p);
    };
    // Light tokens on exact table steps (the table weight is exact), the cut among them: the kept
    // mass exceeds topP·Z by up to one light weight.
    const onSteps = Float32Array.from({ length: 2001 }, (_, i) => (i === 0 ? 0 : -7));
    contains(onSteps, { temperature: 1, topP: 0.9 }, 0);
    // The cut among 20 tied heavy tokens, where the light mass leaves it uncertain: the eleventh
    // tie (by id) is cut, and the bounds must not claim it is kept.
    const ties = Float32Array.from({ length: 3021 }, (_, i) => (i === 0 ? 0 : i <= 20 ? -1 : -7.3));
    const z = rowDistribution(ties, { temperature: 1, topP: 1 }).kept;
    const boundary = 1 + 10 * probabilityOf(rowDistribution(ties, { temperature: 1, topP: 1 }), ties, 1) * z;
    const params = { temperature: 1, topP: (boundary / z) * (1 - 1e-7) };
    expect(probabilityOf(rowDistribution(ties, params), ties, 11)).toBe(0);
    for (const d of [0, 10, 11, 20, 21]) contains(ties, params, d);
  });

  it('read a row inside a larger buffer', () => {
    const heavy = boundsScratch();
    const a = row(2000, 5, 2, [9, 8]);
    const b = row(2000, 6, 2, [12, 7]);
    const both = new Float32Array(4000);
    both.set(a);
    both.set(b, 2000);
    const params = { temperature: 1, topP: 0.9 };
    const d = argmax(b);
    const p = probabilityOf(rowDistribution(b, params), b, d);
    const bounds = draftProbabilityBounds(both, params, 2000, 2000, d, heavy)!;
    expect(bounds.lo).toBeLessThanOrEqual(p);
    expect(bounds.hi).toBeGreaterThanOrEqual(p);
  });
});

describe('acceptsDraft', () => {
  it("makes the exact rule's decisions and draws the same uniforms", () => {
    const heavy = boundsScratch();
    const rng = createRng(9);
    let accepted = 0;
    let rejected = 0;
    for (const { r, params, d, p } of everyCase()) {
      for (const qd of [0, 1e-6, 0.01, 0.3, 0.9, 1, p, p * 0.999]) {
        const bounds = qd > 0 ? draftProbabilityBounds(r, params, 0, r.length, d, heavy) : undefined;
        const seed = Math.floor(rng() * 1e9);
        const a = createRng(seed);
        const b = createRng(seed);
        const want = qd > 0 && (p >= qd || a() < p / qd);
        const got = acceptsDraft(qd, bounds, () => p, b);
        expect(got, `d=${d} qd=${qd} p=${p}`).toBe(want);
        // The next uniform is the same: both drew exactly as many.
        expect(b()).toBe(a());
        if (got) accepted++;
        else rejected++;
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });

  it('reads p only where its bounds do not decide, and then decides exactly', () => {
    // Synthetic bounds around p, so every branch is reached: bounds that decide on their own, bounds
    // that straddle qd, and bounds below qd where the uniform falls before, between or after them.
    const cases: [lo: number, p: number, hi: number, qd: number][] = [
      [0.5, 0.6, 0.7, 0.4], // lo ≥ qd: accepted without p or a uniform
      [0.3, 0.45, 0.6, 0.5], // straddles qd: p is needed
      [0.2, 0.3, 0.4, 0.8], // below qd: the uniform decides, p only between lo/qd and hi/qd
    ];
    for (const [lo, p, hi, qd] of cases) {
      for (let k = 0; k <= 20; k++) {
        const u = k / 20 - 1e-9 * (k === 20 ? 1 : 0);
        let reads = 0;
        const exact = () => (reads++, p);
        const draws: number[] = [];
        const rng = () => (draws.push(u), u);
        const got = acceptsDraft(qd, { lo, hi }, exact, rng);
        expect(got, `lo=${lo} p=${p} hi=${hi} qd=${qd} u=${u}`).toBe(p >= qd || u < p / qd);
        expect(draws.length).toBe(p >= qd ? 0 : 1);
        const decidedByBounds = lo >= qd || (hi < qd && (u < lo / qd || u >= hi / qd));
        expect(reads, `p read though the bounds decided (u=${u})`).toBe(decidedByBounds ? 0 : 1);
      }
    }
  });
});
