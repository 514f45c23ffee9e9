// The on-device self-check: before speculation is trusted with a model on a real GPU, a short
// greedy generation runs plain and speculative; verify kernels differ from decode kernels, and on
// near-ties they may pick different tokens. Any difference keeps speculation off for that model.
// Each engine runs the check on its own models (and resets its caches its own way) with selfCheckRun.

import { decodePlain, stopPolicy, type StepModel } from '../decoding';
import { createRng } from '../rng';
import { FixedDraftLength } from './controller';
import { decodeSpeculative } from './loop';
import type { Drafter } from './types';

export interface SelfCheckResult {
  ok: boolean;
  plain: number[];
  speculative: number[];
  /** Index of the first differing token, when they differ. */
  divergedAt?: number;
  reason?: string;
}

export const SELF_CHECK_TOKENS = 24;
export const GREEDY = { temperature: 0, topP: 1 };

/** One greedy run of the check: plain decoding, or speculative with `drafter` at k draft tokens per step. */
export async function selfCheckRun(model: StepModel, prompt: readonly number[], spec?: { drafter: Drafter; k: number }): Promise<number[]> {
  const o = { sampling: GREEDY, rng: createRng(0), commit: stopPolicy({ stopTokenIds: [], maxTokens: SELF_CHECK_TOKENS }) };
  const r = spec
    ? await decodeSpeculative(model, prompt, { ...o, drafter: spec.drafter, controller: new FixedDraftLength(spec.k) })
    : await decodePlain(model, prompt, o);
  return r.tokens;
}

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
