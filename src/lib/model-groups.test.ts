import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from './catalog';
import { chatModels, contextLabel, displayName, downloadEstimate, groupModels, parseModelName, searchModels } from './model-groups';

const entry = (id: string, over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  id,
  source: 'prebuilt',
  quantization: 'q4f16_1',
  contextWindow: 4096,
  needsShaderF16: true,
  lowResource: false,
  kind: 'llm',
  libName: id,
  recurrentState: false,
  slidingWindow: false,
  ...over,
});

describe('model names', () => {
  it('parses family, size and variant from MLC ids', () => {
    expect(parseModelName('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toEqual({
      family: 'Llama 3.2',
      size: '1B',
      billions: 1,
      variant: 'Instruct',
    });
    expect(parseModelName('Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC').family).toBe('Qwen2.5 Coder');
    expect(parseModelName('SmolLM2-360M-Instruct-q0f16-MLC')).toMatchObject({ size: '360M', billions: 0.36 });
    expect(parseModelName('stablelm-2-zephyr-1_6b-q4f16_1-MLC-1k')).toMatchObject({
      family: 'stablelm 2 zephyr',
      size: '1.6B',
      billions: 1.6,
    });
    expect(parseModelName('gemma-4-E2B-it-q4f16_1-MLC')).toMatchObject({ family: 'gemma 4', size: 'E2B', billions: 2 });
    expect(parseModelName('Phi-3.5-mini-instruct-q4f16_1-MLC')).toMatchObject({ family: 'Phi 3.5', size: 'mini' });
    expect(parseModelName('phi-2-q4f16_1-MLC')).toEqual({ family: 'phi 2', size: '', variant: '' });
    expect(displayName('Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC')).toBe('Qwen2.5 Coder 7B Instruct');
    expect(parseModelName('reference-tiny')).toEqual({ family: 'reference', size: 'tiny', variant: '' });
  });
});

describe('grouping and search', () => {
  const catalog = [
    entry('Llama-3.2-3B-Instruct-q4f16_1-MLC'),
    entry('Qwen3-0.6B-q4f16_1-MLC'),
    entry('Llama-3.2-1B-Instruct-q4f16_1-MLC'),
    entry('snowflake-arctic-embed-s-q0f32-MLC-b4', { kind: 'embedding' }),
  ];

  it('leaves embedding models out', () => {
    expect(chatModels(catalog).map((e) => e.id)).not.toContain('snowflake-arctic-embed-s-q0f32-MLC-b4');
    expect(groupModels(catalog).flatMap((g) => g.entries.map((e) => e.id))).not.toContain('snowflake-arctic-embed-s-q0f32-MLC-b4');
  });

  it('groups by family in the order given, members by size', () => {
    const groups = groupModels(catalog);
    expect(groups.map((g) => g.family)).toEqual(['Llama 3.2', 'Qwen3']);
    expect(groups[0]!.entries.map((e) => e.id)).toEqual(['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'Llama-3.2-3B-Instruct-q4f16_1-MLC']);
  });

  it('puts a class first within a family when given one (the page passes the fit)', () => {
    const fitsFirst = groupModels(catalog, (e) => (e.id.startsWith('Llama-3.2-1B') ? 2 : 0));
    expect(fitsFirst[0]!.entries.map((e) => e.id)).toEqual(['Llama-3.2-3B-Instruct-q4f16_1-MLC', 'Llama-3.2-1B-Instruct-q4f16_1-MLC']);
  });

  it('matches every word of the query in any order and case', () => {
    expect(searchModels(catalog, 'llama 1b').map((e) => e.id)).toEqual(['Llama-3.2-1B-Instruct-q4f16_1-MLC']);
    expect(searchModels(catalog, '1B LLAMA').map((e) => e.id)).toEqual(['Llama-3.2-1B-Instruct-q4f16_1-MLC']);
    expect(searchModels(catalog, '  ')).toHaveLength(4);
    expect(searchModels(catalog, 'mistral')).toEqual([]);
  });
});

describe('remote models', () => {
  const remote = (model: string, server: string) =>
    entry(`remote:${server.toLowerCase()}/${model}`, { source: 'remote', server, quantization: 'unknown', needsShaderF16: false });
  const catalog = [
    entry('Llama-3.2-1B-Instruct-q4f16_1-MLC'),
    remote('meta-llama/Llama-3.3-70B-Instruct', 'Lab'),
    remote('Qwen2.5-72B-Instruct', 'Lab'),
    remote('llama3.3:70b', 'Desk'),
  ];

  it('are named by the server id, parsed without the organisation', () => {
    expect(displayName('remote:lab/meta-llama/Llama-3.3-70B-Instruct')).toBe('Llama-3.3-70B-Instruct');
    expect(displayName('remote:desk/qwen3:32b')).toBe('qwen3:32b');
    expect(parseModelName('remote:lab/meta-llama/Llama-3.3-70B-Instruct')).toEqual({
      family: 'Llama 3.3',
      size: '70B',
      billions: 70,
      variant: 'Instruct',
    });
  });

  it('group by server, apart from local families of the same name', () => {
    const groups = groupModels(catalog);
    expect(groups.map((g) => [g.family, g.entries.length])).toEqual([
      ['Llama 3.2', 1],
      ['On Lab', 2],
      ['On Desk', 1],
    ]);
  });

  it('are found by their server name, and need no download', () => {
    expect(searchModels(catalog, 'desk').map((e) => e.id)).toEqual(['remote:desk/llama3.3:70b']);
    expect(downloadEstimate(catalog[1]!, undefined)).toBe(0);
  });
});

describe('labels', () => {
  it('says the context in k tokens', () => {
    expect(contextLabel(4096)).toBe('4k context');
    expect(contextLabel(131072)).toBe('128k context');
    expect(contextLabel(512)).toBe('512 tokens context');
  });

  it('estimates a download from the parameter count and bits per weight', () => {
    expect(downloadEstimate(entry('Llama-3.2-1B-Instruct-q4f16_1-MLC'), undefined)).toBe((1e9 * 4.5) / 8);
    expect(downloadEstimate(entry('Qwen3-0.6B-q4f32_1-MLC', { quantization: 'q4f32_1' }), undefined)).toBe((0.6e9 * 5) / 8);
    expect(downloadEstimate(entry('Qwen3-0.6B-q0f16-MLC', { quantization: 'q0f16' }), undefined)).toBe(0.6e9 * 2);
  });

  it('without a parameter count, estimates a download as the GPU figure without the KV cache', () => {
    const shape = { layers: 2, kvHeads: 1, headDim: 16, vocabSize: 100 };
    const e = entry('phi-2-q4f16_1-MLC', { vramBytes: 10_000_000, contextWindow: 1024 });
    // 2 layers × 65 pages × 2 (K and V) × 1 head × 16 tokens × 16 dims × 2 bytes.
    expect(downloadEstimate(e, shape)).toBe(10_000_000 - 2 * 65 * 2 * 16 * 16 * 2);
    expect(downloadEstimate(e, undefined)).toBe(10_000_000);
    expect(downloadEstimate(entry('reference-tiny', { source: 'reference', vramBytes: 0 }), undefined)).toBe(0);
    expect(downloadEstimate(entry('x'), shape)).toBeUndefined();
    expect(downloadEstimate(entry('gemma-4-E2B-it-q4f16_1-MLC'), undefined)).toBeUndefined();
  });
});
