// Plain autoregressive decoding against the narrow model interface that both engines provide.
// Invariant (as in WebLLM 0.2.86 llm_chat.ts, whose decodeStep forwards outputIds' last token): the last
// sampled token is emitted but not yet in the model's state, so a step can stop or roll back before
// writing it. The speculative loop keeps the same rule (ARCHITECTURE.md, "Invariants").

import type { Rng } from './rng';
import { sampleToken, type SamplingParams } from './sampling';

/** The operations a model offers the decoding loops. Logits rows are `vocabSize` long. */
export interface StepModel {
  readonly vocabSize: number;
  readonly contextWindow: number;
  /** Positions currently held in the model's KV state. */
  readonly length: number;
  prefill(tokens: readonly number[]): Float32Array | Promise<Float32Array>;
  decodeOne(token: number): Float32Array | Promise<Float32Array>;
  verify(tokens: readonly number[]): Float32Array | Promise<Float32Array>;
  rollback(n: number): void | Promise<void>;
  /** Most draft tokens one verify pass can carry, when the model limits it. */
  readonly maxDraftTokens?: number;
}

export type FinishReason = 'stop' | 'length' | 'abort';

/** What committing a sampled token means: is it shown, and does generation end with it? */
export interface Commit {
  emit: boolean;
  finish?: 'stop' | 'length';
}

export interface DecodeOptions {
  sampling: SamplingParams;
  rng: Rng;
  /**
   * Decides each token's fate: stop tokens, max_tokens and stop strings live here. `fromDraft`
   * says the token was an accepted draft token (speculative decoding only); `position` is the
   * number of KV positions plain decoding would hold at this commit.
   */
  commit: (token: number, fromDraft: boolean, position: number) => Commit | Promise<Commit>;
  /** Checked before every step; a true value ends decoding with reason `abort`. */
  aborted?: () => boolean;
}

export interface DecodeResult {
  tokens: number[];
  finishReason: FinishReason;
  prefillMs: number;
  decodeMs: number;
  /** Target forward passes after the prefill (decode or verify). */
  targetPasses: number;
}

interface StopPolicyOptions {
  stopTokenIds: readonly number[];
  maxTokens: number;
  onToken?: (id: number, fromDraft: boolean) => void | Promise<void>;
}

/** The usual commit rule: stop tokens end without being shown; max_tokens ends after the last one. */
export function stopPolicy(o: StopPolicyOptions): (token: number, fromDraft: boolean) => Commit | Promise<Commit> {
  const stop = new Set(o.stopTokenIds);
  let count = 0;
  return (token, fromDraft) => {
    if (stop.has(token)) return { emit: false, finish: 'stop' };
    count++;
    const c: Commit = count >= o.maxTokens ? { emit: true, finish: 'length' } : { emit: true };
    const pending = o.onToken?.(token, fromDraft);
    return pending instanceof Promise ? pending.then(() => c) : c;
  };
}

export const now = (): number => performance.now();

export async function decodePlain(model: StepModel, promptIds: readonly number[], options: DecodeOptions): Promise<DecodeResult> {
  const tokens: number[] = [];
  const t0 = now();
  let logits = await model.prefill(promptIds);
  const prefillMs = now() - t0;
  const t1 = now();
  let targetPasses = 0;
  const done = (finishReason: FinishReason): DecodeResult => ({ tokens, finishReason, prefillMs, decodeMs: now() - t1, targetPasses });
  for (;;) {
    if (options.aborted?.()) return done('abort');
    const token = sampleToken(logits, options.sampling, options.rng);
    const c = await options.commit(token, false, model.length);
    if (c.emit) tokens.push(token);
    if (c.finish) return done(c.finish);
    if (model.length + 1 > model.contextWindow) return done('length');
    if (options.aborted?.()) return done('abort');
    logits = await model.decodeOne(token);
    targetPasses++;
  }
}
