// Page state of the engine: catalog, selected and loaded model, load progress, status, crash.
// Wraps EngineClient; the only page code that talks to the worker.

import { EngineClient } from '../../engine/client';
import { AirgapError, EngineCrashedError, toAirgapError } from '../../engine/errors';
import type { CatalogEntry, ChatEvent, ChatRequest, ChatResult, EngineKind, GpuReport, KvShape, LoadOptions, LoadProgress, LoadResult, SpecSummary } from '../../engine/protocol';

export type EngineStatus = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

export interface EngineOptions {
  kind: EngineKind;
  tokensPerSecond?: number;
  corruptSelfCheck?: boolean;
}

export class EngineState {
  readonly kind: EngineKind;
  readonly #options: EngineOptions;
  readonly #client: EngineClient;

  status = $state<EngineStatus>('idle');
  /** The worker answered and the catalog is in. */
  ready = $state(false);
  crashed = $state(false);
  catalog = $state.raw<CatalogEntry[]>([]);
  selectedId = $state('');
  loaded = $state.raw<LoadResult | undefined>(undefined);
  progress = $state.raw<LoadProgress | undefined>(undefined);
  error = $state.raw<AirgapError | undefined>(undefined);
  /** The adapter the worker sees; null when there is none, undefined until it answered. */
  gpu = $state.raw<GpuReport | null | undefined>(undefined);
  selected = $derived(this.catalog.find((m) => m.id === this.selectedId));
  /** Speculation stats of the reply in progress, or of the last one. */
  liveSpec = $state.raw<SpecSummary | undefined>(undefined);

  constructor(options: EngineOptions, createWorker: () => Worker) {
    this.kind = options.kind;
    this.#options = options;
    this.#client = new EngineClient(createWorker);
    this.#client.onCrash((err) => {
      this.crashed = true;
      this.status = 'error';
      this.loaded = undefined;
      this.progress = undefined;
      this.error = err;
    });
  }

  async boot(): Promise<void> {
    try {
      await this.#client.call('hello', { engine: this.#options.kind, tokensPerSecond: this.#options.tokensPerSecond, corruptSelfCheck: this.#options.corruptSelfCheck });
      const [catalog, gpu] = await Promise.all([this.#client.call('catalog', null), this.#client.call('gpuReport', null)]);
      this.gpu = gpu;
      this.catalog = catalog;
      if (!catalog.some((m) => m.id === this.selectedId)) this.selectedId = catalog[0]?.id ?? '';
      this.ready = true;
    } catch (err) {
      this.#fail(err);
    }
  }

  async load(modelId: string, options: LoadOptions = {}): Promise<boolean> {
    if (!modelId || this.status === 'loading' || this.status === 'generating') return false;
    this.status = 'loading';
    this.error = undefined;
    this.loaded = undefined;
    this.progress = { modelId, phase: 'fetching', fraction: 0, text: 'Starting…' };
    try {
      this.loaded = await this.#client.call('load', { modelId, options }, (p) => (this.progress = p));
      this.status = 'ready';
      return true;
    } catch (err) {
      this.#fail(err);
      return false;
    } finally {
      this.progress = undefined;
    }
  }

  async chat(request: ChatRequest, onDelta: (text: string, fromDraft: boolean) => void): Promise<ChatResult> {
    this.status = 'generating';
    this.liveSpec = undefined;
    try {
      const result = await this.#client.call('chat', request, (e: ChatEvent) => {
        if ('delta' in e) onDelta(e.delta, e.fromDraft === true);
        else this.liveSpec = e.spec;
      });
      this.liveSpec = result.speculation;
      return result;
    } finally {
      if (!this.crashed) this.status = this.loaded ? 'ready' : 'idle';
    }
  }

  async interrupt(): Promise<void> {
    if (this.status !== 'generating') return;
    await this.#client.call('interrupt', null).catch((err: unknown) => this.#fail(err));
  }

  async cached(modelIds: string[]): Promise<Record<string, boolean>> {
    return this.#client.call('cached', { modelIds }).catch(() => ({}));
  }

  async modelShape(modelId: string): Promise<KvShape | undefined> {
    return (await this.#client.call('modelShape', { modelId }).catch(() => null)) ?? undefined;
  }

  /** Starts a fresh worker; the conversation lives on the page and is untouched. */
  async restart(): Promise<void> {
    this.#client.restart();
    this.crashed = false;
    this.ready = false;
    this.loaded = undefined;
    this.error = undefined;
    this.status = 'idle';
    await this.boot();
  }

  /** Test hook: makes the worker throw an uncaught error (reference engine only). */
  crashForTest(): Promise<null> {
    return this.#client.call('crashForTest', null);
  }

  dismissError(): void {
    if (!this.crashed) this.error = undefined;
  }

  report(err: unknown): void {
    this.error = toAirgapError(err);
  }

  #fail(err: unknown): void {
    const e = toAirgapError(err);
    if (e instanceof EngineCrashedError && this.crashed) return;
    this.error = e;
    this.status = this.crashed ? 'error' : this.loaded ? 'ready' : 'error';
  }
}
