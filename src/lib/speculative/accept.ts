// Verifying draft tokens against the target's logits. Greedy at temperature 0 (accept while the
// draft equals the target's argmax); otherwise standard rejection sampling: accept d with
// probability min(1, p(d)/q(d)), and on rejection draw from the residual max(p − q, 0), which keeps
// the output distributed exactly as the target alone would sample it. p is never materialised for
// accepted rows: one pass bounds p(d) (draft-bounds.ts), which decides the test unless the uniform
// falls between the bounds; then the exact normaliser and top-p cut are computed. The bonus token
// and the draws after a rejection go by rejection sampling (draw-token.ts), so the top-p cut is
// placed exactly only when a bound cannot decide.

import type { Rng } from '../rng';
import {
  isArgmax,
  argmax,
  probabilityOf,
  residualBucketDraw,
  rowDistribution,
  sampleRow,
  type RowDistribution,
  type SamplingParams,
} from '../sampling';
import { boundsScratch, draftProbabilityBounds, type Bounds } from './draft-bounds';
import { drawResidualToken, drawToken } from './draw-token';

interface Verdict {
  /** Leading draft tokens accepted. */
  accepted: number;
  /** The token after them: the target's correction, or the bonus token when all were accepted. */
  next: number;
}

/** rows: (drafts.length + 1) logits rows of `vocab` entries; row i follows the i-th verified token. */
export function acceptGreedy(rows: Float32Array, vocab: number, drafts: readonly number[]): Verdict {
  let m = 0;
  while (m < drafts.length && isArgmax(rows, m * vocab, vocab, drafts[m]!)) m++;
  return { accepted: m, next: argmax(rows, m * vocab, vocab) };
}

interface SampledScratch {
  /** min(p, q) per token, non-zero only on q's support while a residual is drawn. */
  overlap: Float64Array;
  /** Ids of a row's heavy tokens (draft-bounds.ts). */
  heavy?: Int32Array;
}

export function scratchFor(vocab: number): SampledScratch {
  return { overlap: new Float64Array(vocab), heavy: boundsScratch() };
}

/**
 * The exact rule `qd > 0 && (p ≥ qd || u < p/qd)`, drawing u exactly when it does, with p read
 * from its bounds where they decide and computed (`exact`) only where they do not.
 */
export function acceptsDraft(qd: number, bounds: Bounds | undefined, exact: () => number, rng: Rng): boolean {
  if (!(qd > 0)) return false;
  // Stryker disable next-line EqualityOperator: at lo = qd, p ≥ qd holds anyway, so the exact branch accepts too.
  if (bounds && bounds.lo >= qd) return true;
  // Stryker disable next-line EqualityOperator: at hi = qd the uniform branch reads p exactly where it matters; same decision.
  if (!bounds || bounds.hi >= qd) {
    const p = exact();
    return p >= qd || rng() < p / qd;
  }
  // p < qd for sure, so the exact rule draws u.
  const u = rng();
  if (u < bounds.lo / qd) return true;
  if (u >= bounds.hi / qd) return false;
  // Stryker disable next-line EqualityOperator: u = p/qd exactly has probability zero.
  return u < exact() / qd;
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
  // Stryker disable next-line LogicalOperator: only whether the bounds reuse a scratch array; scratchFor always makes one.
  const heavy = scratch.heavy ?? (scratch.heavy = boundsScratch());
  // Stryker disable next-line EqualityOperator: one more pass scores an undefined draft and either accepts it (then the bonus follows) or rejects it and draws from row K with nothing left out: the bonus's distribution either way.
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const qi = q?.[i];
    const qd = qi ? (qi[d] ?? 0) : 1;
    let exactDist: RowDistribution | undefined;
    const dist = (): RowDistribution => (exactDist ??= rowDistribution(rows, params, i * vocab, vocab));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with qd ≤ 0 acceptsDraft rejects before reading bounds; without bounds it reads p exactly: same decisions, more work.
    const bounds = qd > 0 ? draftProbabilityBounds(rows, params, i * vocab, vocab, d, heavy) : undefined;
    if (acceptsDraft(qd, bounds, () => probabilityOf(dist(), rows, d), rng)) continue;
    // Rejected. A point-mass draft (prompt lookup) leaves p without d; a draft model, max(p − q, 0).
    if (!qi) return { accepted: i, next: drawToken(rows, params, i * vocab, vocab, rng, d) };
    const next = drawResidualToken(rows, params, i * vocab, vocab, qi, rng) ?? drawResidual(dist(), rows, qi, rng(), scratch.overlap);
    return { accepted: i, next };
  }
  return { accepted: drafts.length, next: drawToken(rows, params, drafts.length * vocab, vocab, rng) };
}

/**
 * Draws from max(p − q, 0) without a pass over p: the overlap min(p, q) lives only on q's support,
 * so the residual mass per bucket is p's bucket mass minus the overlap there; a bucket is drawn,
 * then a token inside it.
 */
export function drawResidual(dist: RowDistribution, rows: Float32Array, q: Float32Array, u: number, overlap: Float64Array): number {
  // Stryker disable next-line ArrayDeclaration: a non-index entry only sets an expando property on the typed array in the cleanup below.
  const touched: number[] = [];
  const overlapByBucket = new Float64Array(dist.buckets.length);
  let overlapTotal = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: past the target's vocabulary p is 0 (probabilityOf), so dropping or loosening `j < dist.length` changes nothing.
  for (let j = 0; j < q.length && j < dist.length; j++) {
    const qj = q[j]!;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with q = 0 the overlap min(p, q) is 0, so recording it changes no mass.
    if (qj <= 0) continue;
    const pj = probabilityOf(dist, rows, j);
    // Stryker disable next-line EqualityOperator,ConditionalExpression: with p = 0 the overlap min(p, q) is 0, so recording it changes no mass.
    if (pj <= 0) continue;
    // Stryker disable next-line EqualityOperator: min(p, q) is the same either way when p = q.
    const m = pj < qj ? pj : qj;
    overlap[j] = m;
    touched.push(j);
    overlapByBucket[residualBucketDraw.bucketOf(dist, rows, j)]! += m;
    overlapTotal += m;
  }
  try {
    const total = 1 - overlapTotal;
    // A residual this small means p ≈ q to rounding: a rejection had probability ≤ 1e-12.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: only reachable through rounding (rejection probability ≤ 1e-12); any token drawn then is equally right.
    if (total <= 1e-12) return sampleRow(dist, rows, u);
    return residualBucketDraw.draw(dist, rows, u * total, overlapByBucket, overlap);
  } finally {
    for (const j of touched) overlap[j] = 0;
  }
}
