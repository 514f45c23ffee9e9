// The catalog entry (one model as the page lists it and the sizing judges it), and how WebLLM model
// records (structurally typed here: lib imports nothing from WebLLM) become one.

import { KV_SHAPES, libBaseName } from './gpu/kv-shapes';
import { recordContext } from './gpu/window';
import { MIB } from './units';

/** A model as the page lists it and the sizing judges it (the protocol carries it as it is). */
export interface CatalogEntry {
  id: string;
  /** Where the entry came from ("imported": from a bundle or a model folder, not in any catalog;
   *  "remote": served by an inference server the user added, nothing of it on this device). */
  source: 'prebuilt' | 'reference' | 'custom' | 'imported' | 'remote';
  /** The server a remote model runs on, as the user named it (remote models only). */
  server?: string;
  /** Why this model cannot be used now (a remote server that did not answer its listing). */
  unavailable?: string;
  /** Quantisation code such as q4f16_1, q4f32_1, q0f32. */
  quantization: string;
  /** Compiled (or configured) context window in tokens. */
  contextWindow: number;
  /** GPU memory WebLLM measured for this model at its own context size, in bytes, where known. */
  vramBytes?: number;
  /** The shader-f16 WebGPU feature is needed to run it. */
  needsShaderF16: boolean;
  /** Marked by WebLLM as suitable for low-resource devices. */
  lowResource: boolean;
  /** Largest single GPU buffer binding it needs, in bytes, where known. */
  bufferBytesRequired?: number;
  kind: 'llm' | 'vlm' | 'embedding';
  /** Base name of the compiled model library (several ids can share one). */
  libName: string;
  /** Keeps recurrent (RNN / hybrid) state beside or instead of a KV cache. */
  recurrentState: boolean;
  /** Uses sliding-window attention. */
  slidingWindow: boolean;
  /** Vocabulary size, where known (reference models, or from the KV shape table). */
  vocabSize?: number;
}

/** The fields of WebLLM's ModelRecord that the catalog reads. */
interface ModelRecordLike {
  model_id: string;
  model: string;
  model_lib: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  buffer_size_required_bytes?: number;
  required_features?: string[];
  model_type?: number;
  overrides?: { context_window_size?: number; sliding_window_size?: number; attention_sink_size?: number; max_history_size?: number };
}

// WebLLM's ModelType enum: LLM = 0, embedding = 1, VLM = 2.
const KIND_BY_TYPE: Record<number, CatalogEntry['kind']> = { 0: 'llm', 1: 'embedding', 2: 'vlm' };

/** The quantisation code in a model id, e.g. "q4f16_1" in "Llama-3.2-1B-Instruct-q4f16_1-MLC". */
export function quantizationOf(modelId: string): string {
  const m = /(?:^|-)(q\d+f(?:16|32)(?:_\d+)?)(?:-|$)/i.exec(modelId);
  return m ? m[1]!.toLowerCase() : 'unknown';
}

/** f16 activations need the shader-f16 WebGPU feature, whether or not the record says so. */
export function needsShaderF16(record: ModelRecordLike): boolean {
  if (record.required_features?.includes('shader-f16')) return true;
  return /f16/.test(quantizationOf(record.model_id));
}

export function toCatalogEntry(record: ModelRecordLike, source: CatalogEntry['source']): CatalogEntry {
  const entry: CatalogEntry = {
    id: record.model_id,
    source,
    quantization: quantizationOf(record.model_id),
    contextWindow: recordContext(record.overrides),
    needsShaderF16: needsShaderF16(record),
    lowResource: record.low_resource_required === true,
    kind: KIND_BY_TYPE[record.model_type ?? 0] ?? 'llm',
    libName: libBaseName(record.model_lib),
    recurrentState: record.overrides?.max_history_size !== undefined,
    slidingWindow: (record.overrides?.sliding_window_size ?? -1) > 0,
  };
  const vocab = KV_SHAPES[entry.libName]?.vocabSize;
  if (vocab !== undefined) entry.vocabSize = vocab;
  if (record.vram_required_MB !== undefined) entry.vramBytes = Math.round(record.vram_required_MB * MIB);
  if (record.buffer_size_required_bytes !== undefined) entry.bufferBytesRequired = record.buffer_size_required_bytes;
  return entry;
}

export type LoadPhase = 'fetching' | 'loading';

/** Parses WebLLM's init-progress text into bytes where it states them ("123MB fetched"). */
export function parseProgressText(text: string, fraction: number): { phase: LoadPhase; bytesDone?: number; bytesTotal?: number } {
  // WebLLM reports "Start to fetch params" and "Fetching param cache[…]" while downloading; every
  // later message is about loading to the GPU.
  const phase = /^(Fetching|Start to fetch)/.test(text) ? 'fetching' : 'loading';
  const m = /(\d+)MB (?:fetched|loaded)/.exec(text);
  if (!m) return { phase };
  const bytesDone = Number(m[1]) * MIB;
  return fraction > 0 ? { phase, bytesDone, bytesTotal: Math.round(bytesDone / fraction) } : { phase, bytesDone };
}
