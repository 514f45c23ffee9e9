// KV-cache and embedding shapes of WebLLM's prebuilt model libraries (from each model's published
// config), the parser for a model's own mlc-chat-config.json, the paged KV-cache size formula (TVM's,
// sliding windows included) and the largest weight tensor, which WebLLM binds whole.

import type { KvShape } from './types';

const shape = (layers: number, kvHeads: number, headDim: number, vocabSize: number, hiddenSize: number): KvShape => ({
  layers,
  kvHeads,
  headDim,
  vocabSize,
  hiddenSize,
});
const hybrid = (s: KvShape): KvShape => ({ ...s, nonStandard: true });

/**
 * Keyed by the model library's base name (model_lib without quantisation and suffix). Every
 * library in WebLLM's prebuilt list has a row (a test checks). Rows marked "derived" were not read
 * from a published config: see the comment on each.
 */
export const KV_SHAPES: Readonly<Record<string, KvShape>> = {
  'Llama-3.2-1B-Instruct': shape(16, 8, 64, 128256, 2048),
  'Llama-3.2-3B-Instruct': shape(28, 8, 128, 128256, 3072),
  'Llama-3_1-8B-Instruct': shape(32, 8, 128, 128256, 4096),
  'Llama-3-8B-Instruct': shape(32, 8, 128, 128256, 4096),
  'Llama-3_1-70B-Instruct': shape(80, 8, 128, 128256, 8192),
  'Llama-3-70B-Instruct': shape(80, 8, 128, 128256, 8192),
  'Llama-2-7b-chat-hf': shape(32, 32, 128, 32000, 4096),
  'Llama-2-13b-chat-hf': shape(40, 40, 128, 32000, 5120),
  'Qwen2-0.5B-Instruct': shape(24, 2, 64, 151936, 896),
  'Qwen2-1.5B-Instruct': shape(28, 2, 128, 151936, 1536),
  'Qwen2.5-3B-Instruct': shape(36, 2, 128, 151936, 2048),
  'Qwen2-7B-Instruct': shape(28, 4, 128, 152064, 3584),
  'Qwen3-0.6B': shape(28, 8, 128, 151936, 1024),
  'Qwen3-1.7B': shape(28, 8, 128, 151936, 2048),
  'Qwen3-4B': shape(36, 8, 128, 151936, 2560),
  'Qwen3-8B': shape(36, 8, 128, 151936, 4096),
  // Qwen3.5 interleaves Gated DeltaNet (recurrent state) with attention layers. The 248,320-token
  // vocabulary is the family's; the widths are derived from the parameter counts (unverified).
  'Qwen3.5-0.8B': hybrid(shape(24, 2, 256, 248320, 1024)),
  'Qwen3.5-2B': hybrid(shape(24, 2, 256, 248320, 2048)),
  'Qwen3.5-4B': hybrid(shape(32, 4, 256, 248320, 2560)),
  'Qwen3.5-9B': hybrid(shape(32, 4, 256, 248320, 4096)),
  'Mistral-7B-Instruct-v0.3': shape(32, 8, 128, 32768, 4096),
  // Ministral 3 3B: 26 layers, width 3072, 32 heads in 8 KV groups; Mistral's Tekken vocabulary.
  'Ministral-3-3B-Base-2512': shape(26, 8, 128, 131072, 3072),
  'Ministral-3-3B-Reasoning-2512': shape(26, 8, 128, 131072, 3072),
  'Ministral-3-3B-Instruct-2512-BF16': shape(26, 8, 128, 131072, 3072),
  'Phi-3.5-mini-instruct': shape(32, 32, 96, 32064, 3072),
  'Phi-3-mini-4k-instruct': shape(32, 32, 96, 32064, 3072),
  'Phi-3.5-vision-instruct': shape(32, 32, 96, 32064, 3072),
  'Phi-4-mini-instruct': shape(32, 8, 128, 200064, 3072),
  'phi-2': shape(32, 32, 80, 51200, 2560),
  'phi-1_5': shape(24, 32, 64, 51200, 2048),
  'SmolLM2-1.7B-Instruct': shape(24, 32, 64, 49152, 2048),
  'SmolLM2-360M-Instruct': shape(32, 5, 64, 49152, 960),
  'SmolLM2-135M-Instruct': shape(30, 3, 64, 49152, 576),
  'gemma-2-2b-it': shape(26, 4, 256, 256000, 2304),
  'gemma-2-2b-jpn-it': shape(26, 4, 256, 256000, 2304),
  'gemma-2-9b-it': shape(42, 8, 256, 256000, 3584),
  'gemma-2b-it': shape(18, 1, 256, 256000, 2048),
  'gemma3-1b-it': hybrid(shape(26, 1, 256, 262144, 1152)),
  // Gemma 4 E2B mixes local and global attention layers. Width 1536 with its 262,144-token
  // vocabulary is what the record's buffer_size_required_bytes (192 MiB) implies at 4 bits;
  // layers and heads are unverified.
  'gemma-4-E2B-it': hybrid(shape(35, 1, 256, 262144, 1536)),
  'OLMo-2-0425-1B-Instruct': shape(16, 16, 128, 100352, 2048),
  'OLMo-2-1124-7B-Instruct': shape(32, 32, 128, 100352, 4096),
  'stablelm-2-zephyr-1_6b': shape(24, 32, 64, 100352, 2048),
  'RedPajama-INCITE-Chat-3B-v1': shape(32, 32, 80, 50432, 2560),
  'TinyLlama-1.1B-Chat-v1.0': shape(22, 4, 64, 32000, 2048),
  'TinyLlama-1.1B-Chat-v0.4': shape(22, 4, 64, 32000, 2048),
  // Embedding models (BERT encoders) keep no KV cache; the row sizes their embedding tensor.
  'snowflake-arctic-embed-m': shape(12, 12, 64, 30522, 768),
  'snowflake-arctic-embed-s': shape(12, 12, 32, 30522, 384),
};

/** "https://…/Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm" → "Llama-3.2-1B-Instruct". */
export function libBaseName(modelLib: string): string {
  const file = modelLib.split('/').pop() ?? modelLib;
  return file.replace(/-q\d+f(?:16|32)(?:_\d+)?.*$/i, '').replace(/(-webgpu)?\.wasm$/i, '');
}

const PAGE_TOKENS = 16;

/**
 * Bytes of the paged KV cache for `context` tokens (one sequence, page size 16, one spare page).
 * A model whose window is smaller than `context` is loaded with that sliding window instead, and
 * TVM then allocates the window's pages plus two per sequence.
 */
export function kvCacheBytes(s: KvShape, context: number, bytesPerValue: number): number {
  const sliding = s.slidingWindow !== undefined && context > s.slidingWindow;
  const pages = sliding ? Math.ceil(s.slidingWindow! / PAGE_TOKENS) + 1 + 2 : Math.ceil(context / PAGE_TOKENS) + 1;
  return s.layers * pages * 2 * s.kvHeads * PAGE_TOKENS * s.headDim * bytesPerValue;
}

/**
 * Bits per stored weight of a quantisation code: q4 packs 8 values per 32-bit word, q3 packs 10,
 * q0 keeps the activation dtype. Undefined for codes this table does not know.
 */
function weightBits(quantization: string): number | undefined {
  const m = /^q(\d+)f(16|32)/.exec(quantization);
  if (!m) return undefined;
  const q = Number(m[1]);
  if (q === 0) return Number(m[2]);
  return q === 4 ? 4 : q === 3 ? 3.2 : undefined;
}

/**
 * The largest weight tensor in bytes: the embedding table (vocab × hidden), which the lm-head
 * matches when untied. Group scales are separate, smaller tensors. Undefined without a width.
 */
export function largestTensorBytes(s: KvShape, quantization: string): number | undefined {
  const bits = weightBits(quantization);
  if (bits === undefined || s.hiddenSize === undefined) return undefined;
  return Math.ceil((s.vocabSize * s.hiddenSize * bits) / 8);
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
  const recurrent = /qwen3_5|rwkv|mamba|hybrid/i.test(String(root.model_type ?? mc.model_type ?? ''));
  const s: KvShape = { layers, kvHeads, headDim, vocabSize };
  if (hidden !== undefined) s.hiddenSize = hidden;
  if (sliding !== undefined) {
    s.slidingWindow = sliding;
    const sink = root.attention_sink_size ?? mc.attention_sink_size;
    if (typeof sink === 'number' && sink >= 0) s.attentionSink = sink;
  }
  if (recurrent) s.nonStandard = true;
  return s;
}
