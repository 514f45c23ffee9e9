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

/** exp(-40) ≈ 4e-18: terms further below the maximum are treated as zero (and skip Math.exp). */
const EXP_CUTOFF = 40;

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
  const floor = max - EXP_CUTOFF * temperature;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = row[offset + i]!;
    if (v <= floor) {
      out[i] = 0;
      continue;
    }
    const e = Math.exp((v - max) * inv);
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
  // Lower a threshold until the tokens above it hold at least topP of the mass.
  let threshold = max;
  let count = 0;
  for (;;) {
    threshold /= 16;
    count = 0;
    let mass = 0;
    for (let i = 0; i < n; i++) {
      const p = probs[i]!;
      if (p >= threshold) {
        count++;
        mass += p;
      }
    }
    if (mass >= topP || threshold < 1e-30) break;
  }
  // Sort only those candidates' probabilities (a native numeric sort, no comparator).
  const values = new Float32Array(count);
  for (let i = 0, c = 0; i < n; i++) if (probs[i]! >= threshold) values[c++] = probs[i]!;
  values.sort();
  let mass = 0;
  let cut = count - 1;
  for (; cut >= 0; cut--) {
    mass += values[cut]!;
    if (mass >= topP) break;
  }
  cut = Math.max(cut, 0);
  const pMin = values[cut]!;
  // How many tokens at exactly pMin are kept: ties go to the lowest ids.
  let tiesKept = 0;
  for (let j = cut; j < count && values[j] === pMin; j++) tiesKept++;
  let keptMass = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    if (p > pMin) keptMass += p;
    else if (p === pMin && tiesKept > 0) {
      tiesKept--;
      keptMass += p;
    } else probs[i] = 0;
  }
  const norm = 1 / keptMass;
  for (let i = 0; i < n; i++) probs[i]! *= norm;
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
export function sampleToken(
  row: Float32Array,
  params: SamplingParams,
  rng: Rng,
  scratch = new Float32Array(row.length),
): number {
  if (params.temperature <= 0) return argmax(row);
  return sampleCategorical(distributionInto(row, params, scratch), rng());
}
