// The engine interface the worker handler drives. Two implementations: WebLLMBackend (the product)
// and ReferenceBackend (test infrastructure, enabled only by ?engine=reference). Runs in the worker.
// The backend owns the model records (built-in and from custom sources); the model store downloads
// from the same list, so a source added once is known to both.

import type {
  CatalogEntry,
  ChatEvent,
  ChatMessage,
  ChatRequest,
  ChatResult,
  EmbedResult,
  EngineKind,
  LoadOptions,
  LoadProgress,
  LoadResult,
} from '../protocol';
import type { StoreRecord } from './model-files/model-store';
import type { RecordSource, SourceRecord } from './model-files/sources';

export interface EngineBackend {
  readonly kind: EngineKind;
  catalog(): Promise<CatalogEntry[]>;
  /** Every model record the engine knows, custom sources included: what the model store downloads. */
  records(): readonly StoreRecord[];
  /** Adds records: custom sources' and imported ones keep an id already known as it was; the site's own replace it. */
  addRecords(records: readonly SourceRecord[], source?: RecordSource): void;
  /** Drops these records (an imported model deleted: its record came only with its files). */
  removeRecords(modelIds: readonly string[]): void;
  load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult>;
  /**
   * Fits the messages into the context window (fit-request.ts), then streams deltas and speculation
   * stats through `emit`; resolves with the full text (partial when interrupted) and how many
   * messages were left out.
   */
  chat(request: ChatRequest, emit: (event: ChatEvent) => void): Promise<ChatResult>;
  /** Prompt tokens of `messages` for the loaded model, counted as `chat` counts them when fitting. */
  countTokens(modelId: string, messages: readonly ChatMessage[]): Promise<number>;
  /** Unit-length vectors of `texts` (search queries when `query`) from the engine's embedder, in order; null when it has none loaded. */
  embed(texts: readonly string[], query?: boolean): Promise<EmbedResult | null>;
  /** Which models are fully cached (and so load without the network). */
  cached(modelIds: string[]): Promise<Record<string, boolean>>;
  /** Ends the current generation early; `chat` then resolves with finishReason "abort". */
  interrupt(): void;
  unload(): Promise<void>;
}
