// Verifying draft tokens against the target's logits. Greedy at temperature 0 (accept while the
// draft equals the target's argmax); otherwise standard rejection sampling: accept d with
// probability min(1, p(d)/q(d)), and on rejection draw from the residual max(p − q, 0), which keeps
// the output distributed exactly as the target alone would sample it.

import type { Rng } from '../rng';
import { argmax, distributionInto, sampleCategorical, type SamplingParams } from '../sampling';

export interface Verdict {
  /** Leading draft tokens accepted. */
  accepted: number;
  /** The token after them: the target's correction, or the bonus token when all were accepted. */
  next: number;
}

/** rows: (drafts.length + 1) logits rows of `vocab` entries; row i follows the i-th verified token. */
export function acceptGreedy(rows: Float32Array, vocab: number, drafts: readonly number[]): Verdict {
  let m = 0;
  while (m < drafts.length && argmax(rows, m * vocab, vocab) === drafts[m]) m++;
  return { accepted: m, next: argmax(rows, m * vocab, vocab) };
}

export interface SampledScratch {
  p: Float32Array;
  residual: Float32Array;
}

export function scratchFor(vocab: number): SampledScratch {
  return { p: new Float32Array(vocab), residual: new Float32Array(vocab) };
}

export function acceptSampled(
  rows: Float32Array,
  vocab: number,
  drafts: readonly number[],
  q: readonly Float32Array[] | undefined,
  params: SamplingParams,
  rng: Rng,
  scratch: SampledScratch = scratchFor(vocab),
): Verdict {
  const { p, residual } = scratch;
  for (let i = 0; i < drafts.length; i++) {
    distributionInto(rows, params, p, i * vocab);
    const d = drafts[i]!;
    const qi = q?.[i];
    const pd = d >= 0 && d < vocab ? p[d]! : 0;
    const qd = qi ? (qi[d] ?? 0) : 1;
    if (qd > 0 && (pd >= qd || rng() < pd / qd)) continue;
    // Rejected: draw from max(p − q, 0). A draft id outside the target's vocabulary is never accepted.
    let total = 0;
    for (let j = 0; j < vocab; j++) {
      const qj = qi ? (j < qi.length ? qi[j]! : 0) : j === d ? 1 : 0;
      const r = p[j]! - qj;
      const v = r > 0 ? r : 0;
      residual[j] = v;
      total += v;
    }
    const next = total > 0 ? sampleCategorical(residual, rng(), total) : sampleCategorical(p, rng());
    return { accepted: i, next };
  }
  distributionInto(rows, params, p, drafts.length * vocab);
  return { accepted: drafts.length, next: sampleCategorical(p, rng()) };
}
