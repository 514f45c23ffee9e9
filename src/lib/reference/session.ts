// The reference model's KV-like state: the token sequence the model has "seen". It supports the
// same narrow operations a GPU model offers (prefill, verify a run of tokens with logits for every
// position, roll back the last n positions, decode one) so speculative decoding can be driven
// against it exactly as against WebLLM.

import type { ReferenceModel } from './model';

export class ContextOverflowError extends Error {
  override name = 'ContextOverflowError';
}

export class ReferenceSession {
  readonly model: ReferenceModel;
  readonly #tokens: number[] = [];

  constructor(model: ReferenceModel) {
    this.model = model;
  }

  get length(): number {
    return this.#tokens.length;
  }

  get vocabSize(): number {
    return this.model.vocabSize;
  }

  get contextWindow(): number {
    return this.model.spec.contextWindow;
  }

  get tokens(): readonly number[] {
    return this.#tokens;
  }

  reset(): void {
    this.#tokens.length = 0;
  }

  /** Appends tokens and returns the logits after the last one. */
  prefill(tokens: readonly number[]): Float32Array {
    this.#append(tokens);
    return this.model.logits(this.#tokens);
  }

  /** Appends one token and returns the logits after it. */
  decodeOne(token: number): Float32Array {
    return this.prefill([token]);
  }

  /**
   * Appends `tokens` and returns `tokens.length` logits rows, row i being the distribution of the
   * token after tokens[i].
   */
  verify(tokens: readonly number[]): Float32Array {
    const start = this.#tokens.length;
    this.#append(tokens);
    const v = this.model.vocabSize;
    const out = new Float32Array(tokens.length * v);
    for (let i = 0; i < tokens.length; i++) this.model.logitsInto(this.#tokens, start + i + 1, out, i * v);
    return out;
  }

  /** Removes the last n positions. */
  rollback(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.#tokens.length) {
      throw new RangeError(`cannot roll back ${n} of ${this.#tokens.length} positions`);
    }
    this.#tokens.length -= n;
  }

  #append(tokens: readonly number[]): void {
    if (this.#tokens.length + tokens.length > this.contextWindow) {
      throw new ContextOverflowError(
        `the context window of ${this.contextWindow} tokens is full (${this.#tokens.length} used, ${tokens.length} more requested)`,
      );
    }
    for (const t of tokens) this.#tokens.push(t);
  }
}
