// Drafting with a smaller model that shares the target's token ids. The drafter mirrors the draft
// model's KV content in `kv` and syncs it to the conversation before each proposal: it pops the
// divergent suffix and feeds the missing tokens in one call (the pending token included).

import type { StepModel } from '../decoding';
import type { Rng } from '../rng';
import { argmax, distributionInto, sampleCategorical, type SamplingParams } from '../sampling';
import type { Drafter, Proposal } from './types';

export class DraftModelDrafter implements Drafter {
  readonly kind = 'draft-model' as const;
  readonly model: StepModel;
  readonly #sampling: SamplingParams;
  readonly #rng: Rng;
  /** Tokens in the draft model's KV cache, in order (shared across replies with the same model). */
  readonly kv: number[];

  constructor(model: StepModel, sampling: SamplingParams, rng: Rng, kv: number[] = []) {
    this.model = model;
    this.#sampling = sampling;
    this.#rng = rng;
    this.kv = kv;
  }

  async propose(context: readonly number[], k: number): Promise<Proposal> {
    let c = 0;
    // Stryker disable next-line MethodExpression: past the shorter sequence the comparison below fails anyway (undefined ≠ a token).
    const max = Math.min(this.kv.length, context.length);
    while (c < max && this.kv[c] === context[c]) c++;
    if (c === context.length) c--; // the last token must be fed to get logits after it
    await this.model.rollback(this.kv.length - c);
    this.kv.length = c;
    const feed = context.slice(c);
    // Keep within the draft model's context: feed + (k − 1) more positions.
    k = Math.min(k, this.model.contextWindow - c - feed.length + 1);
    if (k <= 0) return { tokens: [] };
    let logits = await this.model.prefill(feed);
    this.kv.push(...feed);
    const tokens: number[] = [];
    const greedy = this.#sampling.temperature <= 0;
    const q: Float32Array[] = [];
    for (let i = 0; i < k; i++) {
      let d: number;
      if (greedy) d = argmax(logits);
      else {
        const qi = distributionInto(logits, this.#sampling, new Float32Array(this.model.vocabSize));
        q.push(qi);
        d = sampleCategorical(qi, this.#rng());
      }
      tokens.push(d);
      if (i < k - 1) {
        logits = await this.model.decodeOne(d);
        this.kv.push(d);
      }
    }
    return greedy ? { tokens } : { tokens, q };
  }
}
