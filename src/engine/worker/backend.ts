// The engine interface the worker handler drives. Two implementations: WebLLMBackend (the product)
// and ReferenceBackend (test infrastructure, enabled only by ?engine=reference). Runs in the worker.

import type {
  CatalogEntry,
  ChatRequest,
  ChatResult,
  EngineKind,
  KvShape,
  LoadOptions,
  LoadProgress,
  LoadResult,
} from '../protocol';

export interface EngineBackend {
  readonly kind: EngineKind;
  catalog(): Promise<CatalogEntry[]>;
  /** KV shape of a model from its own config, when it can be had. */
  modelShape(modelId: string): Promise<KvShape | undefined>;
  load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult>;
  /** Streams deltas through `onDelta`; resolves with the full text (partial when interrupted). */
  chat(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult>;
  /** Ends the current generation early; `chat` then resolves with finishReason "abort". */
  interrupt(): void;
  unload(): Promise<void>;
}
