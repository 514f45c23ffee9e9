// Bounds on p(d), the target's probability of one draft token, from one cheap pass over its row,
// so the acceptance test u < p(d)/q(d) is usually decided without the exact normaliser and top-p
// cut (several passes over the vocabulary). Tokens within HEAVY_STEPS of the maximum are weighed
// exactly, so a top-p cut among them is exact; the rest are read from the exp table without its
// correction term, which brackets each weight within a factor e^(−1/STEPS). When u falls between
// the bounds, or they cannot be drawn, the caller computes p(d) exactly: decisions stay the exact ones.

import { CUTOFF, EXP_TABLE, STEPS, expScaled, rowMax, type SamplingParams } from '../sampling';

/** Tokens with a gap below 6·T (weight above e^−6 of the maximum) are weighed exactly. */
const HEAVY_STEPS = 6 * STEPS;
/** A row with more heavy tokens than this (a flat row) gets no bounds. */
export const MAX_HEAVY = 4096;
/** A lower bound of the table's correction factor 1 + r + r²/2 for r in (−1/STEPS, 0]. */
export const LOW_FACTOR = 0.9961;
/** Relative slack covering float rounding between this summation order and the exact one. */
export const SLACK = 1e-9;
const LIMIT = CUTOFF * STEPS;
/** A module-local copy: an imported binding can cost a property read per use in a hot loop. */
const INV_STEPS = 1 / STEPS;

export interface Bounds {
  lo: number;
  hi: number;
}

const ZERO: Bounds = { lo: 0, hi: 0 };
const ONE: Bounds = { lo: 1, hi: 1 };

export function boundsScratch(): Int32Array {
  return new Int32Array(MAX_HEAVY);
}

/**
 * One pass from a reference value `ref`, raised to each larger value met (the light sum is then
 * rescaled exactly): light tokens (gap ≥ HEAVY_STEPS) summed by table weight, which bounds each
 * from above; the ids of the others written to `heavy` (n counts past its capacity too).
 */
function weighPass(
  row: Float32Array,
  offset: number,
  end: number,
  ref: number,
  scale: number,
  heavy: Int32Array,
): { max: number; light: number; n: number } {
  const table = EXP_TABLE;
  let max = ref;
  let light0 = 0;
  let light1 = 0;
  let n = 0;
  let j = offset;
  // Two tokens per step, with two sums, so consecutive additions do not wait on each other.
  for (; j + 1 < end; j += 2) {
    const x0 = row[j]!;
    const x1 = row[j + 1]!;
    if (x0 > max || x1 > max) {
      const top = x0 > x1 ? x0 : x1;
      const f = Math.exp((max - top) * scale * INV_STEPS);
      light0 *= f;
      light1 *= f;
      max = top;
    }
    const y0 = (max - x0) * scale;
    const y1 = (max - x1) * scale;
    if (y0 < HEAVY_STEPS) {
      if (n < MAX_HEAVY) heavy[n] = j - offset;
      n++;
    } else if (y0 < LIMIT) light0 += table[y0 | 0]!;
    if (y1 < HEAVY_STEPS) {
      if (n < MAX_HEAVY) heavy[n] = j + 1 - offset;
      n++;
    } else if (y1 < LIMIT) light1 += table[y1 | 0]!;
    if (n > MAX_HEAVY) return { max, light: light0 + light1, n };
  }
  if (j < end) {
    const x = row[j]!;
    if (x > max) {
      const f = Math.exp((max - x) * scale * INV_STEPS);
      light0 *= f;
      light1 *= f;
      max = x;
    }
    const y = (max - x) * scale;
    if (y < HEAVY_STEPS) {
      if (n < MAX_HEAVY) heavy[n] = j - offset;
      n++;
    } else if (y < LIMIT) light0 += table[y | 0]!;
  }
  return { max, light: light0 + light1, n };
}

/**
 * Bounds lo ≤ p(d) ≤ hi under the row's sampling distribution (temperature > 0, then top-p), or
 * undefined when one pass cannot bound it. `heavy` is scratch from boundsScratch().
 */
export function draftProbabilityBounds(
  row: Float32Array,
  params: SamplingParams,
  offset: number,
  length: number,
  d: number,
  heavy: Int32Array,
): Bounds | undefined {
  if (d < 0 || d >= length) return ZERO;
  const end = offset + length;
  const scale = STEPS / params.temperature;
  // An accepted draft token is usually the maximum or close to it: measuring from it spares a pass
  // for the maximum. When d is far below, its heavy tokens overflow and the maximum is found first.
  const ref = row[offset + d]!;
  let pass = weighPass(row, offset, end, Number.isNaN(ref) ? rowMax(row, offset, end) : ref, scale, heavy);
  if (pass.n > MAX_HEAVY) pass = weighPass(row, offset, end, rowMax(row, offset, end), scale, heavy);
  if (pass.n > MAX_HEAVY) return undefined;
  const max = pass.max;
  const yd = (max - row[offset + d]!) * scale;
  if (!(yd < LIMIT)) return ZERO;
  const wd = expScaled(yd);
  // Tokens taken as heavy against a lower running maximum may be light against the final one.
  let light = pass.light;
  let n = 0;
  const all = new Float64Array(pass.n);
  let h = 0;
  for (let i = 0; i < pass.n; i++) {
    const y = (max - row[offset + heavy[i]!]!) * scale;
    if (y < HEAVY_STEPS) {
      heavy[n] = heavy[i]!;
      all[n] = expScaled(y);
      h += all[n++]!;
    } else if (y < LIMIT) light += EXP_TABLE[y | 0]!;
  }
  const weights = all.subarray(0, n);
  const zLo = (h + LOW_FACTOR * light) * (1 - SLACK);
  const zHi = (h + light) * (1 + SLACK);
  const dHeavy = yd < HEAVY_STEPS;
  // The only token with weight: p(d) is exactly 1 or 0 (summation order cannot blur it).
  if (n === 1 && light === 0) return dHeavy ? ONE : ZERO;
  if (params.topP >= 1) return { lo: wd / zHi, hi: wd / zLo };
  const tLo = params.topP * zLo;
  const tHi = params.topP * zHi;
  // Whatever the cut, the kept mass is at least topP·Z; d may or may not be kept.
  const loose: Bounds = { lo: 0, hi: wd / tLo };
  if (h < tLo) {
    // Every heavy token is kept and the cut falls among light ones, each weighing at most
    // EXP_TABLE[HEAVY_STEPS]: the kept mass lies in [topP·Z, topP·Z + that).
    if (!dHeavy) return loose;
    return { lo: wd / ((tHi + EXP_TABLE[HEAVY_STEPS]!) * (1 + SLACK)), hi: wd / tLo };
  }
  if (h < tHi) return loose;
  return cutAmongHeavy(weights, heavy, d, wd, dHeavy, tLo, tHi, loose);
}

/**
 * p(d) bounds when the top-p cut falls among the heavy tokens (weights exact), for both ends of the
 * normaliser's bounds. Kept apart from the pass, which stays a small hot function.
 */
function cutAmongHeavy(
  weights: Float64Array,
  heavy: Int32Array,
  d: number,
  wd: number,
  dHeavy: boolean,
  tLo: number,
  tHi: number,
  loose: Bounds,
): Bounds {
  const n = weights.length;
  // The cut falls among heavy tokens. The kept mass depends only on the weights in descending
  // order; the ids matter only among tokens weighing exactly the cut's weight (lower id first).
  const sorted = weights.slice().sort();
  let kept = 0;
  let keptLo = -1;
  let c = n - 1;
  for (; c >= 0; c--) {
    kept += sorted[c]!;
    if (keptLo < 0 && kept >= tLo) keptLo = kept;
    if (kept >= tHi) break;
  }
  // The two ends of Z place the cut at different tokens: it is not known.
  if (keptLo !== kept || c < 0) return loose;
  if (!dHeavy) return ZERO;
  const wc = sorted[c]!;
  let p = 0;
  if (wd > wc) p = wd / kept;
  else if (wd === wc) {
    // The cut keeps the first `take` tokens of weight wc; heavy ids are in ascending order.
    let take = 0;
    for (let i = c; i < n && sorted[i] === wc; i++) take++;
    let rank = 0;
    for (let i = 0; i < n && heavy[i]! < d; i++) if (weights[i] === wc) rank++;
    if (rank < take) p = wd / kept;
  }
  if (p === 0) return ZERO;
  // A nucleus of d alone: p(d) is exactly 1.
  if (kept === wd && c === n - 1) return ONE;
  return { lo: p * (1 - SLACK), hi: p * (1 + SLACK) };
}
