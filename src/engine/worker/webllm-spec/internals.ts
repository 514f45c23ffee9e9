// The private parts of WebLLM 0.2.86 that speculative decoding relies on, typed structurally.
// WebLLM marks them TS-private; at runtime they are ordinary fields. Runs in the engine worker.
// webllm-internals.test.ts reads the installed bundle and fails if any name here disappears.

import type { GenerationConfig } from '../../../lib/speculative/merged-sampling';

/** A TVM object returned by a packed function. */
interface TvmObject {
  dispose(): void;
}

export interface TvmTensor extends TvmObject {
  shape: number[];
  view(shape: number[]): TvmTensor;
  copyFrom(data: TvmTensor | ArrayLike<number>): TvmTensor;
  toArray(): Float32Array | Int32Array;
}

export type PackedFunc = ((...args: unknown[]) => unknown) & Partial<TvmObject>;

interface TvmInstance {
  beginScope(): void;
  endScope(): void;
  detachFromCurrentScope<T>(obj: T): T;
  attachToCurrentScope<T>(obj: T): T;
  getGlobalFunc(name: string): PackedFunc;
  scalar(value: number, dtype: 'int32' | 'int64'): unknown;
  makeShapeTuple(shape: number[]): unknown;
  empty(shape: number[], dtype: string, device: unknown): TvmTensor;
  cpu(): unknown;
}

interface TvmVm {
  getFunction(name: string): PackedFunc;
}

export interface WebLLMTokenizer {
  getVocabSize(): number;
  idToToken(id: number): string | undefined;
  encode(text: string): Int32Array;
}

/** The generation config WebLLM builds per request (merged-sampling.ts builds it the same way). */
export type GenerationConfigLike = GenerationConfig;

/** The fields and methods of LLMChatPipeline used here (llm_chat.ts in WebLLM). */
export interface PipelineInternals {
  tvm: TvmInstance;
  vm: TvmVm;
  device: { sync(): Promise<void> };
  params: unknown;
  kvCache: unknown;
  rnnState: unknown;
  kvStateKind: string;
  slidingWindowSize: number;
  artifact: unknown;
  contextWindowSize: number;
  prefillChunkSize: number;
  filledKVCacheLength: number;
  outputIds: number[];
  curRoundCompletionTotalTokens: number;
  /** WebLLM's statistics: totals feed runtimeStatsText, the current round's feed the usage chunk. */
  prefillTotalTokens: number;
  prefillTotalTime: number;
  decodingTotalTokens: number;
  decodingTotalTime: number;
  curRoundPrefillTotalTokens: number;
  curRoundPrefillTotalTime: number;
  curRoundDecodingTotalTokens: number;
  curRoundDecodingTotalTime: number;
  tokenizer: WebLLMTokenizer;
  fKVCacheBeginForward: PackedFunc;
  fKVCacheEndForward: PackedFunc;
  getTokensEmbeddings(ids: number[]): TvmTensor;
  forwardKnownTokens(ids: number[], isPrefill: boolean): Promise<TvmTensor | undefined>;
  /** WebLLM's own plain step: forwards outputIds.at(-1), samples (on the GPU), commits nothing. */
  sampleDecodeStep(genConfig: GenerationConfigLike): Promise<{ tokenId: number }>;
  commitSamplerState(token: number, genConfig: GenerationConfigLike): void;
  processNextToken(token: number, genConfig: GenerationConfigLike, processedSeqLen?: number): void;
  stopped(): boolean;
  getFinishReason(): string | undefined;
  getMessage(): string;
  triggerStop(): void;
  resetChat(keepStats?: boolean): void;
  /** kv_state_clear + kv_state_add_sequence(0) on every KV state (what resetChat does to the cache). */
  resetKVCache(): void;
  setSeed(seed: number): void;
}

export interface CustomLockLike {
  acquire(): Promise<void>;
  release(): Promise<void>;
}

interface PrefillStep {
  tokenId: number;
  promptLen: number;
  promptTokenIds?: number[];
}

/** The fields of MLCEngine used here (engine.ts in WebLLM). */
export interface EngineInternals {
  loadedModelIdToPipeline: Map<string, PipelineInternals>;
  loadedModelIdToChatConfig: Map<string, unknown>;
  loadedModelIdToLock: Map<string, CustomLockLike>;
  logitProcessorRegistry?: Map<string, unknown>;
  interruptSignal: boolean;
  samplePrefill(request: unknown, pipeline: PipelineInternals, chatConfig: unknown, genConfig: GenerationConfigLike): Promise<PrefillStep>;
}

export const ENGINE_MEMBERS = [
  'loadedModelIdToPipeline',
  'loadedModelIdToChatConfig',
  'loadedModelIdToLock',
  'interruptSignal',
  'samplePrefill',
] as const;

export const PIPELINE_MEMBERS = [
  'tvm',
  'vm',
  'device',
  'params',
  'kvCache',
  'rnnState',
  'kvStateKind',
  'slidingWindowSize',
  'artifact',
  'contextWindowSize',
  'prefillChunkSize',
  'filledKVCacheLength',
  'outputIds',
  'curRoundCompletionTotalTokens',
  'prefillTotalTokens',
  'prefillTotalTime',
  'decodingTotalTokens',
  'decodingTotalTime',
  'curRoundPrefillTotalTokens',
  'curRoundPrefillTotalTime',
  'curRoundDecodingTotalTokens',
  'curRoundDecodingTotalTime',
  'tokenizer',
  'fKVCacheBeginForward',
  'fKVCacheEndForward',
  'getTokensEmbeddings',
  'forwardKnownTokens',
  'sampleDecodeStep',
  'commitSamplerState',
  'processNextToken',
  'stopped',
  'getFinishReason',
  'getMessage',
  'triggerStop',
  'resetChat',
  'resetKVCache',
  'setSeed',
] as const;

export const TVM_MEMBERS = [
  'beginScope',
  'endScope',
  'detachFromCurrentScope',
  'attachToCurrentScope',
  'getGlobalFunc',
  'scalar',
  'makeShapeTuple',
  'empty',
  'cpu',
] as const;

export const POPN_FUNC = 'vm.builtin.kv_state_popn';

/** The WebGPU device a pipeline runs on: tvmjs's Instance.initWebGPU keeps it at lib.webGPUContext.device. */
export function gpuDeviceOf(p: PipelineInternals): { lost: Promise<{ message?: string; reason?: string } | undefined> } | undefined {
  const device = (p.tvm as unknown as { lib?: { webGPUContext?: { device?: { lost?: unknown } } } }).lib?.webGPUContext?.device;
  return device && device.lost instanceof Promise
    ? (device as { lost: Promise<{ message?: string; reason?: string } | undefined> })
    : undefined;
}

export function engineInternals(engine: unknown): EngineInternals {
  const e = engine as Partial<Record<string, unknown>>;
  const missing = ENGINE_MEMBERS.filter((m) => !(m in e));
  if (missing.length) throw new Error(`WebLLM engine lacks ${missing.join(', ')}`);
  return engine as EngineInternals;
}

/** Names of pipeline members missing at runtime (empty when the pipeline is as expected). */
export function missingPipelineMembers(p: unknown): string[] {
  // Fields WebLLM sets to undefined still exist ("in"), and methods are found on the prototype.
  return PIPELINE_MEMBERS.filter((m) => !(m in (p as object)));
}
