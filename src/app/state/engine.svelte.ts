// Page state of the engine: catalog, selected and loaded model, load progress, status, crash, and
// a lost GPU device (the worker then holds no model: state "error", Load works again). Wraps
// EngineClient; the only page code that talks to the worker.

import { EngineClient } from '../../engine/client';
import { DeviceLostError, EngineCrashedError, toAirgapError, type AirgapError } from '../../engine/errors';
import type {
  CatalogEntry,
  ChatEvent,
  ChatRequest,
  ChatResult,
  DownloadProgress,
  EngineKind,
  GpuReport,
  HelloParams,
  KvShape,
  LoadOptions,
  LoadProgress,
  LoadResult,
  SourceResult,
  SpecSummary,
  StorageReport,
} from '../../engine/protocol';

export type EngineStatus = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

export class EngineState {
  readonly kind: EngineKind;
  #options: HelloParams;
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
  storage = $state.raw<StorageReport | undefined>(undefined);
  downloads = $state.raw<ReadonlyMap<string, DownloadProgress>>(new Map());
  /** A download that needs the user's go-ahead (it may not fit the quota). */
  quotaWarning = $state.raw<{ modelId: string; message: string } | undefined>(undefined);
  sources = $state.raw<SourceResult[]>([]);
  cachedIds = $derived(new Set(this.storage?.models.filter((m) => m.offlineReady).map((m) => m.modelId) ?? []));

  constructor(options: HelloParams, createWorker: () => Worker) {
    this.kind = options.engine;
    this.#options = options;
    this.#client = new EngineClient(createWorker);
    this.#client.onCrash((err) => {
      this.crashed = true;
      this.status = 'error';
      this.loaded = undefined;
      this.progress = undefined;
      this.error = err;
    });
    this.#client.onNotice((notice) => {
      if (notice.kind !== 'deviceLost') return;
      // The worker unloaded everything with the device: nothing is loaded any more.
      this.loaded = undefined;
      this.status = 'error';
      this.error = new DeviceLostError(notice.message);
    });
  }

  async boot(): Promise<void> {
    try {
      const hello = await this.#client.call('hello', { ...this.#options, cacheBackend: this.#options.cacheBackend ?? 'cache', modelSources: this.#options.modelSources ?? [] });
      this.sources = hello.sources;
      const [catalog, gpu] = await Promise.all([this.#client.call('catalog', null), this.#client.call('gpuReport', null)]);
      this.gpu = gpu;
      this.catalog = catalog;
      if (!catalog.some((m) => m.id === this.selectedId)) this.selectedId = catalog[0]?.id ?? '';
      this.storage = await this.#client.call('storageReport', null).catch(() => undefined);
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
      void this.refreshStorage();
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
      if (!this.crashed && this.status === 'generating') this.status = this.loaded ? 'ready' : 'idle';
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

  async refreshStorage(): Promise<void> {
    this.storage = await this.#client.call('storageReport', null).catch((err: unknown) => {
      this.#fail(err);
      return this.storage;
    });
  }

  /** Downloads (or resumes) a model; `force` skips the quota preflight. */
  async download(modelId: string, force = false): Promise<void> {
    this.quotaWarning = undefined;
    this.error = undefined;
    try {
      const r = await this.#client.call('download', { modelId, force }, (p) => this.#setDownload(p));
      if (r.state !== 'paused') this.#clearDownload(modelId);
    } catch (err) {
      const e = toAirgapError(err);
      if (e.name === 'QuotaPreflightError') this.quotaWarning = { modelId, message: e.userMessage };
      else this.#fail(err);
      this.#clearDownload(modelId);
    } finally {
      void this.refreshStorage();
    }
  }

  async controlDownload(modelId: string, action: 'pause' | 'cancel'): Promise<void> {
    await this.#client.call('downloadControl', { modelId, action }).catch((err: unknown) => this.#fail(err));
    // A paused download has no run left to report the cancel: its files are gone once the call returns.
    if (action === 'cancel') {
      if (this.quotaWarning?.modelId === modelId) this.quotaWarning = undefined;
      this.#clearDownload(modelId);
      await this.refreshStorage();
    }
  }

  async deleteModel(modelId: string): Promise<void> {
    await this.#client.call('deleteModel', { modelId }).catch((err: unknown) => this.#fail(err));
    // Deleting a paused (or running) download cancels it: its progress goes with it.
    this.#clearDownload(modelId);
    await this.#releaseStorage();
  }

  async clearModels(): Promise<void> {
    await this.#client.call('clearModels', null).catch((err: unknown) => this.#fail(err));
    await this.#releaseStorage();
  }

  /**
   * Chrome returns deleted Cache Storage space only once no handle to the cache is open, and the
   * worker's handles live until it ends: when nothing is loaded or running, restart the worker.
   */
  async #releaseStorage(): Promise<void> {
    if (!this.loaded && this.status !== 'generating' && this.status !== 'loading' && this.downloads.size === 0) await this.restart();
    else await this.refreshStorage();
  }

  /** Adds a custom model source; resolves with its result, or throws the source's error. */
  async addSource(url: string): Promise<SourceResult> {
    const r = await this.#client.call('addModelSource', { url });
    this.sources = [...this.sources.filter((s) => s.url !== url), r];
    this.catalog = await this.#client.call('catalog', null);
    return r;
  }

  /** Sets storage and sources before the first boot. */
  configure(patch: Pick<HelloParams, 'cacheBackend' | 'modelSources'>): void {
    this.#options = { ...this.#options, ...patch };
  }

  /** Restarts the worker with other storage or sources (the conversation is untouched). */
  async reconfigure(patch: Pick<HelloParams, 'cacheBackend' | 'modelSources'>): Promise<void> {
    this.#options = { ...this.#options, ...patch };
    await this.restart();
  }

  #setDownload(p: DownloadProgress): void {
    this.downloads = new Map([...this.downloads, [p.modelId, p]]);
  }

  #clearDownload(modelId: string): void {
    const next = new Map(this.downloads);
    next.delete(modelId);
    this.downloads = next;
  }

  /** Starts a fresh worker; the conversation lives on the page and is untouched. */
  async restart(): Promise<void> {
    this.#client.restart();
    this.downloads = new Map();
    this.quotaWarning = undefined;
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
    // After a lost device, what failed next is a consequence: keep saying what happened.
    if (this.status === 'error' && this.error instanceof DeviceLostError) return;
    this.error = toAirgapError(err);
  }

  #fail(err: unknown): void {
    const e = toAirgapError(err);
    if (e instanceof EngineCrashedError && this.crashed) return;
    this.error = e;
    this.status = this.crashed ? 'error' : this.loaded ? 'ready' : 'error';
  }
}
