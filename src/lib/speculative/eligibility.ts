// Whether speculative decoding may run, per model and per request, and the reason in words when
// it may not. Anything that rolling back the KV cache cannot undo, or that makes sampling depend on
// state the verify pass does not replay, falls back to plain decoding.

import type { CatalogEntry } from '../catalog';
import { generationConfigFor, samplingIneligibility, type GenerationRequestFields, type SamplingFields } from './merged-sampling';

/** What the engine found in the loaded model library (WebLLM) or knows by construction (reference). */
export interface LoadedModelTraits {
  /** Pure paged KV cache: no RNN/hybrid state, no sliding window. */
  kvStateKind: 'kv_cache' | 'hybrid' | 'rnn_state' | 'none' | string;
  slidingWindow: boolean;
  /** Loaded from a model manifest (artifact package). */
  manifest: boolean;
  /** Has batch_prefill (all logit positions) or batch_verify. */
  canVerify: boolean;
  /** vm.builtin.kv_state_popn exists. */
  canRollback: boolean;
}

/** Request features that change sampling in ways a verify pass does not reproduce. */
export interface RequestTraits {
  jsonMode?: boolean;
  logitBias?: boolean;
  logprobs?: boolean;
  /** Why WebLLM's merged sampling parameters cannot be reproduced (see merged-sampling.ts). */
  sampling?: string;
  images?: boolean;
  logitProcessor?: boolean;
}

/** Static reasons visible in the catalog, before loading anything. */
export function catalogIneligibility(e: Pick<CatalogEntry, 'recurrentState' | 'slidingWindow' | 'kind'>): string | undefined {
  if (e.kind === 'embedding') return 'embedding models do not generate text';
  if (e.kind === 'vlm') return 'vision models take images, whose embeddings the verify pass does not replay';
  if (e.recurrentState) return 'it keeps recurrent (RNN/hybrid) state, which cannot be rolled back';
  if (e.slidingWindow) return 'it uses sliding-window attention, whose cache cannot be rolled back safely';
  return undefined;
}

export function modelIneligibility(t: LoadedModelTraits): string | undefined {
  if (t.kvStateKind !== 'kv_cache')
    return `its state is "${t.kvStateKind}", not a plain KV cache, so rejected drafts cannot be rolled back`;
  if (t.slidingWindow) return 'it uses sliding-window attention, whose cache cannot be rolled back safely';
  if (t.manifest) return 'it is loaded from a model manifest, whose function names the verifier does not know';
  if (!t.canVerify) return 'its model library exports neither batch_prefill nor batch_verify';
  if (!t.canRollback) return 'its runtime lacks vm.builtin.kv_state_popn (KV rollback)';
  return undefined;
}

export function requestIneligibility(r: RequestTraits): string | undefined {
  if (r.jsonMode) return 'JSON mode constrains every token with a grammar';
  if (r.logitBias) return 'logit bias is requested';
  if (r.logprobs) return 'log-probabilities are requested';
  if (r.sampling) return r.sampling;
  if (r.images) return 'the message contains images';
  if (r.logitProcessor) return 'a custom logit processor is registered';
  return undefined;
}

/** A chat request in WebLLM's shape (the fields eligibility looks at). */
export interface ChatRequestLike extends GenerationRequestFields {
  messages: readonly { content?: unknown }[];
}

const hasNonText = (content: unknown): boolean =>
  Array.isArray(content) && content.some((p) => typeof p === 'object' && p !== null && 'type' in p && p.type !== 'text');

/**
 * The request-level reason for plain decoding, judged on WebLLM's generation config merged with the
 * loaded model's chat config (penalties a request leaves unset still come from the chat config).
 */
export function chatRequestIneligibility(
  w: ChatRequestLike,
  chatConfig: SamplingFields | undefined,
  logitProcessor: boolean,
): string | undefined {
  const gen = generationConfigFor(w);
  return requestIneligibility({
    jsonMode: gen.response_format != null,
    logitBias: gen.logit_bias != null,
    logprobs: Boolean(gen.logprobs),
    sampling: samplingIneligibility(gen, chatConfig),
    images: w.messages.some((m) => hasNonText(m.content)),
    logitProcessor,
  });
}
