// Shapes shared by the speculative-decoding pieces: what the user asks for (mode, draft-token cap),
// drafters propose, the loop verifies and counts, and the summary a reply reports. The protocol
// carries SpecRequest and SpecSummary as they are.

export const SPEC_MODES = ['off', 'auto', 'prompt-lookup', 'draft-model'] as const;
export type SpecMode = (typeof SPEC_MODES)[number];
export type DrafterKind = 'prompt-lookup' | 'draft-model';

/** Draft tokens per step at most, anywhere: the settings clamp to it, GPU sizing and the controller cap at it. */
export const MAX_DRAFT_TOKENS = 8;

export interface SpecRequest {
  mode: SpecMode;
  /** Upper bound on draft tokens per step (GPU sizing or the user's override); 0 turns it off. */
  draftTokens: number;
}

export interface Proposal {
  tokens: number[];
  /**
   * The draft distribution each token was sampled from (temperature > 0, draft model only).
   * Absent: each token is a point mass (prompt lookup, or greedy drafting).
   */
  q?: Float32Array[];
}

export interface Drafter {
  readonly kind: DrafterKind;
  /** Proposes up to `k` tokens continuing `context` (the conversation so far, ending with the pending token). */
  propose(context: readonly number[], k: number): Promise<Proposal> | Proposal;
}

export interface SpecCounts {
  /** Draft tokens proposed and verified. */
  drafted: number;
  /** Draft tokens the target accepted. */
  accepted: number;
  /** Target forward passes after the prefill. */
  targetPasses: number;
  /** Tokens those passes produced (emitted or ending generation). */
  passTokens: number;
  /** Of those passes, the ones that verified drafts, and the tokens they produced: acceptance and tokens per pass are over these. */
  specPasses: number;
  specTokens: number;
  /** Time in speculative steps (drafting, verify pass, acceptance, rollback) and in plain steps, in ms: the measured speed-up. */
  specMs: number;
  plainMs: number;
}

/** The loop's running counts. */
export interface SpecStats extends SpecCounts {
  /** Why speculation stopped early in this reply, if it did. */
  offReason?: string;
}

/** What speculation did for one reply (and, while it streams, so far). */
export interface SpecSummary extends SpecCounts {
  used: 'off' | DrafterKind;
  /** Why it was off, fell back, or stopped early. */
  reason?: string;
}
