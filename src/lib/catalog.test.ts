import { describe, expect, it } from 'vitest';
import { needsShaderF16, parseProgressText, quantizationOf, toCatalogEntry } from './catalog';

describe('catalog entries', () => {
  it('reads the quantisation from the model id', () => {
    const cases = {
      'Llama-3.2-1B-Instruct-q4f16_1-MLC': 'q4f16_1',
      'Qwen3-0.6B-q0f32-MLC': 'q0f32',
      'Llama-3.1-70B-Instruct-q3f16_1-MLC': 'q3f16_1',
      'my-model': 'unknown',
    };
    for (const [id, quantization] of Object.entries(cases)) expect(quantizationOf(id), id).toBe(quantization);
  });

  it('marks f16 models as needing shader-f16 even when the record omits it', () => {
    const base = { model: 'https://x/m', model_lib: 'https://x/m.wasm' };
    expect(needsShaderF16({ ...base, model_id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC' })).toBe(true);
    expect(needsShaderF16({ ...base, model_id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' })).toBe(false);
    expect(needsShaderF16({ ...base, model_id: 'custom', required_features: ['shader-f16'] })).toBe(true);
  });

  it('builds an entry with sizes in bytes', () => {
    const e = toCatalogEntry(
      {
        model: 'm',
        model_lib: 'l',
        model_id: 'gemma-2b-it-q4f32_1-MLC',
        vram_required_MB: 1750.66,
        buffer_size_required_bytes: 262144000,
        low_resource_required: false,
        overrides: { context_window_size: 1024 },
        model_type: 2,
      },
      'prebuilt',
    );
    expect(e).toMatchObject({
      quantization: 'q4f32_1',
      contextWindow: 1024,
      needsShaderF16: false,
      lowResource: false,
      bufferBytesRequired: 262144000,
      kind: 'vlm',
    });
    expect(e.vramBytes).toBe(Math.round(1750.66 * 1024 * 1024));
  });

  it('a sliding-window record (context -1) gets its window as its context, never -1', () => {
    const e = toCatalogEntry(
      {
        model: 'm',
        model_lib: 'Mistral-7B-v0.1-q4f16_1-webgpu.wasm',
        model_id: 'Mistral-7B-v0.1-q4f16_1-MLC',
        overrides: { context_window_size: -1, sliding_window_size: 4096 },
      },
      'custom',
    );
    expect(e).toMatchObject({ contextWindow: 4096, slidingWindow: true });
  });

  it('parses WebLLM progress text into phase and bytes', () => {
    expect(parseProgressText('Fetching param cache[3/24]: 120MB fetched. 25% completed, 4 secs elapsed.', 0.25)).toEqual({
      phase: 'fetching',
      bytesDone: 120 * 1048576,
      bytesTotal: 480 * 1048576,
    });
    expect(parseProgressText('Loading model from cache[1/24]: 10MB loaded. 2% completed, 0 secs elapsed.', 0)).toEqual({
      phase: 'loading',
      bytesDone: 10 * 1048576,
    });
    expect(parseProgressText('Start to fetch params', 0)).toEqual({ phase: 'fetching' });
  });
});
