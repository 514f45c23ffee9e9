// Reference engine backend (test infrastructure, never the default): the deterministic tiny model
// from src/lib/reference behind the EngineBackend interface. Runs in the worker. Streams at a set
// token rate so tests can press Stop mid-stream; "/echo " messages stream their text back verbatim.

import { decodePlain, stopPolicy } from '../../lib/decoding';
import { createRng } from '../../lib/rng';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel, type ReferenceModelSpec } from '../../lib/reference/model';
import { ReferenceSession } from '../../lib/reference/session';
import { renderPrompt } from '../../lib/reference/template';
import { StreamingDecoder } from '../../lib/reference/tokenizer';
import { END_ID, VOCAB_SIZE } from '../../lib/reference/vocab';
import { splitEcho } from '../../lib/echo';
import { ContextWindowExceededError, ModelNotLoadedError, UnknownModelError } from '../errors';
import type { CatalogEntry, ChatRequest, KvShape, ChatResult, LoadOptions, LoadProgress, LoadResult } from '../protocol';
import type { EngineBackend } from './backend';

const SPECS: Record<string, ReferenceModelSpec> = {
  [REFERENCE_TINY.id]: REFERENCE_TINY,
  [REFERENCE_DRAFT.id]: REFERENCE_DRAFT,
};

const DEFAULT_MAX_TOKENS = 512;
const LOAD_STEPS = 5;
const LOAD_STEP_MS = 40;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ReferenceBackend implements EngineBackend {
  readonly kind = 'reference' as const;
  readonly #tokenIntervalMs: number;
  #session: ReferenceSession | undefined;
  #modelId: string | undefined;
  #interrupted = false;

  constructor(tokensPerSecond = 30) {
    this.#tokenIntervalMs = 1000 / Math.max(0.1, tokensPerSecond);
  }

  async catalog(): Promise<CatalogEntry[]> {
    return Object.values(SPECS).map((s) => ({
      id: s.id,
      source: 'reference',
      quantization: 'f32',
      contextWindow: s.contextWindow,
      vramBytes: 0,
      needsShaderF16: false,
      lowResource: true,
      kind: 'llm',
      libName: s.id,
      recurrentState: false,
      slidingWindow: false,
      vocabSize: VOCAB_SIZE,
    }));
  }

  async modelShape(modelId: string): Promise<KvShape | undefined> {
    return SPECS[modelId] ? { layers: 1, kvHeads: 1, headDim: 1, vocabSize: VOCAB_SIZE } : undefined;
  }

  async load(modelId: string, options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
    const spec = SPECS[modelId];
    if (!spec) throw new UnknownModelError(`"${modelId}" is not a reference model`);
    this.#session = undefined;
    this.#modelId = undefined;
    const bytesTotal = 4 * 1024 * 1024;
    for (let i = 1; i <= LOAD_STEPS; i++) {
      await sleep(LOAD_STEP_MS);
      const fraction = i / LOAD_STEPS;
      onProgress({ modelId, phase: 'loading', fraction, bytesDone: Math.round(bytesTotal * fraction), bytesTotal, text: `Loading ${modelId} (${i}/${LOAD_STEPS})` });
    }
    const contextWindow = Math.min(options.contextWindow ?? spec.contextWindow, spec.contextWindow);
    this.#session = new ReferenceSession(new ReferenceModel({ ...spec, contextWindow }));
    this.#modelId = modelId;
    return { modelId, contextWindow };
  }

  async chat(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult> {
    const session = this.#session;
    if (!session || this.#modelId !== request.modelId) throw new ModelNotLoadedError(`"${request.modelId}" is not loaded`);
    this.#interrupted = false;
    const last = request.messages.at(-1);
    if (last?.role === 'user') {
      const echo = splitEcho(last.content);
      if (echo) return this.#echo(echo, onDelta);
    }
    session.reset();
    const prompt = renderPrompt(request.messages);
    if (prompt.length >= session.contextWindow) {
      throw new ContextWindowExceededError(`the prompt has ${prompt.length} tokens; the context window holds ${session.contextWindow}`);
    }
    const decoder = new StreamingDecoder();
    let text = '';
    const pending: Promise<void>[] = [];
    const result = await decodePlain(session, prompt, {
      sampling: { temperature: request.temperature ?? 0.7, topP: request.topP ?? 0.95 },
      rng: createRng(request.seed ?? 42),
      aborted: () => this.#interrupted,
      commit: stopPolicy({
        stopTokenIds: [END_ID],
        maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        onToken: (id) => {
          const delta = decoder.push(id);
          if (delta) {
            text += delta;
            onDelta(delta);
          }
          pending.push(sleep(this.#tokenIntervalMs));
        },
      }),
    });
    await Promise.all(pending);
    const tail = decoder.flush();
    if (tail) {
      text += tail;
      onDelta(tail);
    }
    const decodeSeconds = Math.max(result.decodeMs, 1) / 1000;
    return {
      text,
      finishReason: result.finishReason,
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

  async unload(): Promise<void> {
    this.#session = undefined;
    this.#modelId = undefined;
  }

  async #echo(pieces: string[], onDelta: (text: string) => void): Promise<ChatResult> {
    let text = '';
    const start = performance.now();
    let finishReason: ChatResult['finishReason'] = 'stop';
    let completionTokens = 0;
    for (const piece of pieces) {
      if (this.#interrupted) {
        finishReason = 'abort';
        break;
      }
      completionTokens++;
      text += piece;
      onDelta(piece);
      await sleep(this.#tokenIntervalMs);
    }
    const seconds = Math.max(performance.now() - start, 1) / 1000;
    return {
      text,
      finishReason,
      usage: { promptTokens: 0, completionTokens, prefillTokensPerSecond: 0, decodeTokensPerSecond: completionTokens / seconds },
    };
  }
}
