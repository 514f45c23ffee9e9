import { describe, expect, it } from 'vitest';
import { contextCandidates } from './fit';
import { kvBytesPerValue, kvCacheBytes, kvShapeFromChatConfig, largestTensorBytes, libBaseName } from './kv-shapes';

describe('KV shapes', () => {
  it('reads a Llama-style mlc-chat-config.json', () => {
    const json = {
      vocab_size: 128256,
      context_window_size: 4096,
      model_config: { num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8, hidden_size: 2048, head_dim: 64 },
    };
    expect(kvShapeFromChatConfig(json)).toEqual({ layers: 16, kvHeads: 8, headDim: 64, vocabSize: 128256, hiddenSize: 2048 });
  });

  it('derives head_dim and falls back to attention heads; reads the sliding window and its sink', () => {
    const json = {
      vocab_size: 50432,
      sliding_window_size: 4096,
      attention_sink_size: 4,
      model_config: { n_layer: 32, n_head: 32, n_embd: 2560 },
    };
    const full = { layers: 32, kvHeads: 32, headDim: 80, vocabSize: 50432, hiddenSize: 2560 };
    expect(kvShapeFromChatConfig(json)).toEqual({ ...full, slidingWindow: 4096, attentionSink: 4 });
    expect(kvShapeFromChatConfig({ ...json, sliding_window_size: -1 })).toEqual(full);
    expect(kvShapeFromChatConfig({ ...json, model_type: 'qwen3_5' })?.nonStandard).toBe(true);
  });

  it("sizes a sliding window as TVM allocates it: the window's pages plus two, whatever the context", () => {
    const s = { layers: 32, kvHeads: 8, headDim: 128, vocabSize: 32000, slidingWindow: 4096 };
    const perPage = 32 * 2 * 8 * 16 * 128 * 2;
    expect(kvCacheBytes(s, 2048, 2)).toBe((128 + 1) * perPage);
    expect(kvCacheBytes(s, 4096, 2)).toBe((256 + 1) * perPage);
    expect(kvCacheBytes(s, 32768, 2)).toBe((256 + 1 + 2) * perPage);
  });

  it('sizes the largest tensor by the weight width', () => {
    const s = { layers: 28, kvHeads: 8, headDim: 128, vocabSize: 128256, hiddenSize: 3072 };
    expect(largestTensorBytes(s, 'q4f16_1')).toBe(197_001_216);
    expect(largestTensorBytes(s, 'q4f32_1')).toBe(197_001_216);
    expect(largestTensorBytes(s, 'q0f16')).toBe(128256 * 3072 * 2);
    expect(largestTensorBytes(s, 'q0f32')).toBe(128256 * 3072 * 4);
    expect(largestTensorBytes(s, 'q3f16_1')).toBe(Math.ceil(128256 * 3072 * 0.4));
    expect(largestTensorBytes(s, 'unknown')).toBeUndefined();
    expect(largestTensorBytes({ ...s, hiddenSize: undefined }, 'q4f16_1')).toBeUndefined();
  });

  it('rejects configs without the fields', () => {
    expect(kvShapeFromChatConfig(null)).toBeUndefined();
    expect(kvShapeFromChatConfig('x')).toBeUndefined();
    expect(kvShapeFromChatConfig({ model_config: { num_hidden_layers: 2 } })).toBeUndefined();
    expect(
      kvShapeFromChatConfig({ vocab_size: 10, model_config: { num_hidden_layers: -2, num_attention_heads: 2, hidden_size: 8 } }),
    ).toBeUndefined();
  });

  it('computes the paged KV size with one spare page', () => {
    const s = { layers: 24, kvHeads: 2, headDim: 64, vocabSize: 151936 };
    expect(kvCacheBytes(s, 4096, 4)).toBe(101_056_512);
    expect(kvCacheBytes(s, 1024, 4)).toBe(24 * 65 * 2 * 2 * 16 * 64 * 4);
    expect(kvBytesPerValue('q4f16_1')).toBe(2);
    expect(kvBytesPerValue('q0f32')).toBe(4);
  });

  it('names model libraries by their base', () => {
    expect(libBaseName('https://x/v0_2_80/Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm')).toBe('Llama-3.2-1B-Instruct');
    expect(libBaseName('Qwen3-0.6B-q0f32_cs1k-webgpu.wasm')).toBe('Qwen3-0.6B');
  });

  it('offers contexts from the maximum down to 1k in powers of two', () => {
    expect(contextCandidates(4096)).toEqual([4096, 2048, 1024]);
    expect(contextCandidates(3000)).toEqual([3000, 2048, 1024]);
    expect(contextCandidates(1024)).toEqual([1024]);
    expect(contextCandidates(512)).toEqual([512]);
  });
});
