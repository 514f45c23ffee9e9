// Adaptive draft length. It models a verify step of n tokens as costing t(n) (measured: plain
// steps give t(1), verify steps give t(k+1), linear in between), the acceptance of each draft
// token as a probability α (measured, decaying so it follows the text), and drafting as a measured
// cost per token. It picks the k that maximises expected tokens per unit of time, and switches
// speculation off for the rest of the reply when no k beats plain decoding. Both costs are end to
// end: a verify step includes the CPU work of acceptance, and t(1) is the engine's own plain step
// (what the user gets with speculation off), so K stays on only when it beats that.

import { MAX_DRAFT_TOKENS } from './types';

/** Observations that decay by this factor per step, so recent behaviour dominates. */
const DECAY = 0.85;
/** Speculative steps observed before the controller may give up on a reply. */
const MIN_OBSERVATIONS = 3;
/** Prior on the acceptance rate: one accepted and one rejected token. */
const PRIOR_ACCEPT = 1;
const PRIOR_REJECT = 1;
/** Until a verify has been timed, assume each extra verified token costs this fraction of a decode. */
const PRIOR_MARGINAL_COST = 0.1;

/** How many tokens to draft next, learning from what happened. */
export interface DraftLengthPolicy {
  readonly k: number;
  readonly offReason: string | undefined;
  /** One plain decode step as the engine runs it with speculation off, sampling included. */
  observeDecode(ms: number): void;
  /** One speculative step; `verifyMs` spans the target pass, acceptance on the CPU and the rollback. */
  observeVerify(drafted: number, accepted: number, verifyMs: number, draftMs: number): void;
}

/** Always drafts k tokens (tests, and the self-check). */
export class FixedDraftLength implements DraftLengthPolicy {
  readonly k: number;
  readonly offReason = undefined;
  constructor(k: number) {
    this.k = k;
  }
  observeDecode(): void {}
  observeVerify(): void {}
}

interface ControllerOptions {
  /** The memory-safe maximum from the GPU sizing (or the user's override). */
  maxK: number;
  startK?: number;
}

export class AdaptiveDraftLength implements DraftLengthPolicy {
  readonly maxK: number;
  #k: number;
  #off = false;
  #offReason: string | undefined;
  #accepts = PRIOR_ACCEPT;
  #rejects = PRIOR_REJECT;
  #decodeMs: number | undefined;
  /** EMA of verify time per verified length n. */
  #verifyMs = new Map<number, number>();
  #draftMsPerToken = 0;
  #observations = 0;

  constructor(o: ControllerOptions) {
    this.maxK = Math.max(0, Math.min(MAX_DRAFT_TOKENS, Math.floor(o.maxK)));
    this.#k = Math.max(0, Math.min(this.maxK, o.startK ?? this.maxK));
    if (this.maxK === 0) this.#disable('draft length is 0');
  }

  /** Draft tokens to propose next; 0 means a plain decode step. */
  get k(): number {
    if (this.#off) return 0;
    // One plain step first: it measures the cost of a decode that verify steps are compared with.
    if (this.#decodeMs === undefined) return 0;
    return this.#k;
  }

  get off(): boolean {
    return this.#off;
  }

  get offReason(): string | undefined {
    return this.#offReason;
  }

  /** Expected acceptance probability of one draft token. */
  get acceptance(): number {
    return this.#accepts / (this.#accepts + this.#rejects);
  }

  observeDecode(ms: number): void {
    this.#decodeMs = this.#decodeMs === undefined ? ms : DECAY * this.#decodeMs + (1 - DECAY) * ms;
  }

  /** One speculative step: `drafted` tokens proposed, `accepted` of them kept. */
  observeVerify(drafted: number, accepted: number, verifyMs: number, draftMs: number): void {
    if (drafted <= 0) return;
    this.#accepts = DECAY * this.#accepts + accepted;
    this.#rejects = DECAY * this.#rejects + (accepted < drafted ? 1 : 0);
    const n = drafted + 1;
    const prev = this.#verifyMs.get(n);
    this.#verifyMs.set(n, prev === undefined ? verifyMs : DECAY * prev + (1 - DECAY) * verifyMs);
    const perToken = draftMs / drafted;
    this.#draftMsPerToken = this.#observations === 0 ? perToken : DECAY * this.#draftMsPerToken + (1 - DECAY) * perToken;
    this.#observations++;
    this.#choose();
  }

  /** Predicted time of a verify step over n tokens (acceptance included). */
  verifyCost(n: number): number {
    const t1 = this.#decodeMs ?? 1;
    // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: the least-squares sums below do not depend on the order of the points.
    const points = [...this.#verifyMs.entries()].sort((a, b) => a[0] - b[0]);
    // Stryker disable next-line ConditionalExpression: without points the fit below gives the same prior line (slope PRIOR_MARGINAL_COST · t1).
    if (points.length === 0) return t1 * (1 + PRIOR_MARGINAL_COST * (n - 1));
    // Linear through (1, t1) and the observed points, least squares on the slope.
    let num = 0;
    let den = 0;
    for (const [m, t] of points) {
      num += (m - 1) * (t - t1);
      den += (m - 1) * (m - 1);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: every point has m ≥ 2 (a verify checks at least one draft), so den > 0 here.
    const slope = den > 0 ? Math.max(0, num / den) : PRIOR_MARGINAL_COST * t1;
    return t1 + slope * (n - 1);
  }

  /** Expected speed relative to plain decoding when drafting k tokens. */
  expectedSpeedup(k: number): number {
    const a = Math.min(this.acceptance, 0.999);
    const tokens = (1 - a ** (k + 1)) / (1 - a);
    const t1 = this.#decodeMs ?? 1;
    return (tokens * t1) / (this.verifyCost(k + 1) + k * this.#draftMsPerToken);
  }

  #choose(): void {
    let best = 0;
    let bestSpeed = 1;
    for (let k = 1; k <= this.maxK; k++) {
      const s = this.expectedSpeedup(k);
      // Stryker disable next-line EqualityOperator: differs only on an exact tie of two predicted speeds.
      if (s > bestSpeed) {
        bestSpeed = s;
        best = k;
      }
    }
    if (best === 0) {
      if (this.#observations >= MIN_OBSERVATIONS) {
        this.#disable(
          `it did not pay: ${Math.round(this.acceptance * 100)}% of draft tokens accepted, a verify step costs ${(this.verifyCost(2) / (this.#decodeMs ?? 1)).toFixed(2)}× a plain decode step`,
        );
      } else this.#k = 1;
      return;
    }
    this.#k = best;
  }

  #disable(reason: string): void {
    this.#off = true;
    this.#offReason = reason;
  }
}
