// The on-device self-check: before speculation is trusted with a model on a real GPU, a short
// greedy generation runs plain and speculative; verify kernels differ from decode kernels, and on
// near-ties they may pick different tokens. Any difference keeps speculation off for that model.

export interface SelfCheckResult {
  ok: boolean;
  plain: number[];
  speculative: number[];
  /** Index of the first differing token, when they differ. */
  divergedAt?: number;
  reason?: string;
}

export const SELF_CHECK_TOKENS = 24;

export function compareRuns(plain: number[], speculative: number[]): SelfCheckResult {
  const n = Math.max(plain.length, speculative.length);
  // Stryker disable next-line EqualityOperator: at i = n both runs have ended (undefined on both sides).
  for (let i = 0; i < n; i++) {
    if (plain[i] !== speculative[i]) {
      return {
        ok: false,
        plain,
        speculative,
        divergedAt: i,
        reason: `the self-check on this GPU produced different tokens with and without speculation (token ${i + 1} of ${n}), so speculation stays off for this model`,
      };
    }
  }
  return { ok: true, plain, speculative };
}
