// The product backend: one WebLLM MLCEngine driven directly (not through WebLLM's own worker
// handler, whose page-side client lives in the same 6 MB bundle). Runs in the engine worker only;
// this folder is the only place allowed to import @mlc-ai/web-llm. Speculative decoding runs
// through webllm-spec/ when the model, the request and the on-device self-check allow it;
// otherwise replies use WebLLM's own decoding and the reason is reported. `embed`: webllm-model-set.ts.

import {
  MLCEngine,
  hasModelInCache,
  prebuiltAppConfig,
  type AppConfig,
  type ChatCompletionMessageParam,
  type ChatCompletionRequestStreaming,
  type ModelRecord,
} from '@mlc-ai/web-llm';
import { parseProgressText, toCatalogEntry } from '../../lib/catalog';
import { recordContext, windowChatOptions } from '../../lib/gpu/window';
import { generationConfigFor } from '../../lib/speculative/merged-sampling';
import { SpeculationPlanner, draftPairingNote } from '../../lib/speculative/planner';
import { messageOf } from '../../lib/message';
import {
  DeviceLostError,
  ModelLoadError,
  isNetworkFailure,
  networkError,
  ModelNotLoadedError,
  ShaderF16UnsupportedError,
  UnknownModelError,
  WebGPUUnavailableError,
  toAirgapError,
  type AirgapError,
} from '../errors';
import type { CacheBackend, CatalogEntry, ChatEvent, ChatRequest, ChatResult, LoadOptions, LoadProgress, LoadResult } from '../protocol';
import type { EngineBackend } from './backend';
import { DeviceWatch } from './device-watch';
import { embedWithModel } from './embed-batches';
import { mergeRecords, type RecordSource } from './model-files/sources';
import { continueChat } from './webllm-continue';
import { embeddingRefusal, idsOf, loadAttempts, reloadSet, type ModelSet } from './webllm-model-set';
import { fitRequest } from './fit-request';
import { plainChat, streamingFields } from './webllm-plain-chat';
import { loadedPrompt } from './webllm-prompt-tokens';
import { planInput, prepareSpeculation, type Loaded } from './webllm-speculation';
import { engineInternals, gpuDeviceOf, type PipelineInternals } from './webllm-spec/internals';
import { speculativeChat } from './webllm-spec/speculative-chat';

export class WebLLMBackend implements EngineBackend {
  readonly kind = 'webllm' as const;
  readonly #appConfig: AppConfig;
  readonly #added = new Map<string, 'custom' | 'imported'>();
  #engine: MLCEngine | undefined;
  #loaded: Loaded | undefined;
  #embedId: string | undefined; // the embedding model loaded beside the chat model
  #onProgress: ((p: LoadProgress) => void) | undefined;
  #loadingId: string | undefined;
  readonly #planner = new SpeculationPlanner();
  readonly #deviceWatch = new DeviceWatch();
  readonly #onDeviceLost: (message: string) => void;

  constructor(cacheBackend: CacheBackend = 'cache', onDeviceLost: (message: string) => void = () => {}) {
    this.#onDeviceLost = onDeviceLost;
    this.#appConfig = { ...prebuiltAppConfig, cacheBackend, model_list: [...prebuiltAppConfig.model_list] };
  }

  /** Records join the catalog (model-files/sources.ts, mergeRecords); a built-in the site replaced stays "prebuilt". */
  addRecords(records: readonly ModelRecord[], source: RecordSource = 'custom'): void {
    for (const id of mergeRecords(this.#appConfig.model_list, records, source === 'site'))
      this.#added.set(id, source === 'imported' ? 'imported' : 'custom');
  }

  removeRecords(modelIds: readonly string[]): void {
    this.#appConfig.model_list = this.#appConfig.model_list.filter((r) => !modelIds.includes(r.model_id));
    for (const id of modelIds) this.#added.delete(id);
  }

  records(): ModelRecord[] {
    return this.#appConfig.model_list;
  }

  async catalog(): Promise<CatalogEntry[]> {
    return this.#appConfig.model_list.map((r) => toCatalogEntry(r, this.#added.get(r.model_id) ?? 'prebuilt'));
  }

  async cached(modelIds: string[]): Promise<Record<string, boolean>> {
    const out: Record<string, boolean> = {};
    for (const id of modelIds) out[id] = await hasModelInCache(id, this.#appConfig).catch(() => false);
    return out;
  }

  async load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
    const record = this.#appConfig.model_list.find((r) => r.model_id === modelId);
    if (!record) throw new UnknownModelError(`"${modelId}" is not in the catalog`);
    if (!('gpu' in navigator) || !navigator.gpu) throw new WebGPUUnavailableError('navigator.gpu is missing in the worker');
    const engine = this.#ensureEngine();
    this.#loaded = undefined;
    this.#embedId = undefined;
    // reload() destroys the old device on purpose: stop watching first, or our own reload would be
    // reported as a lost device.
    this.#deviceWatch.stop();
    this.#onProgress = onProgress;
    const contextWindow = options.contextWindow ?? recordContext(record.overrides);
    // The page's window figures are the target's; a draft model gets its record's and the same context.
    const windowOf = (id: string) =>
      windowChatOptions(
        this.#appConfig.model_list.find((r) => r.model_id === id)?.overrides,
        id === modelId ? { ...options, contextWindow } : { contextWindow },
      );
    const known = (id: string) => this.#appConfig.model_list.some((r) => r.model_id === id);
    let draftNote = options.draftModelId ? draftPairingNote(modelId, options.draftModelId, known) : undefined;
    const draftId = draftNote ? undefined : options.draftModelId;
    let embeddingNote = options.embeddingModelId ? embeddingRefusal(this.#appConfig.model_list, options.embeddingModelId) : undefined;
    const embedId = embeddingNote ? undefined : options.embeddingModelId;
    let set: ModelSet;
    try {
      this.#loadingId = modelId;
      const r = await reloadSet(engine, loadAttempts(modelId, draftId, embedId), windowOf, (err) => isGpuFailure(toAirgapError(err)));
      set = r.set;
      draftNote ??= r.draftNote;
      embeddingNote ??= r.embedNote;
    } catch (err) {
      const e = toAirgapError(err);
      if (isGpuFailure(e) || e instanceof ShaderF16UnsupportedError) throw e;
      // WebLLM fetches what is not stored yet from the record's host.
      if (isNetworkFailure(err)) throw networkError(record.model);
      throw new ModelLoadError(messageOf(err), { cause: err });
    } finally {
      this.#onProgress = undefined;
      this.#loadingId = undefined;
    }
    this.#embedId = set.embed;
    const loaded: Loaded = { modelId };
    prepareSpeculation(this.#engine, loaded, set.chat, options, (note) => (draftNote = note));
    if (loaded.draft && set.chat[1]) loaded.draftModelId = set.chat[1];
    this.#planner.loaded(modelId, loaded.draft !== undefined);
    if (draftNote) loaded.draftNote = draftNote;
    this.#loaded = loaded;
    this.#watchDevices(idsOf(set));
    const result: LoadResult = { modelId, contextWindow };
    if (loaded.draftModelId) result.draftModelId = loaded.draftModelId;
    if (draftNote) result.draftNote = draftNote;
    if (this.#embedId) result.embeddingModelId = this.#embedId;
    if (embeddingNote) result.embeddingNote = embeddingNote;
    return result;
  }

  /** Vectors from the embedding model loaded beside the chat model; null when none is. */
  readonly embed: EngineBackend['embed'] = async (texts, query = false) =>
    this.#engine && this.#embedId ? embedWithModel(this.#engine.embeddings, this.#embedId, texts, query) : null;
  readonly countTokens: EngineBackend['countTokens'] = async (modelId, messages) => this.#prompt(modelId).count(messages);

  /** The loaded model's prompt counter and window (WebLLM's own template and tokenizer). */
  #prompt(modelId: string): ReturnType<typeof loadedPrompt> {
    if (!this.#engine || this.#loaded?.modelId !== modelId) throw new ModelNotLoadedError(`"${modelId}" is not loaded`);
    return loadedPrompt(this.#engine, modelId);
  }

  async chat(asked: ChatRequest, emit: (event: ChatEvent) => void): Promise<ChatResult> {
    const prompt = this.#prompt(asked.modelId);
    const { request, dropped } = fitRequest(asked, prompt.count, prompt.window);
    return { ...(await this.#reply(request, emit)), dropped };
  }

  async #reply(request: ChatRequest, emit: (event: ChatEvent) => void): Promise<ChatResult> {
    const engine = this.#engine;
    const loaded = this.#loaded;
    if (!engine || loaded?.modelId !== request.modelId) throw new ModelNotLoadedError(`"${request.modelId}" is not loaded`);
    if (request.continueReply && request.messages.at(-1)?.role === 'assistant') return continueChat(engine, request, emit);
    const webllmRequest: ChatCompletionRequestStreaming = {
      model: request.modelId,
      messages: request.messages as ChatCompletionMessageParam[],
      ...streamingFields(request),
    };
    // The same generation config WebLLM builds from this request; the sampler merges it with the
    // model's chat config, and so do eligibility and the speculative samplers.
    const genConfig = generationConfigFor(webllmRequest);
    const plan = await this.#planner.plan(planInput(this.#engine, request, webllmRequest, genConfig, loaded));
    if (plan.drafter && loaded.target) {
      const internals = engineInternals(engine);
      const locks = [request.modelId, ...(plan.drafter.kind === 'draft-model' && loaded.draftModelId ? [loaded.draftModelId] : [])].map(
        (id) => internals.loadedModelIdToLock.get(id)!,
      );
      return speculativeChat({
        engine: internals,
        request: webllmRequest,
        targetId: request.modelId,
        target: loaded.target,
        genConfig,
        drafter: plan.drafter,
        controller: plan.controller,
        locks,
        seed: request.seed,
        emit,
      });
    }
    return plainChat(engine, webllmRequest, emit, plan.reason);
  }

  interrupt(): void {
    void this.#engine?.interruptGenerate();
  }

  async unload(): Promise<void> {
    this.#loaded = undefined;
    this.#embedId = undefined;
    this.#deviceWatch.stop();
    await this.#engine?.unload();
  }

  /**
   * WebLLM unloads every model when the device is lost (an allocation that did not fit, such as a
   * verify workspace): from then on nothing is loaded, and the page is told.
   */
  #watchDevices(ids: readonly string[]): void {
    let pipes: (PipelineInternals | undefined)[];
    try {
      const internals = engineInternals(this.#engine);
      pipes = ids.map((id) => internals.loadedModelIdToPipeline.get(id));
    } catch {
      pipes = [];
    }
    this.#deviceWatch.watch(
      pipes.map((p) => p && gpuDeviceOf(p)),
      (message) => {
        this.#loaded = undefined;
        this.#embedId = undefined;
        this.#onDeviceLost(message);
      },
    );
  }

  #ensureEngine(): MLCEngine {
    if (!this.#engine) {
      this.#engine = new MLCEngine({
        appConfig: this.#appConfig,
        initProgressCallback: (report) => {
          const modelId = this.#loadingId;
          if (!modelId || !this.#onProgress) return;
          const parsed = parseProgressText(report.text, report.progress);
          this.#onProgress({ modelId, fraction: report.progress, text: report.text, ...parsed });
        },
      });
    }
    return this.#engine;
  }
}

/** No GPU, or the GPU went away: loading anything else (a lone target) will not help. */
function isGpuFailure(e: AirgapError): boolean {
  return e instanceof WebGPUUnavailableError || e instanceof DeviceLostError;
}
