// Sampling over one row of logits, on the CPU, without sorting the whole vocabulary.
// The same functions serve plain decoding and (later) speculative verification, so that
// both apply temperature and top-p identically.

import type { Rng } from './rng';

export interface SamplingParams {
  /** 0 means greedy (argmax). */
  temperature: number;
  /** Nucleus mass in (0, 1]; 1 disables top-p. */
  topP: number;
}

/** Index of the largest value in `row[offset .. offset+length)`, relative to offset; ties go to the lower index. */
export function argmax(row: Float32Array, offset = 0, length = row.length - offset): number {
  let best = 0;
  let bestValue = row[offset] ?? Number.NEGATIVE_INFINITY;
  for (let i = 1; i < length; i++) {
    const v = row[offset + i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/**
 * Writes softmax(row / temperature) into `out` (length = vocab) and returns it.
 * Temperature must be > 0.
 */
export function softmaxInto(
  row: Float32Array,
  temperature: number,
  out: Float32Array,
  offset = 0,
): Float32Array {
  const n = out.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = row[offset + i]!;
    if (v > max) max = v;
  }
  const inv = 1 / temperature;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((row[offset + i]! - max) * inv);
    out[i] = e;
    sum += e;
  }
  const norm = 1 / sum;
  for (let i = 0; i < n; i++) out[i]! *= norm;
  return out;
}

/**
 * Keeps the smallest set of most probable tokens whose mass reaches `topP`, zeroes the rest and
 * renormalises, in place. Only the candidates above a falling threshold are sorted, so the cost is
 * a few linear passes plus a sort of a few hundred entries, not a sort of the vocabulary.
 * Ties at the cut are broken by lower token id, deterministically.
 */
export function applyTopPInPlace(probs: Float32Array, topP: number): Float32Array {
  if (topP >= 1) return probs;
  const n = probs.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (probs[i]! > max) max = probs[i]!;
  let threshold = max;
  let candidates: number[] = [];
  for (;;) {
    threshold /= 16;
    candidates = [];
    let mass = 0;
    for (let i = 0; i < n; i++) {
      const p = probs[i]!;
      if (p >= threshold) {
        candidates.push(i);
        mass += p;
      }
    }
    if (mass >= topP || threshold < 1e-30) break;
  }
  candidates.sort((x, y) => probs[y]! - probs[x]! || x - y);
  let kept = 0;
  let mass = 0;
  while (kept < candidates.length && mass < topP) {
    mass += probs[candidates[kept]!]!;
    kept++;
  }
  const keep = new Uint8Array(n);
  for (let i = 0; i < kept; i++) keep[candidates[i]!] = 1;
  const norm = 1 / mass;
  for (let i = 0; i < n; i++) probs[i] = keep[i] ? probs[i]! * norm : 0;
  return probs;
}

/** The distribution that sampling with `params` draws from (temperature > 0 only). */
export function distributionInto(
  row: Float32Array,
  params: SamplingParams,
  out: Float32Array,
  offset = 0,
): Float32Array {
  softmaxInto(row, params.temperature, out, offset);
  return applyTopPInPlace(out, params.topP);
}

/** Draws an index from a normalised distribution with one uniform number. */
export function sampleCategorical(probs: Float32Array, u: number): number {
  let acc = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p <= 0) continue;
    acc += p;
    last = i;
    if (u < acc) return i;
  }
  return last;
}

/** Picks the next token from a logits row: argmax at temperature 0, otherwise temperature + top-p sampling. */
export function sampleToken(
  row: Float32Array,
  params: SamplingParams,
  rng: Rng,
  scratch = new Float32Array(row.length),
): number {
  if (params.temperature <= 0) return argmax(row);
  return sampleCategorical(distributionInto(row, params, scratch), rng());
}
