// One token drawn from a row's sampling distribution (temperature, then top-p) without placing the
// top-p cut: a token is drawn from the untruncated distribution (one pass for the normaliser, with
// block sums so the draw reads one block), and drawn again while it falls outside the nucleus
// (rejection sampling: the kept draw is exactly distributed as the truncated one). Whether a token
// is in the nucleus needs only the mass ranked above it, bounded from the exp table in one cheap
// pass and computed exactly only when the bounds straddle topP·Z. Same weights as sampling.ts.

import type { Rng } from '../rng';
import {
  CUTOFF,
  EXP_TABLE,
  STEPS,
  expScaled,
  probabilityOf,
  rowDistribution,
  rowMax,
  sampleRow,
  type RowDistribution,
  type SamplingParams,
} from '../sampling';
import { LOW_FACTOR, SLACK } from './draft-bounds';

const LIMIT = CUTOFF * STEPS;
/** Module-local copies: an imported binding can cost a property read per use in a hot loop. */
const INV_STEPS = 1 / STEPS;
/** Tokens per block sum. */
const BLOCK = 1024;
/** Attempts before handing over to the exact sampler (only near-empty acceptance regions get there). */
const MAX_DRAWS = 32;

/** A row's untruncated weights, summed per block so a draw reads one block. */
interface Prepared {
  row: Float32Array;
  params: SamplingParams;
  offset: number;
  end: number;
  max: number;
  scale: number;
  blocks: Float64Array;
  /** Sum of all weights (the untruncated normaliser). */
  z: number;
}

function prepare(row: Float32Array, params: SamplingParams, offset: number, length: number): Prepared {
  const end = offset + length;
  const max = rowMax(row, offset, end);
  const scale = STEPS / params.temperature;
  const table = EXP_TABLE;
  const blocks = new Float64Array(Math.ceil(length / BLOCK));
  let z = 0;
  for (let b = 0; b < blocks.length; b++) {
    const from = offset + b * BLOCK;
    const to = Math.min(end, from + BLOCK);
    let s0 = 0;
    let s1 = 0;
    let j = from;
    for (; j + 1 < to; j += 2) {
      const y0 = (max - row[j]!) * scale;
      const y1 = (max - row[j + 1]!) * scale;
      if (y0 < LIMIT) {
        const k = y0 | 0;
        const r = (k - y0) * INV_STEPS;
        s0 += table[k]! * (1 + r * (1 + 0.5 * r));
      }
      if (y1 < LIMIT) {
        const k = y1 | 0;
        const r = (k - y1) * INV_STEPS;
        s1 += table[k]! * (1 + r * (1 + 0.5 * r));
      }
    }
    if (j < to) {
      const y = (max - row[j]!) * scale;
      if (y < LIMIT) s0 += expScaled(y);
    }
    blocks[b] = s0 + s1;
    z += blocks[b]!;
  }
  return { row, params, offset, end, max, scale, blocks, z };
}

/** A draw from the truncated distribution p (top-p applied), by rejection from the untruncated one. */
function drawKept(r: Prepared, rng: Rng): number {
  for (let n = 0; n < MAX_DRAWS; n++) {
    const j = drawUntruncated(r.row, r.offset, r.end, r.max, r.scale, r.blocks, rng() * r.z);
    if (r.params.topP >= 1 || inNucleus(r.row, r.offset, r.end, r.max, r.scale, j, r.z, r.params.topP)) return j;
  }
  // A tiny nucleus: the exact sampler draws from it directly.
  return sampleRow(rowDistribution(r.row, r.params, r.offset, r.end - r.offset), r.row, rng());
}

/**
 * Draws a token of `row[offset .. offset+length)` (temperature > 0), leaving `exclude` out and
 * renormalising. Uses as many uniforms from `rng` as it needs.
 */
export function drawToken(row: Float32Array, params: SamplingParams, offset: number, length: number, rng: Rng, exclude = -1): number {
  const r = prepare(row, params, offset, length);
  for (let n = 0; n < MAX_DRAWS; n++) {
    const j = drawKept(r, rng);
    if (j !== exclude) return j;
  }
  // Only a distribution (nearly) all on `exclude` gets here; an exact draw is still one.
  return sampleRow(rowDistribution(row, params, offset, length), row, rng(), exclude);
}

/**
 * Draws from the residual max(p − q, 0), renormalised, after a draft token drawn from q was
 * rejected: j drawn from p is kept with probability max(0, 1 − q(j)/p(j)). p(j) = w(j)/kept, where
 * the kept (top-p) mass is bounded by topP·Z ≤ kept < topP·Z + w(j) (j is kept, so the cut weighs
 * at most w(j)); only a uniform between the bounds computes the exact distribution. Undefined
 * after MAX_DRAWS attempts (p and q nearly agree): the caller's exact residual draw takes over,
 * which keeps the result exact since the attempts are independent.
 */
export function drawResidualToken(
  row: Float32Array,
  params: SamplingParams,
  offset: number,
  length: number,
  q: Float32Array,
  rng: Rng,
): number | undefined {
  const r = prepare(row, params, offset, length);
  let dist: RowDistribution | undefined;
  for (let n = 0; n < MAX_DRAWS; n++) {
    const j = drawKept(r, rng);
    const qj = q[j] ?? 0;
    const u = rng();
    if (!(qj > 0)) return j;
    const w = expScaled((r.max - row[offset + j]!) * r.scale);
    const keptLo = params.topP >= 1 ? r.z : params.topP * r.z;
    const keptHi = params.topP >= 1 ? r.z : params.topP * r.z + w;
    const room = 1 - u;
    if (qj * keptHi * (1 + SLACK) < w * room) return j;
    if (qj * keptLo * (1 - SLACK) >= w * room) continue;
    dist ??= rowDistribution(row, params, offset, length);
    if (qj < probabilityOf(dist, row, j) * room) return j;
  }
  return undefined;
}

/** The token where the running mass passes `target`, blocks first, then inside one block. */
function drawUntruncated(
  row: Float32Array,
  offset: number,
  end: number,
  max: number,
  scale: number,
  blocks: Float64Array,
  target: number,
): number {
  let b = 0;
  while (b < blocks.length - 1 && target >= blocks[b]!) target -= blocks[b++]!;
  // Rounding can leave the target past the last block's mass: the last token with weight takes it.
  let last = -1;
  for (let j = offset + b * BLOCK, to = Math.min(end, j + BLOCK); j < to; j++) {
    const y = (max - row[j]!) * scale;
    if (!(y < LIMIT)) continue;
    const w = expScaled(y);
    last = j - offset;
    if (target < w) return last;
    target -= w;
  }
  if (last >= 0) return last;
  for (let j = end - 1; j >= offset; j--) if ((max - row[j]!) * scale < LIMIT) return j - offset;
  return 0;
}

/**
 * Whether token j is in the nucleus: the mass ranked before it (heavier, or as heavy with a lower
 * id) is below topP·Z. A token heavier than (1 − topP)·Z always is.
 */
function inNucleus(
  row: Float32Array,
  offset: number,
  end: number,
  max: number,
  scale: number,
  j: number,
  z: number,
  topP: number,
): boolean {
  const xj = row[offset + j]!;
  const target = topP * z;
  // At most Z − w(j) ranks before j.
  if (expScaled((max - xj) * scale) > (z - target) * (1 + SLACK)) return true;
  const table = EXP_TABLE;
  const at = offset + j;
  // Upper bounds from the table, without branching on the comparison (it is a coin flip for a
  // token inside the bulk): tokens before j count when at least as heavy, tokens after it when heavier.
  let hi = 0;
  for (let i = offset; i < at; i++) {
    const x = row[i]!;
    hi += +(x >= xj) * table[Math.min((max - x) * scale, LIMIT) | 0]!;
  }
  for (let i = at + 1; i < end; i++) {
    const x = row[i]!;
    hi += +(x > xj) * table[Math.min((max - x) * scale, LIMIT) | 0]!;
  }
  if (hi * (1 + SLACK) < target) return true;
  if (hi * LOW_FACTOR * (1 - SLACK) >= target) return false;
  let before = 0;
  for (let i = offset; i < end; i++) {
    const x = row[i]!;
    if (x > xj || (x === xj && i < offset + j)) {
      const y = (max - x) * scale;
      if (y < LIMIT) before += expScaled(y);
    }
  }
  return before < target;
}
