// The sampler against the obvious definition (float64 softmax, full sort for top-p) on small rows
// built to hit its corners: ties and near-ties at the top-p cut, rows inside larger buffers, tokens
// far below the maximum, one token left out. Draws are checked with a chi-square test, values exactly.
import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import {
  argmax,
  distributionInto,
  isArgmax,
  rowDistribution,
  sampleCategorical,
  sampleRow,
  sampleToken,
  type SamplingParams,
} from './sampling';
import { chiSquareP, naiveDistribution } from '../../test/stats/exact-sampling';
import { scaled } from '../../test/fakes/test-scale';

const SAMPLES = scaled(20_000);

/** Logits with exact ties, near-ties (closer than one table step) and wide gaps. */
const ROWS: Float32Array[] = [
  Float32Array.of(1, 1, 1, 1),
  Float32Array.of(2, 1.999, 1.998, 0.5, 0.5, -1, -3),
  Float32Array.of(0, 0.3, 0.3001, 0.6, 0.9, 1.2, 1.5, 1.8),
  Float32Array.of(-2, 4, 3.9, 3.8, 1, 1, 1, 0),
  Float32Array.of(5, -5, 0, 2.5, 2.5, 2.49, -1),
  // Near-ties in reverse id order: inside the cut's sub-bin a lower id does not rescue a lighter token.
  Float32Array.of(1.998, 1.999, 2, -1),
  // Gaps of exact quarters (exact in float32): tokens on the boundaries of the sampler's buckets.
  Float32Array.of(2, 1.75, 1.5, 1.25, 1, 0.75, 1.75),
];
const PARAMS: SamplingParams[] = [
  { temperature: 1, topP: 1 },
  { temperature: 0.5, topP: 1 },
  { temperature: 2, topP: 0.95 },
  { temperature: 1, topP: 0.6 },
  { temperature: 0.7, topP: 0.3 },
  { temperature: 1.3, topP: 0.05 },
];

const exactMap = (p: ArrayLike<number>) => new Map(Array.from(p, (x, j) => [String(j), x] as const).filter(([, x]) => x > 0));

function counts(draw: () => number): Map<string, number> {
  const c = new Map<string, number>();
  for (let s = 0; s < SAMPLES; s++) {
    const key = String(draw());
    c.set(key, (c.get(key) ?? 0) + 1);
  }
  return c;
}

/** The row embedded in a larger buffer whose other entries would dominate if read. */
function embedded(row: Float32Array, before: number, after: number): Float32Array {
  const out = new Float32Array(before + row.length + after).fill(50);
  out.set(row, before);
  return out;
}

describe('distributionInto equals softmax with temperature, then top-p by a full sort', () => {
  it('on rows with ties and near-ties at the cut', () => {
    for (const row of ROWS) {
      for (const params of PARAMS) {
        const expected = naiveDistribution(row, params.temperature, params.topP);
        const actual = distributionInto(row, params, new Float32Array(row.length));
        for (let j = 0; j < row.length; j++) {
          expect(actual[j]! > 0, `row ${row.join(' ')}, ${JSON.stringify(params)}, token ${j}`).toBe(expected[j]! > 0);
          expect(Math.abs(actual[j]! - expected[j]!)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('ties at the cut keep the lower ids', () => {
    const p = distributionInto(ROWS[0]!, { temperature: 1, topP: 0.5 }, new Float32Array(4));
    expect(Array.from(p)).toEqual([0.5, 0.5, 0, 0]);
    expect(Array.from(distributionInto(ROWS[0]!, { temperature: 1, topP: 0.25 }, new Float32Array(4)))).toEqual([1, 0, 0, 0]);
    expect(Array.from(distributionInto(ROWS[0]!, { temperature: 1, topP: 0.26 }, new Float32Array(4)))).toEqual([0.5, 0.5, 0, 0]);
  });

  it('reads a row at an offset inside a larger buffer', () => {
    for (const row of ROWS) {
      const params = { temperature: 1, topP: 0.9 };
      const expected = naiveDistribution(row, params.temperature, params.topP);
      const actual = distributionInto(embedded(row, 3, 2), params, new Float32Array(row.length), 3);
      for (let j = 0; j < row.length; j++) expect(Math.abs(actual[j]! - expected[j]!)).toBeLessThan(1e-6);
    }
  });

  it('tokens far below the maximum get (next to) nothing, tokens near it their share', () => {
    const row = Float32Array.of(0, -20, -39, -45, -1000);
    const p = distributionInto(row, { temperature: 1, topP: 1 }, new Float32Array(5));
    expect(p[1]).toBeCloseTo(Math.exp(-20), 12);
    expect(p[2]!).toBeGreaterThan(0);
    expect(p[3]!).toBeLessThan(1e-17);
    expect(p[4]).toBe(0);
    expect(p[0]).toBeCloseTo(1, 6);
  });
});

describe('sampleToken draws from the exact distribution', () => {
  for (const [r, row] of ROWS.entries()) {
    for (const params of PARAMS) {
      it(`row ${r}, T=${params.temperature}, top-p=${params.topP}`, () => {
        const rng = createRng(1000 * r + 10 * params.temperature + params.topP);
        const exact = exactMap(naiveDistribution(row, params.temperature, params.topP));
        expect(
          chiSquareP(
            counts(() => sampleToken(row, params, rng)),
            exact,
            SAMPLES,
          ),
        ).toBeGreaterThan(0.001);
      });
    }
  }

  it('a row at an offset inside a larger buffer', () => {
    const params = { temperature: 1, topP: 0.8 };
    const row = ROWS[2]!;
    const rng = createRng(3);
    const exact = exactMap(naiveDistribution(row, params.temperature, params.topP));
    expect(
      chiSquareP(
        counts(() => sampleToken(embedded(row, 5, 3), params, rng, 5, row.length)),
        exact,
        SAMPLES,
      ),
    ).toBeGreaterThan(0.001);
  });

  it('is the argmax at temperature 0, whatever top-p says', () => {
    for (const row of ROWS) for (const topP of [1, 0.5]) expect(sampleToken(row, { temperature: 0, topP }, createRng(1))).toBe(argmax(row));
    expect(sampleToken(embedded(ROWS[3]!, 2, 2), { temperature: 0, topP: 1 }, createRng(1), 2, 8)).toBe(1);
  });

  it('the test has power: the distribution at another temperature or top-p fails it', () => {
    const row = ROWS[2]!;
    const rng = createRng(4);
    const observed = counts(() => sampleToken(row, { temperature: 1, topP: 1 }, rng));
    expect(chiSquareP(observed, exactMap(naiveDistribution(row, 1.2, 1)), SAMPLES)).toBeLessThan(0.001);
    expect(chiSquareP(observed, exactMap(naiveDistribution(row, 1, 0.9)), SAMPLES)).toBeLessThan(0.001);
  });
});

/**
 * sampleRow maps its uniform number to tokens by an inverse CDF (each token owns one interval of
 * [0, 1), in whatever order), so on a grid of n evenly spaced numbers each token's share is within
 * 1/n of its probability: an exact, deterministic check.
 */
function expectGridShares(draw: (u: number) => number, expected: ArrayLike<number>, label: string, n = 512): void {
  const hits = new Array<number>(expected.length).fill(0);
  for (let i = 0; i < n; i++) {
    const t = draw((i + 0.5) / n);
    expect(t >= 0 && t < expected.length, `${label}: token ${t}`).toBe(true);
    hits[t]!++;
  }
  for (let j = 0; j < expected.length; j++) {
    if (expected[j] === 0) expect(hits[j], `${label}: token ${j} has no mass`).toBe(0);
    else expect(Math.abs(hits[j]! / n - expected[j]!), `${label}: token ${j}`).toBeLessThanOrEqual(1.01 / n);
  }
}

describe('sampleRow is an inverse CDF of the distribution, with or without one token left out', () => {
  for (const [r, row] of ROWS.entries()) {
    for (const params of PARAMS) {
      it(`row ${r}, T=${params.temperature}, top-p=${params.topP}`, () => {
        const p = naiveDistribution(row, params.temperature, params.topP);
        const d = rowDistribution(row, params);
        expectGridShares((u) => sampleRow(d, row, u), p, 'whole row');
        for (let x = 0; x < row.length; x++) {
          const rest = Array.from(p, (pj, j) => (j === x ? 0 : pj));
          const z = rest.reduce((s, v) => s + v, 0);
          if (z <= 0) continue;
          expectGridShares(
            (u) => sampleRow(d, row, u, x),
            rest.map((v) => v / z),
            `left out ${x}`,
          );
        }
      });
    }
  }

  it('leaving out a token outside the vocabulary or the top-p set changes nothing', () => {
    const row = ROWS[1]!;
    const params = { temperature: 1, topP: 0.6 };
    const d = rowDistribution(row, params);
    const p = naiveDistribution(row, params.temperature, params.topP);
    expect(p[6]).toBe(0);
    for (const x of [-1, 6, 7, 99]) expectGridShares((u) => sampleRow(d, row, u, x), p, `left out ${x}`);
  });

  it('a row at an offset inside a larger buffer', () => {
    const row = ROWS[3]!;
    const params = { temperature: 0.8, topP: 0.9 };
    const buf = embedded(row, 4, 2);
    const d = rowDistribution(buf, params, 4, row.length);
    expectGridShares((u) => sampleRow(d, buf, u), naiveDistribution(row, params.temperature, params.topP), 'embedded');
    expectGridShares(
      (u) => sampleRow(d, buf, u, 1),
      (() => {
        const p = Array.from(naiveDistribution(row, params.temperature, params.topP));
        const z = 1 - p[1]!;
        return p.map((v, j) => (j === 1 ? 0 : v / z));
      })(),
      'embedded, left out 1',
    );
  });
});

describe('argmax, isArgmax and sampleCategorical', () => {
  it('argmax and isArgmax read only their window of a larger buffer', () => {
    const buf = Float32Array.of(9, 1, 3, 3, 2, 9);
    expect(argmax(buf, 1, 4)).toBe(1);
    expect(isArgmax(buf, 1, 4, 1)).toBe(true);
    expect(isArgmax(buf, 1, 4, 2)).toBe(false);
    expect(isArgmax(buf, 1, 4, 0)).toBe(false);
    expect(isArgmax(buf, 1, 4, 4)).toBe(false);
    expect(argmax(Float32Array.of(-5, -4, -4.5))).toBe(1);
    expect(argmax(Float32Array.of(3, 1, 2))).toBe(0);
    expect(argmax(Float32Array.of(1, 2, 3))).toBe(2);
    expect(isArgmax(Float32Array.of(1, 2, 3), 0, 3, 2)).toBe(true);
    expect(isArgmax(Float32Array.of(3, 2, 3), 0, 3, 0)).toBe(true);
    expect(isArgmax(Float32Array.of(3, 2, 3), 0, 3, 2)).toBe(false);
  });

  it('sampleCategorical inverts the cumulative distribution, skipping zeros, with an unnormalised total', () => {
    const probs = Float32Array.of(0, 0.25, 0, 0.5, 0.25, 0);
    expect(sampleCategorical(probs, 0)).toBe(1);
    expect(sampleCategorical(probs, 0.2)).toBe(1);
    expect(sampleCategorical(probs, 0.25)).toBe(3);
    expect(sampleCategorical(probs, 0.74)).toBe(3);
    expect(sampleCategorical(probs, 0.75)).toBe(4);
    expect(sampleCategorical(probs, 0.999999)).toBe(4);
    // Rounding can leave the sum a hair short: the last token with mass is drawn, never a zero.
    expect(sampleCategorical(Float32Array.of(0.3, 0.3, 0), 0.9999)).toBe(1);
    const half = Float32Array.of(0.1, 0.2, 0.2);
    expect(sampleCategorical(half, 0.5, 0.5)).toBe(1);
    expect(sampleCategorical(half, 0.8, 0.5)).toBe(2);
    expect(sampleCategorical(half, 0.1, 0.5)).toBe(0);
    expect(sampleCategorical(half, 0.3, 0.5)).toBe(1);
  });
});
