// The sampling distribution of one row of logits (temperature, then top-p), described without
// sorting the vocabulary or materialising it: the row's maximum, per-bucket kept weights and the exact
// top-p cut. Drawing from it lives in sampling.ts; draft-token bounds read its exp table.
//
// exp() is evaluated with a table and a short polynomial (relative error < 1e-8, finer than float32
// arithmetic): Math.exp is the bottleneck at a 152k vocabulary. Terms more than 40 × T below
// the row's maximum (weight < 4e-18 each) count as zero.

export interface SamplingParams {
  /** 0 means greedy (argmax). */
  temperature: number;
  /** Nucleus mass in (0, 1]; 1 disables top-p. */
  topP: number;
}

/** Gaps past CUTOFF × T below the maximum weigh 0; exp() has STEPS table entries per unit of gap / T. */
export const CUTOFF = 40;
export const STEPS = 256;
export const EXP_TABLE = Float64Array.from({ length: CUTOFF * STEPS + 1 }, (_, k) => Math.exp(-k / STEPS));

/** Table steps per top-p bucket (a power of two, so a bucket is k >> BUCKET_SHIFT): 1/4 unit of y. */
export const BUCKET_SHIFT = 6;
const BUCKETS = ((CUTOFF * STEPS) >> BUCKET_SHIFT) + 1;
const SUB_MASK = (1 << BUCKET_SHIFT) - 1;

function sumBefore(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]!;
  return s;
}

/** exp(−y / STEPS) for 0 ≤ y < CUTOFF·STEPS (|r| < 1/256: the quadratic's error is below 1e-8). */
export function expScaled(y: number): number {
  const k = y | 0;
  const r = (k - y) * (1 / STEPS);
  return EXP_TABLE[k]! * (1 + r * (1 + 0.5 * r));
}

/** The largest value in `row[offset .. end)`. */
export function rowMax(row: Float32Array, offset: number, end: number): number {
  // Four independent maxima keep the comparisons from waiting on each other.
  let a = Number.NEGATIVE_INFINITY;
  let b = a;
  let c = a;
  let e = a;
  let j = offset;
  for (; j + 3 < end; j += 4) {
    const x0 = row[j]!;
    const x1 = row[j + 1]!;
    const x2 = row[j + 2]!;
    const x3 = row[j + 3]!;
    if (x0 > a) a = x0;
    if (x1 > b) b = x1;
    if (x2 > c) c = x2;
    if (x3 > e) e = x3;
  }
  for (; j < end; j++) if (row[j]! > a) a = row[j]!;
  return Math.max(a, b, c, e);
}

/** The sampling distribution of one row, described without materialising it. */
export interface RowDistribution {
  offset: number;
  length: number;
  max: number;
  /** STEPS / temperature: scales (max − logit) into table steps. */
  scale: number;
  /** Total weight of the kept (top-p) tokens. */
  kept: number;
  /**
   * Tokens whose bucket is below cutBucket are kept; inside it, those whose sub-bin is below cutSub,
   * and in that sub-bin those with weight > cutWeight, or = with id ≤ cutId.
   */
  cutBucket: number;
  cutSub: number;
  cutWeight: number;
  cutId: number;
  /** Kept weight per bucket (buckets past the cut are 0), for drawing a bucket first. */
  buckets: Float64Array;
}

export function rowDistribution(row: Float32Array, params: SamplingParams, offset = 0, length = row.length - offset): RowDistribution {
  const end = offset + length;
  const max = rowMax(row, offset, end);
  const scale = STEPS / params.temperature;
  const limit = CUTOFF * STEPS;
  const buckets = new Float64Array(BUCKETS);
  let total = 0;
  for (let j = offset; j < end; j++) {
    const y = (max - row[j]!) * scale;
    if (y >= limit) continue;
    const k = y | 0;
    const r = (k - y) * (1 / STEPS);
    const w = EXP_TABLE[k]! * (1 + r * (1 + 0.5 * r));
    total += w;
    buckets[k >> BUCKET_SHIFT]! += w;
  }
  if (params.topP >= 1)
    return { offset, length, max, scale, kept: total, cutBucket: BUCKETS, cutSub: 0, cutWeight: 0, cutId: length, buckets };
  // The bucket where the kept mass reaches topP; inside it, order exactly (weight desc, id asc).
  const target = params.topP * total;
  let before = 0;
  let cutBucket = 0;
  while (cutBucket < BUCKETS - 1 && before + buckets[cutBucket]! < target) before += buckets[cutBucket++]!;
  // Members of the cut bucket, then their sub-bins (one table step each), then an exact order
  // (weight desc, id asc) inside the sub-bin where the mass is reached.
  const memberIds: number[] = [];
  const memberWeights: number[] = [];
  const memberSteps: number[] = [];
  const subMass = new Float64Array(1 << BUCKET_SHIFT);
  const lo = (cutBucket << BUCKET_SHIFT) / scale;
  const hi = ((cutBucket + 1) << BUCKET_SHIFT) / scale;
  for (let j = offset; j < end; j++) {
    const gap = max - row[j]!;
    // A cheap pre-filter on the logit; the exact bucket test follows.
    if (gap < lo - 1e-9 || gap > hi + 1e-9) continue;
    const y = gap * scale;
    if (y >= limit) continue;
    const k = y | 0;
    if (k >> BUCKET_SHIFT !== cutBucket) continue;
    const w = expScaled(y);
    memberIds.push(j - offset);
    memberWeights.push(w);
    memberSteps.push(k);
    subMass[k & SUB_MASK]! += w;
  }
  let cutSub = 0;
  while (cutSub < SUB_MASK && before + subMass[cutSub]! < target) before += subMass[cutSub++]!;
  const order = memberIds.map((_, i) => i).filter((i) => (memberSteps[i]! & SUB_MASK) === cutSub);
  order.sort((a, b) => memberWeights[b]! - memberWeights[a]! || memberIds[a]! - memberIds[b]!);
  let kept = before;
  let cutWeight = 0;
  let cutId = -1;
  for (const i of order) {
    kept += memberWeights[i]!;
    cutWeight = memberWeights[i]!;
    cutId = memberIds[i]!;
    if (kept >= target) break;
  }
  before -= sumBefore(subMass, cutSub);
  buckets[cutBucket] = kept - before;
  buckets.fill(0, cutBucket + 1);
  return { offset, length, max, scale, kept, cutBucket, cutSub, cutWeight, cutId, buckets };
}

/** Unnormalised weight of token `j` under the distribution (0 when top-p cut it). */
export function weightOf(d: RowDistribution, row: Float32Array, j: number): number {
  if (j < 0 || j >= d.length) return 0;
  const y = (d.max - row[d.offset + j]!) * d.scale;
  if (y >= CUTOFF * STEPS) return 0;
  const w = expScaled(y);
  if (d.cutBucket >= BUCKETS) return w;
  const k = y | 0;
  const b = k >> BUCKET_SHIFT;
  if (b < d.cutBucket) return w;
  if (b > d.cutBucket) return 0;
  const sub = k & SUB_MASK;
  if (sub < d.cutSub) return w;
  if (sub > d.cutSub) return 0;
  return w > d.cutWeight || (w === d.cutWeight && j <= d.cutId) ? w : 0;
}

export function probabilityOf(d: RowDistribution, row: Float32Array, j: number): number {
  return weightOf(d, row, j) / d.kept;
}

/** The top-p bucket a token falls in. */
export function bucketOf(d: RowDistribution, row: Float32Array, j: number): number {
  return (((d.max - row[d.offset + j]!) * d.scale) | 0) >> BUCKET_SHIFT;
}

/** Writes the normalised distribution into `out` (length = vocab) and returns it. */
export function distributionInto(row: Float32Array, params: SamplingParams, out: Float32Array, offset = 0): Float32Array {
  const d = rowDistribution(row, params, offset, out.length);
  for (let j = 0; j < out.length; j++) out[j] = weightOf(d, row, j) / d.kept;
  return out;
}
