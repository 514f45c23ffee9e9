// The typed call map between the page and the engine worker. Types only: both sides import it,
// neither pulls the other's code. Every message carries the id of the call it belongs to; events
// (load progress, streamed deltas) flow worker → page tagged with that id until the call settles.
// Call map, notices and error rules: ARCHITECTURE.md, "Worker protocol".

import type { CatalogEntry, LoadPhase } from '../lib/catalog';
import type { OverflowPolicy } from '../lib/context-fit';
import type { ChatMessage, ChatUsage } from '../lib/conversation';
import type { FinishReason } from '../lib/decoding';
import type { BundleExportProgress, BundleExportResult, BundleTarget } from '../lib/bundle/export-types';
import type { FolderFile, ImportProgress, ImportResult } from '../lib/bundle/import-types';
import type { CacheBackend } from '../lib/download/files';
import type { CachedModel, DownloadFileProgress, DownloadProgress, DownloadResult, StorageReport } from './storage-types';
import type { GpuReport, KvShape } from '../lib/gpu/types';
import type { SpecMode, SpecRequest, SpecSummary } from '../lib/speculative/types';
import type { VerifyMemory } from '../lib/speculative/verify-plan';
import type { EngineHooks, EngineKind } from '../lib/url-hooks';
import type { RemoteEndpoint, RemoteModelInfo, RemoteStatus } from '../lib/remote/endpoint';

// Shapes that pure code computes with live in lib/; the protocol carries them as they are.
export type {
  CacheBackend,
  CachedModel,
  DownloadFileProgress,
  DownloadProgress,
  DownloadResult,
  StorageReport,
  CatalogEntry,
  ChatMessage,
  ChatUsage,
  EngineHooks,
  EngineKind,
  FinishReason,
  BundleExportProgress,
  BundleExportResult,
  BundleTarget,
  FolderFile,
  GpuReport,
  ImportProgress,
  ImportResult,
  KvShape,
  LoadPhase,
  OverflowPolicy,
  RemoteEndpoint,
  RemoteModelInfo,
  RemoteStatus,
  SpecMode,
  SpecRequest,
  SpecSummary,
  VerifyMemory,
};

export interface SourceResult {
  url: string;
  modelIds: string[];
  error?: string;
  /** Named by the site file of the server the app came from (not saved in settings, not removable). */
  site?: true;
}

export interface LoadProgress {
  modelId: string;
  phase: LoadPhase;
  /** 0..1 within the phase. */
  fraction: number;
  bytesDone?: number;
  bytesTotal?: number;
  text: string;
}

export interface ChatRequest {
  modelId: string;
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  speculative?: SpecRequest;
  /**
   * The last message is an assistant reply cut short (finishReason "length"): the engine continues
   * that reply instead of starting a new one, and the result's text is only what it adds.
   */
  continueReply?: boolean;
  /** When the conversation does not fit the context window (absent: leave out the oldest turns). */
  overflow?: OverflowPolicy;
}

export type ChatEvent = { delta: string; fromDraft?: boolean } | { spec: SpecSummary };

export interface ChatResult {
  text: string;
  finishReason: FinishReason;
  usage: ChatUsage;
  speculation: SpecSummary;
  /** Messages left out (oldest first) so that the prompt fit the context window; 0 when none. */
  dropped?: number;
}

export interface LoadOptions {
  contextWindow?: number;
  /** The model's sliding window and attention sink, when its config sets one (the record's otherwise). */
  slidingWindow?: number;
  attentionSink?: number;
  /** Load this smaller model beside the target, to draft for it. */
  draftModelId?: string;
  /** What the GPU sizing leaves beside the loaded model(s): the verify pass must fit it. */
  verifyMemory?: VerifyMemory;
  /** Load this embedding model (ModelType.embedding) beside the chat model, for `embed`; the page asks for it
   *  only when it is stored and the GPU sizing says both fit. */
  embeddingModelId?: string;
}

export interface LoadResult {
  modelId: string;
  contextWindow: number;
  draftModelId?: string;
  /** Why the requested draft model is not in use, when it is not. */
  draftNote?: string;
  /** The embedding model loaded beside the chat model (`embed` uses it). */
  embeddingModelId?: string;
  /** Why the requested embedding model is not in use, when it is not (documents are then searched by keywords). */
  embeddingNote?: string;
}

/** The engine and its test hooks (from the URL), where models are stored, and custom sources. */
export interface HelloParams extends EngineHooks {
  /** Where WebLLM keeps model files. */
  cacheBackend?: CacheBackend;
  /** Custom model sources (WebLLM-format app configs) to add to the catalog. */
  modelSources?: string[];
  /** The same-origin site file (src/lib/site.ts) naming the site's own sources; read at start when given. */
  siteFile?: string;
}

export interface EmbedResult {
  /** The embedding model; vectors of different models are never compared. */
  model: string;
  dims: number;
  /** One unit-length vector per text, in order. */
  vectors: Float32Array[];
}

export interface HelloResult {
  engine: EngineKind;
  webllmVersion: string;
  /** What each custom source added, or why it added nothing. */
  sources: SourceResult[];
}

/** Each call: what the page sends, what the worker answers, which events it may emit meanwhile. */
export interface EngineCalls {
  hello: { params: HelloParams; result: HelloResult; event: never };
  catalog: { params: null; result: CatalogEntry[]; event: never };
  /** The adapter WebLLM will run on; null when WebGPU has no adapter. */
  gpuReport: { params: null; result: GpuReport | null; event: never };
  /** A model's KV shape from its mlc-chat-config.json (cached; fetched alone when online). */
  modelShape: { params: { modelId: string }; result: KvShape | null; event: never };
  load: { params: { modelId: string; options: LoadOptions }; result: LoadResult; event: LoadProgress };
  chat: { params: ChatRequest; result: ChatResult; event: ChatEvent };
  /** Prompt tokens of these messages as the loaded model would be sent them (its tokenizer and chat template). */
  countTokens: { params: { modelId: string; messages: ChatMessage[] }; result: number; event: never };
  /** Which of these models are fully in the browser's cache. */
  cached: { params: { modelIds: string[] }; result: Record<string, boolean>; event: never };
  /** Downloads a model's files without loading it (resumes: complete files are skipped). */
  download: {
    /** `prepareOnly`: stop ('paused') after the plan, the preflight and the small head files; the files the last
     *  event lists as not stored are what the page hands to Background Fetch. */
    params: { modelId: string; force?: boolean; prepareOnly?: boolean };
    result: DownloadResult;
    event: DownloadProgress;
  };
  downloadControl: { params: { modelId: string; action: 'pause' | 'cancel' }; result: null; event: never };
  storageReport: { params: null; result: StorageReport; event: never };
  deleteModel: { params: { modelId: string }; result: null; event: never };
  /** Deletes every model file (the webllm/* stores only; conversations are untouched). */
  clearModels: { params: null; result: null; event: never };
  addModelSource: { params: { url: string }; result: SourceResult; event: never };
  /** The user's remote servers (from settings): each is listed again; the catalog then has their models. */
  remoteSet: { params: { endpoints: RemoteEndpoint[] }; result: RemoteStatus[]; event: never };
  /** Embeds texts with the engine's embedder (a WebLLM embedding model loaded beside the chat model, or the
   *  reference embedder); null when there is none (documents are then searched by keywords only). */
  embed: {
    params: { texts: string[]; /** The texts are search queries (some models embed queries differently). */ query?: boolean };
    result: EmbedResult | null;
    event: never;
  };
  /** Lists one server's models without keeping it: the check before it is added (errors in words). */
  remoteCheck: { params: { endpoint: RemoteEndpoint }; result: RemoteModelInfo[]; event: never };
  interrupt: { params: null; result: null; event: never };
  unload: { params: null; result: null; event: never };
  /** Test hook (reference engine only): throw an uncaught error inside the worker. */
  crashForTest: { params: null; result: null; event: never };
  /** Writes an offline-ready model as one bundle file (src/lib/bundle/format.ts); the target is transferred. */
  exportBundle: { params: { modelId: string; target: BundleTarget }; result: BundleExportResult; event: BundleExportProgress };
  /** Stops a running export: its file is discarded (or its stream errored). */
  exportBundleCancel: { params: { modelId: string }; result: null; event: never };
  /** Imports an Airgap model bundle (a tar file); `force` skips the quota preflight. */
  importBundle: { params: { file: File; force?: boolean }; result: ImportResult; event: ImportProgress };
  /** Imports a model folder as its publisher hosts it (or an extracted bundle). */
  importFolder: { params: { files: FolderFile[]; force?: boolean }; result: ImportResult; event: ImportProgress };
  /** Pause stops after the file being written (import the same file again to resume); cancel removes what it wrote. */
  importControl: { params: { action: 'pause' | 'cancel' }; result: null; event: never };
}

export type CallKind = keyof EngineCalls;
export type Params<K extends CallKind> = EngineCalls[K]['params'];
export type Result<K extends CallKind> = EngineCalls[K]['result'];
export type CallEvent<K extends CallKind> = EngineCalls[K]['event'];

export type PageToWorker = { [K in CallKind]: { id: number; kind: K; params: Params<K> } }[CallKind];

export interface SerializedError {
  name: string;
  message: string;
  cause?: string;
}

/** What the worker tells the page outside any call. */
export type EngineNotice = { kind: 'deviceLost'; message: string };

export type WorkerToPage =
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: SerializedError }
  | { id: number; type: 'event'; event: unknown }
  | { type: 'notice'; notice: EngineNotice };
