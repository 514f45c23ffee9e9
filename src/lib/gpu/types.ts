// Shapes of the GPU sizing module's inputs and outputs. Plain data: the worker probes the adapter
// into a GpuReport, the page sizes every catalog model against it.

interface GpuLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxStorageBuffersPerShaderStage: number;
  maxComputeWorkgroupStorageSize: number;
}

export interface GpuReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
  limits: GpuLimits;
  /** navigator.deviceMemory in GiB (rounded and capped by the browser), when the browser tells. */
  deviceMemoryGB?: number;
  /** The user agent says this is a phone or tablet. */
  mobile: boolean;
}

export type DeviceClass = 'discrete' | 'apple' | 'integrated' | 'mobile' | 'software';

export interface MemoryBudget {
  deviceClass: DeviceClass;
  /** Bytes a model may use and still leave the browser comfortable. */
  comfortableBytes: number;
  /** Bytes beyond which loading is expected to fail ("device lost"). */
  limitBytes: number;
  source: 'user' | 'estimate';
  /** Plain words: where these numbers come from. */
  basis: string;
  /**
   * Set when the figure is a guess that may be too high (WebGPU hides GPU memory and the browser did
   * not report enough to bound it): the smallest memory such a device commonly has, sized the same way.
   */
  lowGuess?: { limitBytes: number; comfortableBytes: number; assumed: string };
}

/** The paged KV cache's per-layer shape (from mlc-chat-config.json or the shipped table). */
export interface KvShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  /** Width of the embedding (vocab × hidden is the largest weight tensor WebLLM binds whole). */
  hiddenSize?: number;
  /** Attention window in tokens, when the model's config sets a positive sliding_window_size. */
  slidingWindow?: number;
  /** The config's attention_sink_size, read with the sliding window. */
  attentionSink?: number;
  /** Not a plain KV cache (hybrid/RNN state): its memory does not scale as computed. */
  nonStandard?: boolean;
}

export type Fit = 'fits' | 'tight' | 'no';

export interface ModelSizing {
  modelId: string;
  fit: Fit;
  /** Short reason when fit is not "fits" (or when the context was reduced). */
  reason: string;
  /** Largest context (tokens) that fits, a power of two ≤ the compiled maximum; 0 when nothing fits. */
  contextWindow: number;
  maxContextWindow: number;
  /** Estimated GPU memory at `contextWindow`, in bytes. */
  neededBytes: number;
  /** A variant of the same model that this GPU can run (q4f32 where shader-f16 is missing). */
  variantId?: string;
  /** Draft tokens per speculative step (0 to MAX_DRAFT_TOKENS). */
  draftTokens: number;
  /** A smaller model with the same tokenizer that fits beside this one. */
  draftModelId?: string;
  /**
   * The fit, context or draft model would be different on the smallest memory the budget's guess
   * allows: say so before a download and ask for the real figure.
   */
  dependsOnGuess?: boolean;
}
