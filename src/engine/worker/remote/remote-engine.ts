// The remote engine: models served by the user's OpenAI-compatible servers, beside the local backend
// (WebLLM or reference), with the same calls: its models for the catalog (refresh), load (the server lists the model), chat
// (streamed `POST {base}/chat/completions`), interrupt (abort). Runs in the worker. Invariants: a key
// goes only to its own server and is never logged; Stop keeps the partial reply as "abort"; a cut or
// malformed stream rejects in words after every delta that arrived was emitted (the caller marks it).

import type { CatalogEntry, ChatEvent, ChatRequest, ChatResult, LoadOptions, LoadProgress, LoadResult } from '../../protocol';
import { EngineBusyError, EngineError, ModelNotLoadedError, RemoteModelError, UnknownModelError, toAirgapError } from '../../errors';
import type { RemoteModelInfo, RemoteStatus } from '../../../lib/remote/endpoint';
import { parseRemoteModelId } from '../../../lib/remote/ids';
import { chatBody, replyStats } from '../../../lib/remote/chat-body';
import { ReasoningText } from '../../../lib/remote/reasoning-text';
import { plainSummary } from '../../../lib/speculative/planner';
import type { FinishReason } from '../../../lib/decoding';
import type { EngineBackend } from '../backend';
import { RemoteEndpoints, listModels, remoteCatalogEntry, whereOf, type RemoteEndpoint } from './endpoints';
import { readChatStream } from './openai-stream';
import { remoteFetch, requestHeaders, type FetchDeps } from './remote-fetch';

/** Shown as "Speculation off: …" under a remote reply. */
export const REMOTE_SPEC_REASON = 'the server does its own';

export interface RemoteDeps extends FetchDeps {
  /** A monotonic clock in ms (reply timing). */
  clock?: () => number;
}

/** Each server's models, and why a server added none. */
export interface RemoteCatalog {
  entries: CatalogEntry[];
  failures: { endpointId: string; error: unknown }[];
}

interface Loaded {
  endpoint: RemoteEndpoint;
  catalogId: string;
  modelId: string;
}

/** A listed model as settings remember it (0: the server did not say its context window). */
export function modelInfo(id: string, contextWindow: number): RemoteModelInfo {
  return contextWindow > 0 ? { id, contextWindow } : { id };
}

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';

function finishOf(reason: string | undefined): FinishReason {
  return reason === 'length' ? 'length' : 'stop';
}

export class RemoteEngine implements Pick<EngineBackend, 'load' | 'chat' | 'interrupt' | 'unload'> {
  readonly endpoints = new RemoteEndpoints();
  readonly #deps: RemoteDeps;
  #loaded: Loaded | undefined;
  #entries: readonly CatalogEntry[] = [];
  #abort: AbortController | undefined;

  constructor(deps: RemoteDeps = {}) {
    this.#deps = deps;
  }

  /** The remote model loaded now, if any (the handler answers `embed` with none while one is). */
  get loadedId(): string | undefined {
    return this.#loaded?.catalogId;
  }

  /** Every server's models at once; one that fails adds none and says why. */
  async listAll(): Promise<RemoteCatalog> {
    const endpoints = this.endpoints.list();
    const lists = await Promise.allSettled(endpoints.map((e) => listModels(e, this.#deps)));
    const out: RemoteCatalog = { entries: [], failures: [] };
    lists.forEach((r, i) => {
      if (r.status === 'fulfilled') out.entries.push(...r.value);
      else out.failures.push({ endpointId: endpoints[i]!.id, error: r.reason });
    });
    return out;
  }

  /** The models a server lists, without keeping it: the check before the user adds it. */
  async check(endpoint: RemoteEndpoint): Promise<RemoteModelInfo[]> {
    return (await listModels(endpoint, this.#deps)).map((e) => modelInfo(parseRemoteModelId(e.id)!.modelId, e.contextWindow));
  }

  /** The entries of the latest `refresh`: listed models, and the last known ones of unreachable servers as unavailable. */
  get entries(): readonly CatalogEntry[] {
    return this.#entries;
  }

  /** Lists every server again; a server that fails keeps its last known models, marked unavailable with the reason. */
  async refresh(): Promise<RemoteStatus[]> {
    const { entries, failures } = await this.listAll();
    const statuses = new Map<string, RemoteStatus>(this.endpoints.list().map((e) => [e.id, { id: e.id, models: [] }]));
    for (const entry of entries) {
      const parsed = parseRemoteModelId(entry.id)!;
      statuses.get(parsed.endpointId)?.models.push(modelInfo(parsed.modelId, entry.contextWindow));
    }
    const unavailable: CatalogEntry[] = [];
    for (const { endpointId, error } of failures) {
      const e = toAirgapError(error);
      statuses.set(endpointId, { id: endpointId, models: [], error: e.userMessage, errorName: e.name });
      const endpoint = this.endpoints.get(endpointId)!;
      for (const m of endpoint.models ?? []) unavailable.push({ ...remoteCatalogEntry(endpoint, m), unavailable: e.userMessage });
    }
    this.#entries = [...entries, ...unavailable];
    // A model whose server was removed cannot stay loaded.
    const loaded = this.#loaded && parseRemoteModelId(this.#loaded.catalogId);
    if (loaded && !this.endpoints.get(loaded.endpointId)) await this.unload();
    return [...statuses.values()];
  }

  /** "Loading" a remote model: its server is reached and lists it; nothing is downloaded. */
  async load(catalogId: string, _options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
    const { endpoint, modelId } = this.#resolve(catalogId);
    onProgress({ modelId: catalogId, phase: 'loading', fraction: 0, text: `Asking ${whereOf(endpoint).server} for ${modelId}` });
    const entry = (await listModels(endpoint, this.#deps)).find((e) => e.id === catalogId);
    if (!entry) throw new RemoteModelError(`${whereOf(endpoint).server} does not list ${modelId}`);
    this.#loaded = { endpoint, catalogId, modelId };
    onProgress({ modelId: catalogId, phase: 'loading', fraction: 1, text: `${modelId} on ${whereOf(endpoint).server}` });
    return { modelId: catalogId, contextWindow: entry.contextWindow };
  }

  async chat(request: ChatRequest, emit: (event: ChatEvent) => void): Promise<ChatResult> {
    const loaded = this.#loaded;
    if (!loaded || loaded.catalogId !== request.modelId) throw new ModelNotLoadedError(`${request.modelId} is not loaded`);
    if (this.#abort) throw new EngineBusyError('a remote reply is streaming');
    // OpenAI's API has no portable way to extend an assistant message (vLLM and llama-server each have their own).
    if (request.continueReply) throw new EngineError('Continuing a reply cut at its length limit is not available for remote models yet.');
    const abort = new AbortController();
    this.#abort = abort;
    const clock = this.#deps.clock ?? (() => performance.now());
    const joiner = new ReasoningText();
    let text = '';
    let deltas = 0;
    const push = (piece: string) => {
      if (!piece) return;
      text += piece;
      emit({ delta: piece });
    };
    const startMs = clock();
    let firstMs: number | undefined;
    let finish: string | undefined;
    let usage: { promptTokens: number; completionTokens: number } | undefined;
    let speeds: { prefillTokensPerSecond: number; decodeTokensPerSecond: number } | undefined;
    let aborted = false;
    try {
      const res = await remoteFetch(
        `${loaded.endpoint.baseUrl}/chat/completions`,
        {
          method: 'POST',
          headers: requestHeaders(loaded.endpoint.apiKey, false),
          body: JSON.stringify(chatBody(loaded.modelId, request)),
          signal: abort.signal,
        },
        whereOf(loaded.endpoint),
        this.#deps,
      );
      for await (const e of readChatStream(res.body ?? new Response('').body!)) {
        if (e.kind === 'content' || e.kind === 'reasoning') {
          firstMs ??= clock();
          deltas++;
          push(e.kind === 'content' ? joiner.content(e.text) : joiner.reasoning(e.text));
        } else if (e.kind === 'finish') finish = e.reason;
        else if (e.kind === 'usage') usage = { promptTokens: e.promptTokens, completionTokens: e.completionTokens };
        else if (e.kind === 'timings')
          speeds = { prefillTokensPerSecond: e.prefillTokensPerSecond, decodeTokensPerSecond: e.decodeTokensPerSecond };
      }
    } catch (err) {
      if (!isAbort(err)) {
        push(joiner.end());
        throw err;
      }
      aborted = true;
    } finally {
      this.#abort = undefined;
    }
    push(joiner.end());
    return {
      text,
      finishReason: aborted ? 'abort' : finishOf(finish),
      usage: replyStats(usage, deltas, { startMs, ...(firstMs === undefined ? {} : { firstMs }), endMs: clock() }, speeds),
      speculation: plainSummary(0, REMOTE_SPEC_REASON),
      dropped: 0,
    };
  }

  interrupt(): void {
    this.#abort?.abort();
  }

  async unload(): Promise<void> {
    this.interrupt();
    this.#loaded = undefined;
  }

  #resolve(catalogId: string): { endpoint: RemoteEndpoint; modelId: string } {
    const parsed = parseRemoteModelId(catalogId);
    const endpoint = parsed && this.endpoints.get(parsed.endpointId);
    if (!parsed || !endpoint) throw new UnknownModelError(`${catalogId} is not a model of any remote server in Settings`);
    return { endpoint, modelId: parsed.modelId };
  }
}
