// The engine interface the worker handler drives. Two implementations: WebLLMBackend (the product)
// and ReferenceBackend (test infrastructure, enabled only by ?engine=reference). Runs in the worker.

import type {
  CatalogEntry,
  ChatEvent,
  ChatRequest,
  ChatResult,
  EngineKind,
  LoadOptions,
  LoadProgress,
  LoadResult,
} from '../protocol';

export interface EngineBackend {
  readonly kind: EngineKind;
  catalog(): Promise<CatalogEntry[]>;
  load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult>;
  /** Streams deltas and speculation stats through `emit`; resolves with the full text (partial when interrupted). */
  chat(request: ChatRequest, emit: (event: ChatEvent) => void): Promise<ChatResult>;
  /** Which models are fully cached (and so load without the network). */
  cached(modelIds: string[]): Promise<Record<string, boolean>>;
  /** Ends the current generation early; `chat` then resolves with finishReason "abort". */
  interrupt(): void;
  unload(): Promise<void>;
}
