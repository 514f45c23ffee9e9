// Prompt-lookup drafting: find the most recent earlier occurrence of the last n tokens of the
// conversation (longest n first) and propose what followed it. Free: no model, no GPU memory.

import type { Drafter, Proposal } from './types';

const MAX_NGRAM = 3;
const MIN_NGRAM = 1;

export class PromptLookupDrafter implements Drafter {
  readonly kind = 'prompt-lookup' as const;
  readonly #maxN: number;
  readonly #minN: number;

  constructor(maxN = MAX_NGRAM, minN = MIN_NGRAM) {
    this.#maxN = maxN;
    this.#minN = minN;
  }

  propose(context: readonly number[], k: number): Proposal {
    const len = context.length;
    // Stryker disable next-line EqualityOperator,ConditionalExpression: a shortcut; with k = 0 every match yields an empty slice and nothing is proposed.
    if (k <= 0) return { tokens: [] };
    // Stryker disable next-line ArithmeticOperator: an n-gram as long as the context has no earlier occurrence, so a larger bound finds nothing more.
    for (let n = Math.min(this.#maxN, len - 1); n >= this.#minN; n--) {
      const start = this.#find(context, n);
      if (start < 0) continue;
      const from = start + n;
      const tokens = context.slice(from, Math.min(from + k, len)) as number[];
      // Stryker disable next-line ConditionalExpression: a match starts before the suffix, so at least one token follows it (k > 0 here).
      if (tokens.length) return { tokens };
    }
    return { tokens: [] };
  }

  /** Start of the most recent earlier match of the last n tokens, or -1. */
  #find(ctx: readonly number[], n: number): number {
    const len = ctx.length;
    const tail = len - n;
    for (let s = tail - 1; s >= 0; s--) {
      let j = 0;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: at j = n the suffix has ended (ctx[len] is undefined), so the comparison stops the loop anyway.
      while (j < n && ctx[s + j] === ctx[tail + j]) j++;
      if (j === n) return s;
    }
    return -1;
  }
}
