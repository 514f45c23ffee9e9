// The product backend: one WebLLM MLCEngine driven directly (not through WebLLM's own worker
// handler, whose page-side client lives in the same 6 MB bundle). Runs in the engine worker only;
// this is one of the few files allowed to import @mlc-ai/web-llm.

import { MLCEngine, prebuiltAppConfig, type AppConfig, type ChatCompletionMessageParam } from '@mlc-ai/web-llm';
import { parseProgressText, toCatalogEntry } from '../../lib/catalog';
import { ModelLoadError, ModelNotLoadedError, UnknownModelError, WebGPUUnavailableError } from '../errors';
import type { CatalogEntry, ChatRequest, KvShape, ChatResult, LoadOptions, LoadProgress, LoadResult } from '../protocol';
import type { EngineBackend } from './backend';
import { fetchKvShape } from './model-config';

export class WebLLMBackend implements EngineBackend {
  readonly kind = 'webllm' as const;
  readonly #appConfig: AppConfig;
  #engine: MLCEngine | undefined;
  #loaded: LoadResult | undefined;
  #onProgress: ((p: LoadProgress) => void) | undefined;
  #loadingId: string | undefined;

  constructor(appConfig: AppConfig = prebuiltAppConfig) {
    this.#appConfig = appConfig;
  }

  async catalog(): Promise<CatalogEntry[]> {
    return this.#appConfig.model_list.map((r) => toCatalogEntry(r, 'prebuilt'));
  }

  async modelShape(modelId: string): Promise<KvShape | undefined> {
    const record = this.#appConfig.model_list.find((r) => r.model_id === modelId);
    return record ? fetchKvShape(record.model) : undefined;
  }

  async load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
    const record = this.#appConfig.model_list.find((r) => r.model_id === modelId);
    if (!record) throw new UnknownModelError(`"${modelId}" is not in the catalog`);
    if (!('gpu' in navigator) || !navigator.gpu) throw new WebGPUUnavailableError('navigator.gpu is missing in the worker');
    const engine = this.#ensureEngine();
    this.#loaded = undefined;
    this.#onProgress = onProgress;
    this.#loadingId = modelId;
    const contextWindow = options.contextWindow ?? record.overrides?.context_window_size ?? 4096;
    try {
      await engine.reload(modelId, { context_window_size: contextWindow });
    } catch (err) {
      if (err instanceof Error && /WebGPU|ShaderF16|DeviceLost/.test(err.name)) throw err;
      throw new ModelLoadError(err instanceof Error ? err.message : String(err), { cause: err });
    } finally {
      this.#onProgress = undefined;
      this.#loadingId = undefined;
    }
    this.#loaded = { modelId, contextWindow };
    return this.#loaded;
  }

  async chat(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult> {
    const engine = this.#engine;
    if (!engine || this.#loaded?.modelId !== request.modelId) {
      throw new ModelNotLoadedError(`"${request.modelId}" is not loaded`);
    }
    const stream = await engine.chat.completions.create({
      model: request.modelId,
      messages: request.messages as ChatCompletionMessageParam[],
      stream: true,
      stream_options: { include_usage: true },
      temperature: request.temperature,
      top_p: request.topP,
      max_tokens: request.maxTokens,
      seed: request.seed,
    });
    let text = '';
    let finishReason: ChatResult['finishReason'] = 'stop';
    const usage = { promptTokens: 0, completionTokens: 0, prefillTokensPerSecond: 0, decodeTokensPerSecond: 0 };
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const delta = choice?.delta.content;
      if (delta) {
        text += delta;
        onDelta(delta);
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason === 'length' ? 'length' : choice.finish_reason === 'abort' ? 'abort' : 'stop';
      if (chunk.usage) {
        usage.promptTokens = chunk.usage.prompt_tokens;
        usage.completionTokens = chunk.usage.completion_tokens;
        usage.prefillTokensPerSecond = chunk.usage.extra?.prefill_tokens_per_s ?? 0;
        usage.decodeTokensPerSecond = chunk.usage.extra?.decode_tokens_per_s ?? 0;
      }
    }
    return { text, finishReason, usage };
  }

  interrupt(): void {
    void this.#engine?.interruptGenerate();
  }

  async unload(): Promise<void> {
    this.#loaded = undefined;
    await this.#engine?.unload();
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
