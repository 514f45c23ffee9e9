// Page state of the engine's lifecycle: the worker's boot, status, crash and restart, the adapter it
// sees, the model it holds and the reply it is generating. Wraps EngineClient; models and storage
// state reach the worker through `call`, and join boot and restart through `onBoot` / `onRestart`.
// A lost GPU device unloads everything (status "error", Load works again).

import { EngineClient } from '../../engine/client';
import { DeviceLostError } from '../../engine/errors';
import type {
  CallEvent,
  CallKind,
  ChatRequest,
  ChatResult,
  EngineKind,
  GpuReport,
  HelloParams,
  HelloResult,
  LoadOptions,
  LoadProgress,
  LoadResult,
  Params,
  Result,
  SpecSummary,
} from '../../engine/protocol';
import type { ErrorState } from './errors.svelte';

export type EngineStatus = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

/** The part of the worker's start that settings choose (storage and sources). */
export type WorkerConfig = Pick<HelloParams, 'cacheBackend' | 'modelSources' | 'siteFile'>;

export class EngineState {
  readonly kind: EngineKind;
  #options: HelloParams;
  readonly #client: EngineClient;
  readonly #errors: ErrorState;
  readonly #bootSteps: ((hello: HelloResult) => Promise<void>)[] = [];
  readonly #restartSteps: (() => void)[] = [];

  #status = $state<EngineStatus>('idle');
  #ready = $state(false);
  #crashed = $state(false);
  #gpu = $state.raw<GpuReport | null | undefined>(undefined);
  #loaded = $state.raw<LoadResult | undefined>(undefined);
  #liveSpec = $state.raw<SpecSummary | undefined>(undefined);

  constructor(options: HelloParams, createWorker: () => Worker, errors: ErrorState) {
    this.kind = options.engine;
    this.#options = options;
    this.#errors = errors;
    this.#client = new EngineClient(createWorker);
    this.#client.onCrash((err) => {
      this.#crashed = true;
      this.#status = 'error';
      this.#loaded = undefined;
      errors.pin(err);
    });
    this.#client.onNotice((notice) => {
      if (notice.kind !== 'deviceLost') return;
      // The worker unloaded everything with the device: nothing is loaded any more.
      this.#loaded = undefined;
      this.#status = 'error';
      errors.raise(new DeviceLostError(notice.message));
    });
  }

  /** "error" lasts while the error is on screen (a crash until restart); once the user dismissed
   *  it, the status says what is true again: a model to use, or none. */
  get status(): EngineStatus {
    if (this.#status === 'error' && !this.#crashed && !this.#errors.current) return this.#loaded ? 'ready' : 'idle';
    return this.#status;
  }
  /** The worker answered and the catalog is in. */
  get ready(): boolean {
    return this.#ready;
  }
  get crashed(): boolean {
    return this.#crashed;
  }
  /** Loading, generating or crashed: no new load, download or send now. */
  get busy(): boolean {
    return this.#status === 'loading' || this.#status === 'generating' || this.#crashed;
  }
  /** The adapter the worker sees; null when there is none, undefined until it answered. */
  get gpu(): GpuReport | null | undefined {
    return this.#gpu;
  }
  /** The model the worker holds. */
  get loaded(): LoadResult | undefined {
    return this.#loaded;
  }
  /** Speculation stats of the reply in progress, or of the last one. */
  get liveSpec(): SpecSummary | undefined {
    return this.#liveSpec;
  }

  /** A typed call to the worker, for the page state next to this one. */
  call<K extends CallKind>(
    kind: K,
    params: Params<K>,
    onEvent?: (event: CallEvent<K>) => void,
    transfer?: Transferable[],
  ): Promise<Result<K>> {
    return this.#client.call(kind, params, onEvent, transfer);
  }

  /** Runs `step` on every boot, once the worker said hello; boot is done when all steps are. */
  onBoot(step: (hello: HelloResult) => Promise<void>): void {
    this.#bootSteps.push(step);
  }

  /** Runs `step` when the worker is replaced, before it boots again. */
  onRestart(step: () => void): void {
    this.#restartSteps.push(step);
  }

  async boot(): Promise<void> {
    try {
      const hello = await this.#client.call('hello', {
        ...this.#options,
        cacheBackend: this.#options.cacheBackend ?? 'cache',
        modelSources: this.#options.modelSources ?? [],
      });
      const [gpu] = await Promise.all([this.#client.call('gpuReport', null), ...this.#bootSteps.map((step) => step(hello))]);
      this.#gpu = gpu;
      this.#ready = true;
    } catch (err) {
      this.fail(err);
    }
  }

  /** Sets storage and sources before the first boot. */
  configure(config: WorkerConfig): void {
    this.#options = { ...this.#options, ...config };
  }

  /** Restarts the worker with other storage or sources (the conversation is untouched). */
  async reconfigure(config: WorkerConfig): Promise<void> {
    this.configure(config);
    await this.restart();
  }

  /** Starts a fresh worker; the conversation lives on the page and is untouched. */
  async restart(): Promise<void> {
    this.#client.restart();
    for (const step of this.#restartSteps) step();
    this.#crashed = false;
    this.#ready = false;
    this.#loaded = undefined;
    this.#errors.reset();
    this.#status = 'idle';
    await this.boot();
  }

  /** Loads a model into the worker; false when busy or when it failed (the error is reported). */
  async load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<boolean> {
    if (!modelId || this.#status === 'loading' || this.#status === 'generating') return false;
    this.#status = 'loading';
    this.#errors.dismiss();
    this.#loaded = undefined;
    onProgress({ modelId, phase: 'fetching', fraction: 0, text: 'Starting…' });
    try {
      this.#loaded = await this.#client.call('load', { modelId, options }, onProgress);
      this.#status = 'ready';
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  /** The worker let go of `modelId` by itself (its remote server was removed): nothing is loaded now. */
  forget(modelId: string): void {
    if (this.#loaded?.modelId !== modelId || this.#status === 'generating') return;
    this.#loaded = undefined;
    if (this.#status === 'ready') this.#status = 'idle';
  }

  async chat(request: ChatRequest, onDelta: (text: string, fromDraft: boolean) => void): Promise<ChatResult> {
    this.#status = 'generating';
    this.#liveSpec = undefined;
    try {
      const result = await this.#client.call('chat', request, (e) => {
        if ('delta' in e) onDelta(e.delta, e.fromDraft === true);
        else this.#liveSpec = e.spec;
      });
      this.#liveSpec = result.speculation;
      return result;
    } finally {
      if (!this.#crashed && this.#status === 'generating') this.#status = this.#loaded ? 'ready' : 'idle';
    }
  }

  async interrupt(): Promise<void> {
    if (this.#status !== 'generating') return;
    await this.#client.call('interrupt', null).catch((err: unknown) => this.fail(err));
  }

  /** A worker call failed: report it, and say whether a model is still there to use. */
  fail(err: unknown): void {
    this.#errors.report(err);
    this.#status = this.#crashed ? 'error' : this.#loaded ? 'ready' : 'error';
  }

  /** Test hook: makes the worker throw an uncaught error (reference engine only). */
  crashForTest(): Promise<null> {
    return this.#client.call('crashForTest', null);
  }
}
