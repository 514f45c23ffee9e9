// Test helpers for anything that samples: the sampling distribution computed the slow, obvious way
// (float64 softmax, a full sort for top-p), and a chi-square goodness-of-fit check of observed
// draws against exact probabilities.
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { createRng } from '../../src/lib/rng';
import type { SamplingParams } from '../../src/lib/sampling';

/** Softmax in float64 and top-p by sorting the whole row: an independent reference for the sampler. */
export function naiveDistribution(row: ArrayLike<number>, temperature: number, topP: number): Float64Array {
  const values = Array.from(row);
  const max = values.reduce((m, x) => (x > m ? x : m), Number.NEGATIVE_INFINITY);
  const e = values.map((x) => Math.exp((x - max) / temperature));
  const z = e.reduce((a, b) => a + b, 0);
  const p = e.map((x) => x / z);
  const out = new Float64Array(p.length);
  if (topP >= 1) {
    out.set(p);
    return out;
  }
  const order = [...p.keys()].sort((a, b) => p[b]! - p[a]! || a - b);
  let mass = 0;
  for (const i of order) {
    if (mass >= topP) break;
    out[i] = p[i]!;
    mass += p[i]!;
  }
  return out.map((x) => x / mass);
}

/**
 * Chi-square goodness-of-fit p-value of observed counts against exact probabilities. Cells
 * expected below 5 are pooled; an observed outcome with probability 0 fails the test outright.
 */
export function chiSquareP(counts: ReadonlyMap<string, number>, exact: ReadonlyMap<string, number>, samples: number): number {
  for (const key of counts.keys()) if (!exact.has(key)) return 0;
  let chi = 0;
  let bins = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (const [key, p] of exact) {
    const e = p * samples;
    const o = counts.get(key) ?? 0;
    if (e < 5) {
      pooledObserved += o;
      pooledExpected += e;
      continue;
    }
    chi += (o - e) ** 2 / e;
    bins++;
  }
  if (pooledExpected >= 1) {
    chi += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
    bins++;
  } else if (pooledObserved > 3 * pooledExpected + 3) return 0;
  return bins < 2 ? 1 : 1 - chisquareCdf(chi, bins - 1);
}

/** Seeded random logits rows for acceptance tests. */
export function randomRows(rows: number, vocab: number, seed: number, spread = 2.5): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * vocab }, () => (2 * rng() - 1) * spread);
}

export const rowOf = (rows: Float32Array, vocab: number, i: number) => rows.subarray(i * vocab, (i + 1) * vocab);

/** Draft distributions q that differ from the target rows (half target, half seeded noise). */
export function draftDistributions(rows: Float32Array, vocab: number, k: number, params: SamplingParams, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: k }, (_, i) => {
    const p = naiveDistribution(rowOf(rows, vocab, i), params.temperature, params.topP);
    const noise = Array.from({ length: vocab }, () => (rng() < 0.3 ? 0 : rng()));
    const z = noise.reduce((s, x) => s + x, 0);
    return Float32Array.from(p, (pj, j) => 0.5 * pj + (0.5 * noise[j]!) / z);
  });
}

/** Temperatures and top-p values the acceptance tests run under. */
export const CONFIGS: SamplingParams[] = [
  { temperature: 1, topP: 1 },
  { temperature: 0.7, topP: 0.7 },
  { temperature: 1.4, topP: 0.9 },
];
