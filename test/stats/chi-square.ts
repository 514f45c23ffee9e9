// Goodness of fit for the sampling tests: do observed draw counts follow the exact distribution?
// Test infrastructure, shared by the unit tests of the samplers (lib/speculative).

import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

export interface Bin {
  observed: number;
  expected: number;
}

/**
 * p-value of the chi-square test. Bins expecting fewer than `minExpected` draws are pooled into one,
 * so a count where nothing was expected (an impossible outcome) weighs heavily against the fit.
 */
export function chiSquareP(bins: Iterable<Bin>, minExpected = 5): number {
  let chi = 0;
  let n = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (const { observed, expected } of bins) {
    if (expected < minExpected) {
      pooledObserved += observed;
      pooledExpected += expected;
      continue;
    }
    chi += (observed - expected) ** 2 / expected;
    n++;
  }
  if (pooledExpected > 0 || pooledObserved > 0) {
    chi += (pooledObserved - pooledExpected) ** 2 / Math.max(pooledExpected, 1e-9);
    n++;
  }
  return 1 - chisquareCdf(chi, n - 1);
}
