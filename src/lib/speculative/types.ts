// Shapes shared by the speculative-decoding pieces: drafters propose, the loop verifies.

export type SpecMode = 'off' | 'auto' | 'prompt-lookup' | 'draft-model';
type DrafterKind = 'prompt-lookup' | 'draft-model';

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

export interface SpecStats {
  /** Draft tokens proposed and verified. */
  drafted: number;
  /** Draft tokens the target accepted. */
  accepted: number;
  /** Target forward passes after the prefill. */
  targetPasses: number;
  /** Tokens those passes produced (emitted or ending generation). */
  passTokens: number;
  /** Why speculation stopped early in this reply, if it did. */
  offReason?: string;
}
