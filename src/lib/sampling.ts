// Drawing tokens from rows of logits on the CPU. One definition of the sampling distribution
// (row-distribution.ts: temperature, then top-p) serves plain decoding, the draft model and the
// verification of draft tokens, so all of them draw from exactly the same distribution. Re-exports
// that module's public names, so callers import sampling from one place.

import type { Rng } from './rng';
import {
  bucketOf,
  BUCKET_SHIFT,
  probabilityOf,
  rowDistribution,
  weightOf,
  type RowDistribution,
  type SamplingParams,
} from './row-distribution';

export { CUTOFF, EXP_TABLE, STEPS, distributionInto, expScaled, probabilityOf, rowDistribution, rowMax } from './row-distribution';
export type { RowDistribution, SamplingParams } from './row-distribution';

/** Index of the largest value in `row[offset .. offset+length)`, relative to offset; ties go to the lower index. */
export function argmax(row: Float32Array, offset = 0, length = row.length - offset): number {
  let best = 0;
  let bestValue = row[offset]!;
  const end = offset + length;
  for (let j = offset + 1; j < end; j++) {
    const v = row[j]!;
    if (v > bestValue) {
      bestValue = v;
      best = j - offset;
    }
  }
  return best;
}

/** Whether `d` is the argmax (lowest index on ties) of the row; stops at the first counter-example. */
export function isArgmax(row: Float32Array, offset: number, length: number, d: number): boolean {
  if (d < 0 || d >= length) return false;
  const rd = row[offset + d]!;
  const mid = offset + d;
  for (let j = offset; j < mid; j++) if (row[j]! >= rd) return false;
  const end = offset + length;
  for (let j = mid + 1; j < end; j++) if (row[j]! > rd) return false;
  return true;
}

/**
 * Draws a token from a (possibly unnormalised) distribution given per bucket and per token: a
 * bucket first, by `bucketMass`, then a token inside it, so only that bucket's tokens are weighed.
 * `target` is uniform in [0, total mass).
 */
function drawByBucket(
  d: RowDistribution,
  row: Float32Array,
  target: number,
  bucketMass: (b: number) => number,
  tokenMass: (j: number) => number,
): number {
  let b = 0;
  for (; b < d.buckets.length - 1; b++) {
    const mass = bucketMass(b);
    if (target < mass) break;
    target -= mass;
  }
  const lo = (b << BUCKET_SHIFT) / d.scale;
  const hi = ((b + 1) << BUCKET_SHIFT) / d.scale;
  let acc = 0;
  let last = -1;
  for (let j = 0; j < d.length; j++) {
    const gap = d.max - row[d.offset + j]!;
    // A cheap pre-filter on the logit; the exact bucket test follows.
    if (gap < lo - 1e-9 || gap > hi + 1e-9 || bucketOf(d, row, j) !== b) continue;
    const m = tokenMass(j);
    if (m <= 0) continue;
    acc += m;
    last = j;
    if (target < acc) return j;
  }
  if (last >= 0) return last;
  // Rounding left the draw just past a bucket's mass: take any token with mass.
  for (let j = 0; j < d.length; j++) if (tokenMass(j) > 0) last = j;
  return last >= 0 ? last : argmax(row, d.offset, d.length);
}

/** Draws a token with one uniform number; `exclude` (a token) is left out and the rest renormalised. */
export function sampleRow(d: RowDistribution, row: Float32Array, u: number, exclude = -1): number {
  const excludedWeight = exclude >= 0 ? weightOf(d, row, exclude) : 0;
  const excludedBucket = excludedWeight > 0 ? bucketOf(d, row, exclude) : -1;
  return drawByBucket(
    d,
    row,
    u * (d.kept - excludedWeight),
    (b) => d.buckets[b]! - (b === excludedBucket ? excludedWeight : 0),
    (j) => (j === exclude ? 0 : weightOf(d, row, j)),
  );
}

/** Helpers for drawing from p minus a per-token overlap (speculative rejection residuals). */
export const residualBucketDraw = {
  bucketOf,
  /** `target` is in probability units (0 ≤ target < 1 − total overlap). */
  draw(d: RowDistribution, row: Float32Array, target: number, overlapByBucket: Float64Array, overlap: Float64Array): number {
    return drawByBucket(
      d,
      row,
      target,
      (b) => Math.max(0, d.buckets[b]! / d.kept - overlapByBucket[b]!),
      (j) => Math.max(0, probabilityOf(d, row, j) - overlap[j]!),
    );
  },
};

/** Draws an index from a distribution with one uniform number; `total` is its mass (1 if normalised). */
export function sampleCategorical(probs: Float32Array, u: number, total = 1): number {
  const target = u * total;
  let acc = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p <= 0) continue;
    acc += p;
    last = i;
    if (target < acc) return i;
  }
  return last;
}

/** Picks the next token from a logits row: argmax at temperature 0, otherwise temperature + top-p sampling. */
export function sampleToken(row: Float32Array, params: SamplingParams, rng: Rng, offset = 0, length = row.length - offset): number {
  if (params.temperature <= 0) return argmax(row, offset, length);
  return sampleRow(rowDistribution(row, params, offset, length), row, rng());
}
