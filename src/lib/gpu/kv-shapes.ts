// KV-cache shapes of WebLLM's prebuilt model libraries (from each model's published config), the
// parser for a model's own mlc-chat-config.json, and the paged KV-cache size formula.

import type { KvShape } from './types';

const shape = (layers: number, kvHeads: number, headDim: number, vocabSize: number): KvShape => ({ layers, kvHeads, headDim, vocabSize });

/** Keyed by the model library's base name (model_lib without quantisation and suffix). */
export const KV_SHAPES: Readonly<Record<string, KvShape>> = {
  'Llama-3.2-1B-Instruct': shape(16, 8, 64, 128256),
  'Llama-3.2-3B-Instruct': shape(28, 8, 128, 128256),
  'Llama-3_1-8B-Instruct': shape(32, 8, 128, 128256),
  'Llama-3-8B-Instruct': shape(32, 8, 128, 128256),
  'Llama-3_1-70B-Instruct': shape(80, 8, 128, 128256),
  'Llama-3-70B-Instruct': shape(80, 8, 128, 128256),
  'Llama-2-7b-chat-hf': shape(32, 32, 128, 32000),
  'Llama-2-13b-chat-hf': shape(40, 40, 128, 32000),
  'Qwen2-0.5B-Instruct': shape(24, 2, 64, 151936),
  'Qwen2-1.5B-Instruct': shape(28, 2, 128, 151936),
  'Qwen2.5-3B-Instruct': shape(36, 2, 128, 151936),
  'Qwen2-7B-Instruct': shape(28, 4, 128, 152064),
  'Qwen3-0.6B': shape(28, 8, 128, 151936),
  'Qwen3-1.7B': shape(28, 8, 128, 151936),
  'Qwen3-4B': shape(36, 8, 128, 151936),
  'Qwen3-8B': shape(36, 8, 128, 151936),
  'Mistral-7B-Instruct-v0.3': shape(32, 8, 128, 32768),
  'Phi-3.5-mini-instruct': shape(32, 32, 96, 32064),
  'Phi-3-mini-4k-instruct': shape(32, 32, 96, 32064),
  'Phi-3.5-vision-instruct': shape(32, 32, 96, 32064),
  'Phi-4-mini-instruct': shape(32, 8, 128, 200064),
  'phi-2': shape(32, 32, 80, 51200),
  'phi-1_5': shape(24, 32, 64, 51200),
  'SmolLM2-1.7B-Instruct': shape(24, 32, 64, 49152),
  'SmolLM2-360M-Instruct': shape(32, 5, 64, 49152),
  'SmolLM2-135M-Instruct': shape(30, 3, 64, 49152),
  'gemma-2-2b-it': shape(26, 4, 256, 256000),
  'gemma-2-2b-jpn-it': shape(26, 4, 256, 256000),
  'gemma-2-9b-it': shape(42, 8, 256, 256000),
  'gemma-2b-it': shape(18, 1, 256, 256000),
  'gemma3-1b-it': { ...shape(26, 1, 256, 262144), nonStandard: true },
  'OLMo-2-0425-1B-Instruct': shape(16, 16, 128, 100352),
  'OLMo-2-1124-7B-Instruct': shape(32, 32, 128, 100352),
  'stablelm-2-zephyr-1_6b': shape(24, 32, 64, 100352),
  'RedPajama-INCITE-Chat-3B-v1': shape(32, 32, 80, 50432),
  'TinyLlama-1.1B-Chat-v1.0': shape(22, 4, 64, 32000),
  'TinyLlama-1.1B-Chat-v0.4': shape(22, 4, 64, 32000),
};

/** "https://…/Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm" → "Llama-3.2-1B-Instruct". */
export function libBaseName(modelLib: string): string {
  const file = modelLib.split('/').pop() ?? modelLib;
  return file.replace(/-q\d+f(?:16|32)(?:_\d+)?.*$/i, '').replace(/(-webgpu)?\.wasm$/i, '');
}

export const PAGE_TOKENS = 16;

/** Bytes of the paged KV cache for `context` tokens (one sequence, page size 16, one spare page). */
export function kvCacheBytes(s: KvShape, context: number, bytesPerValue: number): number {
  return s.layers * (Math.ceil(context / PAGE_TOKENS) + 1) * 2 * s.kvHeads * PAGE_TOKENS * s.headDim * bytesPerValue;
}

/** KV values are stored in the model's activation dtype: f16 for q*f16 builds, f32 for q*f32. */
export function kvBytesPerValue(quantization: string): number {
  return /f32/.test(quantization) ? 4 : 2;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/**
 * Reads the KV shape from a model's mlc-chat-config.json (its `model_config` follows the original
 * Hugging Face config names, which differ between architectures). Undefined when it lacks them.
 */
export function kvShapeFromChatConfig(json: unknown): KvShape | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const root = json as Record<string, unknown>;
  const mc = (typeof root.model_config === 'object' && root.model_config !== null ? root.model_config : root) as Record<string, unknown>;
  const text = (mc.text_config ?? {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = num(mc[k]) ?? num(text[k]);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const layers = pick('num_hidden_layers', 'n_layer', 'num_layers', 'n_layers');
  const heads = pick('num_attention_heads', 'n_head', 'num_heads');
  const kvHeads = pick('num_key_value_heads', 'num_kv_heads', 'n_head_kv') ?? heads;
  const hidden = pick('hidden_size', 'n_embd', 'd_model');
  const headDim = pick('head_dim') ?? (hidden && heads ? hidden / heads : undefined);
  const vocabSize = num(root.vocab_size) ?? pick('vocab_size');
  if (!layers || !kvHeads || !headDim || !vocabSize) return undefined;
  const sliding = num(root.sliding_window_size) ?? num(mc.sliding_window_size);
  const hybrid = /qwen3_5|rwkv|mamba|hybrid/i.test(String(root.model_type ?? mc.model_type ?? ''));
  const s: KvShape = { layers, kvHeads, headDim, vocabSize };
  if (sliding !== undefined || hybrid) s.nonStandard = true;
  return s;
}
