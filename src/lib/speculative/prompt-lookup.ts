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
    if (k <= 0) return { tokens: [] };
    for (let n = Math.min(this.#maxN, len - 1); n >= this.#minN; n--) {
      const start = this.#find(context, n);
      if (start < 0) continue;
      const from = start + n;
      const tokens = context.slice(from, Math.min(from + k, len)) as number[];
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
      while (j < n && ctx[s + j] === ctx[tail + j]) j++;
      if (j === n) return s;
    }
    return -1;
  }
}
