// Reference engine backend (test infrastructure, never the default): the deterministic tiny model
// from src/lib/reference behind the EngineBackend interface. Runs in the worker. Each model step
// costs simulated GPU time (decode = 1/tps seconds, a verify pass a little more, a draft step a
// quarter), so streaming, Stop and speculative decoding behave as on a GPU. "/echo " messages
// stream their text back verbatim.

import { decodePlain, stopPolicy, type DecodeOptions } from '../../lib/decoding';
import { REQUEST_COMMAND, echoRemainder, splitEcho } from '../../lib/reference/echo';
import { createRng } from '../../lib/rng';
import { ReferenceModel } from '../../lib/reference/model';
import { ReferenceSession } from '../../lib/reference/session';
import { renderPrompt } from '../../lib/reference/template';
import { StreamingDecoder } from '../../lib/reference/tokenizer';
import { END_ID } from '../../lib/reference/vocab';
import { CostedModel, DRAFT_COSTS, TARGET_COSTS } from '../../lib/reference/cost-model';
import { DraftModelDrafter } from '../../lib/speculative/draft-model';
import { decodeSpeculative } from '../../lib/speculative/loop';
import { SpeculationPlanner, draftPairingNote, plainSummary, specSummary } from '../../lib/speculative/planner';
import type { SpecStats } from '../../lib/speculative/types';
import { MIB } from '../../lib/units';
import { ContextWindowExceededError, ModelNotLoadedError, UnknownModelError } from '../errors';
import type {
  CatalogEntry,
  ChatEvent,
  ChatMessage,
  ChatRequest,
  ChatResult,
  EngineHooks,
  LoadOptions,
  LoadProgress,
  LoadResult,
  SpecSummary,
} from '../protocol';
import type { EngineBackend } from './backend';
import { fitRequest } from './fit-request';
import { mergeRecords, type RecordSource, type SourceRecord } from './model-files/sources';
import { REFERENCE_SPECS, referenceCatalog } from './reference-catalog';
import { streamEcho } from './reference-echo';
import { referenceEmbed } from './reference-embed';
import { runSelfCheck } from './reference-self-check';

const DEFAULT_MAX_TOKENS = 512;
const LOAD_STEPS = 5;
const LOAD_STEP_MS = 40;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ReferenceOptions extends Omit<EngineHooks, 'engine'> {
  onDeviceLost?: (message: string) => void;
}

interface Loaded {
  id: string;
  model: ReferenceModel;
}

export class ReferenceBackend implements EngineBackend {
  readonly kind = 'reference' as const;
  readonly #decodeMs: number;
  readonly #corruptSelfCheck: boolean;
  readonly #maxTokensCap: number;
  #target: Loaded | undefined;
  #draft: Loaded | undefined;
  #draftNote: string | undefined;
  #interrupted = false;
  #loseDeviceAfterLoad: boolean;
  readonly #onDeviceLost: (message: string) => void;
  readonly #planner = new SpeculationPlanner();
  readonly #records: SourceRecord[] = [];

  constructor(o: ReferenceOptions = {}) {
    this.#decodeMs = 1000 / Math.max(0.1, o.tokensPerSecond ?? 30);
    this.#corruptSelfCheck = o.corruptSelfCheck ?? false;
    this.#maxTokensCap = o.maxTokensForTest ?? Infinity;
    this.#loseDeviceAfterLoad = o.deviceLostForTest === 'after-load';
    this.#onDeviceLost = o.onDeviceLost ?? (() => {});
  }

  async catalog(): Promise<CatalogEntry[]> {
    return referenceCatalog();
  }

  /** Custom-source records are kept for the model store's downloads only: reference models need no files. */
  readonly records = (): readonly SourceRecord[] => this.#records;
  readonly addRecords = (records: readonly SourceRecord[], source: RecordSource = 'custom'): void =>
    void mergeRecords(this.#records, records, source === 'site');
  readonly removeRecords = (ids: readonly string[]): void =>
    void this.#records.splice(0, this.#records.length, ...this.#records.filter((r) => !ids.includes(r.model_id)));

  async cached(modelIds: string[]): Promise<Record<string, boolean>> {
    return Object.fromEntries(modelIds.map((id) => [id, id in REFERENCE_SPECS]));
  }

  async load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
    const spec = REFERENCE_SPECS[modelId];
    if (!spec) throw new UnknownModelError(`"${modelId}" is not a reference model`);
    this.#target = undefined;
    this.#draft = undefined;
    const bytesTotal = 4 * MIB;
    for (let i = 1; i <= LOAD_STEPS; i++) {
      await sleep(LOAD_STEP_MS);
      const fraction = i / LOAD_STEPS;
      onProgress({
        modelId,
        phase: 'loading',
        fraction,
        bytesDone: Math.round(bytesTotal * fraction),
        bytesTotal,
        text: `Loading ${modelId} (${i}/${LOAD_STEPS})`,
      });
    }
    const contextWindow = Math.min(options.contextWindow ?? spec.contextWindow, spec.contextWindow);
    this.#target = { id: modelId, model: new ReferenceModel({ ...spec, contextWindow }) };
    const result: LoadResult = { modelId, contextWindow };
    this.#draftNote = options.draftModelId ? draftPairingNote(modelId, options.draftModelId, (id) => id in REFERENCE_SPECS) : undefined;
    if (this.#draftNote) result.draftNote = this.#draftNote;
    else if (options.draftModelId) {
      const d = REFERENCE_SPECS[options.draftModelId]!;
      // Same vocabulary by construction; a real engine compares the tokenizers here.
      this.#draft = { id: d.id, model: new ReferenceModel({ ...d, contextWindow }) };
      result.draftModelId = d.id;
    }
    this.#planner.loaded(modelId, this.#draft !== undefined);
    if (this.#loseDeviceAfterLoad) {
      this.#loseDeviceAfterLoad = false;
      // As WebLLM does on device.lost: every model is unloaded. After the load's answer has gone out.
      setTimeout(() => {
        this.#target = undefined;
        this.#draft = undefined;
        this.#onDeviceLost('the GPU device was lost (simulated by the test hook)');
      });
    }
    return result;
  }

  readonly embed: EngineBackend['embed'] = referenceEmbed;
  async countTokens(modelId: string, messages: readonly ChatMessage[]): Promise<number> {
    this.#loadedTarget(modelId);
    return renderPrompt(messages).length;
  }

  #loadedTarget(modelId: string): Loaded {
    const target = this.#target;
    if (!target || target.id !== modelId) throw new ModelNotLoadedError(`"${modelId}" is not loaded`);
    return target;
  }

  async chat(asked: ChatRequest, emit: (event: ChatEvent) => void): Promise<ChatResult> {
    const target = this.#loadedTarget(asked.modelId);
    // Echo replies are fitted too (tests fill a small window with scripted text), unless one alone exceeds it.
    const window = target.model.spec.contextWindow;
    const last = asked.messages.slice(-1);
    const fit = splitEcho(last[0]?.content ?? '') && renderPrompt(last).length > window ? undefined : fitRequest;
    const { request, dropped } = fit ? fit(asked, (ms) => renderPrompt(ms).length, window) : { request: asked, dropped: 0 };
    return { ...(await this.#reply(target, request, emit)), dropped };
  }

  async #reply(target: Loaded, request: ChatRequest, emit: (event: ChatEvent) => void): Promise<ChatResult> {
    this.#interrupted = false;
    const maxTokens = Math.min(request.maxTokens ?? DEFAULT_MAX_TOKENS, this.#maxTokensCap);
    const continued = request.continueReply && request.messages.at(-1)?.role === 'assistant' ? request.messages.at(-1) : undefined;
    const question = request.messages.at(continued ? -2 : -1);
    const echo = question?.role === 'user' ? splitEcho(question.content, request) : undefined;
    if (echo) {
      const pieces = continued ? echoRemainder(echo, continued.content) : echo;
      // Scripted text streams whole unless max tokens is asked for; the request's own description always does.
      const cap = question!.content.trim() === REQUEST_COMMAND ? Infinity : Math.min(request.maxTokens ?? Infinity, this.#maxTokensCap);
      return streamEcho(pieces, emit, this.#decodeMs, () => this.#interrupted, cap);
    }
    const prompt = renderPrompt(request.messages, continued !== undefined);
    if (prompt.length >= target.model.spec.contextWindow) {
      throw new ContextWindowExceededError(
        `the prompt has ${prompt.length} tokens; the context window holds ${target.model.spec.contextWindow}`,
      );
    }
    const session = new CostedModel(new ReferenceSession(target.model), TARGET_COSTS, this.#wait);
    const decoder = new StreamingDecoder();
    let text = '';
    const sampling = { temperature: request.temperature ?? 0.7, topP: request.topP ?? 0.95 };
    const options: DecodeOptions = {
      sampling,
      rng: createRng(request.seed ?? 42),
      aborted: () => this.#interrupted,
      commit: stopPolicy({
        stopTokenIds: [END_ID],
        maxTokens,
        onToken: (id, fromDraft) => {
          const delta = decoder.push(id);
          if (!delta) return;
          text += delta;
          emit({ delta, fromDraft });
        },
      }),
    };
    const draft = this.#draft;
    const plan = await this.#planner.plan({
      modelId: target.id,
      speculative: request.speculative,
      draftNote: this.#draftNote,
      target: {
        selfCheck: (k) => runSelfCheck(target.model, k, this.#corruptSelfCheck),
        ...(draft && {
          draftModel: () => {
            const session = new CostedModel(new ReferenceSession(draft.model), DRAFT_COSTS, this.#wait);
            return new DraftModelDrafter(session, sampling, createRng((request.seed ?? 42) ^ 0x5eed));
          },
        }),
      },
    });
    let result;
    let speculation: SpecSummary;
    if (plan.drafter) {
      const used = plan.drafter.kind;
      const onStep = (s: SpecStats) => emit({ spec: specSummary(used, s) });
      result = await decodeSpeculative(session, prompt, { ...options, drafter: plan.drafter, controller: plan.controller, onStep });
      speculation = specSummary(used, result.stats);
    } else {
      result = await decodePlain(session, prompt, options);
      speculation = plainSummary(result.targetPasses, plan.reason);
    }
    const tail = decoder.flush();
    if (tail) {
      text += tail;
      emit({ delta: tail });
    }
    const decodeSeconds = Math.max(result.decodeMs, 1) / 1000;
    return {
      text,
      finishReason: result.finishReason,
      speculation,
      usage: {
        promptTokens: prompt.length,
        completionTokens: result.tokens.length,
        prefillTokensPerSecond: prompt.length / (Math.max(result.prefillMs, 0.001) / 1000),
        decodeTokensPerSecond: result.tokens.length / decodeSeconds,
      },
    };
  }

  interrupt(): void {
    this.#interrupted = true;
  }

  /** Sleeps for a simulated cost, scaled so that one target decode lasts 1/tps seconds. */
  readonly #wait = (ms: number): Promise<void> => sleep((ms * this.#decodeMs) / TARGET_COSTS.decodeMs);

  async unload(): Promise<void> {
    this.#target = undefined;
    this.#draft = undefined;
  }
}
