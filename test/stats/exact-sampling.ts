// Test helpers for anything that samples: the sampling distribution computed the slow, obvious way
// (float64 softmax, a full sort for top-p), and a chi-square goodness-of-fit check of observed
// draws against exact probabilities.
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

/** Softmax in float64 and top-p by sorting the whole row: an independent reference for the sampler. */
export function naiveDistribution(row: ArrayLike<number>, temperature: number, topP: number): Float64Array {
  const values = Array.from(row);
  const max = Math.max(...values);
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
