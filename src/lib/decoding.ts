// Plain autoregressive decoding against the narrow model interface that both engines provide.
// Invariant (as in WebLLM): the last sampled token is emitted but not yet in the model's state.

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
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface DecodeOptions {
  sampling: SamplingParams;
  maxTokens: number;
  stopTokenIds: readonly number[];
  rng: Rng;
  /** Checked before every step; a true value ends decoding with reason `abort`. */
  aborted?: () => boolean;
  onToken?: (id: number) => void | Promise<void>;
}

export interface DecodeResult {
  tokens: number[];
  finishReason: FinishReason;
  prefillMs: number;
  decodeMs: number;
}

const now = (): number => performance.now();

export async function decodePlain(
  model: StepModel,
  promptIds: readonly number[],
  options: DecodeOptions,
): Promise<DecodeResult> {
  const tokens: number[] = [];
  const stop = new Set(options.stopTokenIds);
  const scratch = new Float32Array(model.vocabSize);
  const t0 = now();
  let logits = await model.prefill(promptIds);
  const prefillMs = now() - t0;
  const t1 = now();
  let finishReason: FinishReason = 'length';
  for (;;) {
    if (options.aborted?.()) {
      finishReason = 'abort';
      break;
    }
    const token = sampleToken(logits, options.sampling, options.rng, scratch);
    if (stop.has(token)) {
      finishReason = 'stop';
      break;
    }
    tokens.push(token);
    await options.onToken?.(token);
    if (tokens.length >= options.maxTokens || model.length + 1 > model.contextWindow) break;
    if (options.aborted?.()) {
      finishReason = 'abort';
      break;
    }
    logits = await model.decodeOne(token);
  }
  return { tokens, finishReason, prefillMs, decodeMs: now() - t1 };
}
