// GPU sizing against real device profiles and WebLLM's real catalog (pinned 0.2.86).
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { toCatalogEntry } from '../../src/lib/catalog';
import { classifyDevice, memoryBudget } from '../../src/lib/gpu/device-class';
import { verifyWorkspaceBytes } from '../../src/lib/gpu/draft';
import { largestBufferBytes, neededBytes } from '../../src/lib/gpu/fit';
import { KV_SHAPES, largestTensorBytes } from '../../src/lib/gpu/kv-shapes';
import { explainSizing, guessWarning, questionBeforeLoad, shippedShape, sizeCatalog, sortByFit } from '../../src/lib/gpu/sizing';
import type { Fit } from '../../src/lib/gpu/types';
import { PROFILES, profile } from './device-profiles';

const catalog = prebuiltAppConfig.model_list.map((r) => toCatalogEntry(r, 'prebuilt'));
const byId = new Map(catalog.map((e) => [e.id, e]));
const MB = 1024 * 1024;

const L1_F16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const L1_F32 = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const Q05_F32 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const L8_F16 = 'Llama-3.1-8B-Instruct-q4f16_1-MLC';
const L8_F32 = 'Llama-3.1-8B-Instruct-q4f32_1-MLC';
const PHI_F16 = 'Phi-3.5-mini-instruct-q4f16_1-MLC';
const PHI_F32 = 'Phi-3.5-mini-instruct-q4f32_1-MLC';
const GEMMA_2B_F16 = 'gemma-2b-it-q4f16_1-MLC';
const L70 = 'Llama-3.1-70B-Instruct-q3f16_1-MLC';

function size(name: string) {
  const p = profile(name);
  const budget = memoryBudget(p.report, p.userGpuMemoryGB);
  return { p, budget, sizing: sizeCatalog(catalog, p.report, budget) };
}

type Expect = [model: string, fit: Fit, context: number];

const EXPECTED: Record<string, Expect[]> = {
  'Apple M1 8 GB': [
    [L1_F16, 'fits', 4096],
    [PHI_F16, 'fits', 4096],
    [L8_F16, 'tight', 4096],
    [L70, 'no', 0],
  ],
  'Apple M3 Max (auto)': [
    [L1_F16, 'fits', 4096],
    [L8_F16, 'tight', 4096],
  ],
  // 65% of 36 GB unified memory is 23.4 GB: the 31 GB 70B build does not fit.
  'Apple M3 Max 36 GB (user)': [
    [L8_F16, 'fits', 4096],
    [L8_F32, 'fits', 4096],
    [L70, 'no', 0],
  ],
  'NVIDIA RTX 3060 12 GB (user)': [
    [L8_F16, 'fits', 4096],
    [L8_F32, 'fits', 4096],
    [L70, 'no', 0],
  ],
  'NVIDIA RTX 4090 (auto)': [
    [L8_F16, 'fits', 4096],
    [L8_F32, 'fits', 2048],
    [L70, 'no', 0],
  ],
  'NVIDIA RTX 4090 24 GB (user)': [
    [L8_F32, 'fits', 4096],
    [L70, 'no', 0],
  ],
  'Intel Iris Xe': [
    [L1_F16, 'fits', 4096],
    [PHI_F16, 'fits', 2048],
    [L8_F16, 'no', 0],
  ],
  'AMD Radeon 780M': [
    [L1_F16, 'fits', 4096],
    [PHI_F16, 'fits', 2048],
    [L8_F16, 'no', 0],
  ],
  'Android Adreno 740 (128 MiB binding)': [
    [L1_F16, 'fits', 4096],
    [GEMMA_2B_F16, 'no', 0],
    [PHI_F16, 'tight', 1024],
    [L8_F16, 'no', 0],
  ],
  SwiftShader: [
    [L1_F16, 'no', 0],
    [L1_F32, 'fits', 4096],
    [Q05_F32, 'fits', 4096],
    [L8_F16, 'no', 0],
  ],
  'Intel HD 620 (no shader-f16)': [
    [L1_F16, 'no', 0],
    [L1_F32, 'fits', 4096],
    [PHI_F32, 'tight', 1024],
  ],
  'Old Mali (8 storage buffers)': [
    [L1_F16, 'no', 0],
    [L1_F32, 'no', 0],
  ],
};

describe('device classes', () => {
  it('recognises each profile', () => {
    const classes = Object.fromEntries(PROFILES.map((p) => [p.name, classifyDevice(p.report)]));
    expect(classes).toMatchObject({
      'Apple M1 8 GB': 'apple',
      'NVIDIA RTX 4090 (auto)': 'discrete',
      'Intel Iris Xe': 'integrated',
      'AMD Radeon 780M': 'integrated',
      'Android Adreno 740 (128 MiB binding)': 'mobile',
      SwiftShader: 'software',
      'Old Mali (8 storage buffers)': 'mobile',
    });
  });
});

describe('sizing across device profiles', () => {
  expect(PROFILES.length).toBeGreaterThanOrEqual(9);
  for (const [name, rows] of Object.entries(EXPECTED)) {
    it(name, () => {
      const { sizing } = size(name);
      for (const [model, fit, ctx] of rows) {
        const s = sizing.get(model)!;
        expect({ model, fit: s.fit, ctx: s.contextWindow }).toEqual({ model, fit, ctx });
        if (fit !== 'fits') expect(s.reason.length).toBeGreaterThan(10);
        expect(s.contextWindow).toBeLessThanOrEqual(s.maxContextWindow);
        if (s.contextWindow > 0) expect(Math.log2(s.contextWindow) % 1 === 0 || s.contextWindow === s.maxContextWindow).toBe(true);
      }
    });
  }

  it('names shader-f16 and points to the q4f32 variant when the GPU lacks it', () => {
    const s = size('SwiftShader').sizing.get(L1_F16)!;
    expect(s.reason).toMatch(/shader-f16/);
    expect(s.variantId).toBe(L1_F32);
    expect(s.reason).toContain(L1_F32);
  });

  it('names the binding limit on 128 MiB devices', () => {
    expect(size('Android Adreno 740 (128 MiB binding)').sizing.get(GEMMA_2B_F16)!.reason).toMatch(
      /largest weight tensor is 250 MiB; WebLLM gets storage-buffer bindings of 128 MiB/,
    );
  });

  it('names the storage-buffer count', () => {
    expect(size('Old Mali (8 storage buffers)').sizing.get(L1_F32)!.reason).toMatch(/8 storage buffers per shader stage; WebLLM needs 10/);
  });

  it('never chooses a context that does not fit the budget, and says why when it reduces one', () => {
    for (const p of PROFILES) {
      const budget = memoryBudget(p.report, p.userGpuMemoryGB);
      for (const s of sizeCatalog(catalog, p.report, budget).values()) {
        if (s.fit === 'no') continue;
        expect(s.neededBytes).toBeLessThanOrEqual(budget.limitBytes);
        if (s.fit === 'fits') expect(s.neededBytes).toBeLessThanOrEqual(budget.comfortableBytes);
        if (s.contextWindow < s.maxContextWindow) expect(s.reason).toMatch(/context reduced/);
      }
    }
  });

  it('sorts fitting models first', () => {
    const { sizing } = size('SwiftShader');
    const sorted = sortByFit(catalog, sizing).map((e) => sizing.get(e.id)!.fit);
    const rank = { fits: 0, tight: 1, no: 2 };
    expect(sorted.map((f) => rank[f])).toEqual([...sorted.map((f) => rank[f])].sort((a, b) => a - b));
    expect(sorted[0]).toBe('fits');
  });
});

describe("memory estimates agree with WebLLM's own vram_required_MB", () => {
  it("exactly at the record's own context", () => {
    for (const e of catalog) expect(neededBytes(e, shippedShape(e), e.contextWindow)).toBe(e.vramBytes);
  });

  // Older records were measured with other WebLLM versions and disagree with each other (phi-1_5
  // lists the same 1210 MB for its 1k and 2k builds): their rescaled estimates are uncertain.
  const LEGACY_RECORDS = new Set(['RedPajama-INCITE-Chat-3B-v1', 'Llama-2-7b-chat-hf', 'gemma-2b-it', 'phi-2', 'phi-1_5']);

  it('within 2% when rescaling a 4k/2k record to the 1k build of the same model', () => {
    let pairs = 0;
    const off: string[] = [];
    for (const small of catalog.filter((e) => e.id.endsWith('-1k'))) {
      const big = byId.get(small.id.replace(/-1k$/, ''));
      const shape = KV_SHAPES[small.libName];
      if (!big || !shape || big.contextWindow === small.contextWindow) continue;
      const error = Math.abs(neededBytes(big, shape, small.contextWindow)! - small.vramBytes!) / small.vramBytes!;
      if (LEGACY_RECORDS.has(small.libName)) {
        if (error >= 0.02) off.push(small.libName);
        continue;
      }
      expect(error, small.id).toBeLessThan(0.02);
      pairs++;
    }
    expect(pairs).toBeGreaterThanOrEqual(16);
    expect(new Set(off)).toEqual(LEGACY_RECORDS);
  });

  it('matches the figures worked out by hand: Llama-3.2-1B 32 KiB/token f16, Qwen2-0.5B q4f32 96 MiB at 4k', () => {
    const l1 =
      neededBytes(byId.get(L1_F16)!, KV_SHAPES['Llama-3.2-1B-Instruct'], 4096 + 16)! -
      neededBytes(byId.get(L1_F16)!, KV_SHAPES['Llama-3.2-1B-Instruct'], 4096)!;
    expect(l1 / 16).toBe(32 * 1024);
    const q = byId.get('Qwen2-0.5B-Instruct-q0f32-MLC')!;
    const at4k = neededBytes(q, KV_SHAPES['Qwen2-0.5B-Instruct'], 4096)! - neededBytes(q, KV_SHAPES['Qwen2-0.5B-Instruct'], 0)!;
    expect(Math.round((at4k + 24 * 1 * 2 * 2 * 16 * 64 * 4) / MB)).toBe(96);
  });
});

describe('draft tokens and draft models', () => {
  it('picks a smaller model of the same tokenizer that fits beside the target', () => {
    const s = size('NVIDIA RTX 4090 24 GB (user)').sizing.get(L8_F16)!;
    expect(s.draftModelId).toBe(L1_F16);
    expect(s.draftTokens).toBe(6);
  });

  it('keeps K within 0..8 and zero where the model cannot run', () => {
    for (const p of PROFILES) {
      for (const s of sizeCatalog(catalog, p.report, memoryBudget(p.report, p.userGpuMemoryGB)).values()) {
        expect(s.draftTokens).toBeGreaterThanOrEqual(0);
        expect(s.draftTokens).toBeLessThanOrEqual(8);
        if (s.fit === 'no') expect(s.draftTokens).toBe(0);
        if (s.draftModelId) expect(byId.get(s.draftModelId)!.vramBytes!).toBeLessThan(byId.get(s.modelId)!.vramBytes!);
      }
    }
  });

  it('uses prompt lookup (no draft model) where nothing fits beside the target', () => {
    const s = size('Apple M1 8 GB').sizing.get(L8_F16)!;
    expect(s.draftModelId).toBeUndefined();
    expect(s.draftTokens).toBeGreaterThan(0);
  });

  it('caps K by the 128 MiB binding for a large vocabulary', () => {
    const s = size('Android Adreno 740 (128 MiB binding)').sizing.get(L1_F16)!;
    expect(s.draftTokens).toBeLessThanOrEqual(2);
  });
});

describe('explanation', () => {
  it('says in plain words what the GPU is and why the numbers were chosen', () => {
    const { p, budget, sizing } = size('SwiftShader');
    const text = explainSizing(p.report, budget, byId.get(L1_F32), sizing.get(L1_F32)).join(' ');
    expect(text).toMatch(/software/);
    expect(text).toMatch(/google swiftshader/);
    expect(text).toMatch(/does not support shader-f16/);
    expect(text).toMatch(/4096-token context/);
  });
});

describe('the largest tensor against the buffers WebLLM requests', () => {
  const PHONE = 'Android Adreno 740 (128 MiB binding)';
  const IPHONE = 'iPhone Safari (256 MiB buffers, 1 GiB binding)';

  // vocab × hidden at the weight width: 4 bits for q4, 16 for q0f16, 32 for q0f32.
  it.each([
    ['Llama-3.2-3B-Instruct-q4f16_1-MLC', 188],
    ['Hermes-3-Llama-3.2-3B-q4f16_1-MLC', 188],
    ['Qwen3-1.7B-q4f16_1-MLC', 148],
    ['gemma-2-2b-it-q4f16_1-MLC', 281],
    ['Qwen3-0.6B-q0f16-MLC', 297],
    ['Qwen2.5-0.5B-Instruct-q0f16-MLC', 260],
    ['SmolLM2-360M-Instruct-q0f32-MLC', 180],
  ])('%s (%i MiB) does not fit a 128 MiB binding', (id, tensorMiB) => {
    const s = size(PHONE).sizing.get(id)!;
    expect(s.fit).toBe('no');
    expect(s.reason).toContain(`largest weight tensor is ${tensorMiB} MiB; WebLLM gets storage-buffer bindings of 128 MiB`);
  });

  it('Qwen2.5-Coder-1.5B (111 MiB) fits a 128 MiB binding', () => {
    const s = size(PHONE).sizing.get('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC')!;
    expect({ fit: s.fit, reason: s.reason }).toEqual({ fit: 'fits', reason: '' });
  });

  it('a 256 MiB buffer limit rules out a larger tensor even under a 1 GiB binding', () => {
    const { sizing } = size(IPHONE);
    expect(sizing.get('gemma-2-2b-it-q4f16_1-MLC')!.reason).toMatch(/largest weight tensor is 281 MiB; WebLLM gets buffers of 256 MiB/);
    expect(sizing.get('gemma-2-2b-it-q4f16_1-MLC')!.fit).toBe('no');
    expect(sizing.get('Llama-3.2-3B-Instruct-q4f16_1-MLC')!.fit).toBe('fits');
  });

  it('agrees with the records that state buffer_size_required_bytes', () => {
    const stated = catalog.filter((e) => e.bufferBytesRequired !== undefined);
    expect(stated.length).toBe(6);
    for (const e of stated) expect(largestTensorBytes(KV_SHAPES[e.libName]!, e.quantization), e.id).toBe(e.bufferBytesRequired);
  });

  it('is known for every chat model in the catalog', () => {
    for (const e of catalog.filter((x) => x.kind !== 'embedding')) expect(largestBufferBytes(e, shippedShape(e)), e.id).toBeGreaterThan(0);
  });
});

describe('memory figures a person can trust', () => {
  it('a 4 GB card without a figure: the 8B fit is marked as resting on the guess, and asked for', () => {
    const { budget, sizing } = size('NVIDIA GTX 1650 4 GB (auto)');
    const big = sizing.get(L8_F16)!;
    expect(big.fit).not.toBe('no');
    expect(big.dependsOnGuess).toBe(true);
    expect(guessWarning(budget, big)).toMatch(/assumes 8 GB of video memory, a guess.*Settings → GPU memory/);
    // A small model fits on the low guess too: nothing to ask.
    expect(sizing.get(L1_F16)!.dependsOnGuess).toBeUndefined();
    expect(guessWarning(budget, sizing.get(L1_F16))).toBeUndefined();
  });

  it('asks for the figure before loading or downloading a multi-GB model whose fit is a guess', () => {
    const { budget, sizing } = size('NVIDIA GTX 1650 4 GB (auto)');
    const ask = (id: string, cached = false) => questionBeforeLoad(byId.get(id)!, sizing.get(id), budget, cached);
    expect(ask(L8_F16)).toEqual({ kind: 'guess', reason: expect.stringMatching(/a guess.*Settings → GPU memory/) });
    // Already downloaded: loading it is the quickest way to find out.
    expect(ask(L8_F16, true)).toBeUndefined();
    expect(ask(L1_F16)).toBeUndefined();
    const phone = size('Android Adreno 740 (128 MiB binding)');
    expect(questionBeforeLoad(byId.get(L8_F16)!, phone.sizing.get(L8_F16), phone.budget, false)?.kind).toBe('no');
  });

  it('with the real 4 GB figure the 8B model does not fit, and nothing is a guess', () => {
    const { budget, sizing } = size('NVIDIA GTX 1650 4 GB (user)');
    expect(sizing.get(L8_F16)!.fit).toBe('no');
    expect(budget.lowGuess).toBeUndefined();
    expect([...sizing.values()].some((s) => s.dependsOnGuess)).toBe(false);
  });

  it('a browser that reports device memory gives a floor, not a guess; one that does not, a guess', () => {
    expect(memoryBudget(profile('Apple M1 8 GB').report).lowGuess).toBeUndefined();
    expect(memoryBudget(profile('iPhone Safari (256 MiB buffers, 1 GiB binding)').report).lowGuess).toBeDefined();
  });

  it('a typed figure on unified memory gets the same working-set share as the estimate', () => {
    for (const name of ['Apple M1 8 GB', 'Intel Iris Xe', 'AMD Radeon 780M', 'Android Adreno 740 (128 MiB binding)']) {
      const r = profile(name).report;
      expect(r.deviceMemoryGB).toBe(8);
      const typed = memoryBudget(r, 8);
      const estimated = memoryBudget(r);
      expect({ name, limit: typed.limitBytes, comfortable: typed.comfortableBytes, source: typed.source }).toEqual({
        name,
        limit: estimated.limitBytes,
        comfortable: estimated.comfortableBytes,
        source: 'user',
      });
    }
  });

  it('target plus draft stay under the same comfortable threshold as a target alone', () => {
    let drafted = 0;
    for (const p of PROFILES) {
      const budget = memoryBudget(p.report, p.userGpuMemoryGB);
      for (const s of sizeCatalog(catalog, p.report, budget).values()) {
        if (!s.draftModelId) continue;
        const d = byId.get(s.draftModelId)!;
        const pair =
          s.neededBytes +
          neededBytes(d, shippedShape(d), s.contextWindow)! +
          verifyWorkspaceBytes(s.draftTokens, byId.get(s.modelId)!.vocabSize!);
        expect(pair, `${p.name}: ${s.modelId} + ${s.draftModelId}`).toBeLessThanOrEqual(budget.comfortableBytes);
        drafted++;
      }
    }
    expect(drafted).toBeGreaterThan(20);
  });
});

describe('shapes for every catalog family', () => {
  it("every model library in WebLLM's prebuilt list has a KV shape with its embedding width", () => {
    const missing = [...new Set(catalog.map((e) => e.libName))].filter((lib) => !KV_SHAPES[lib]?.hiddenSize);
    expect(missing).toEqual([]);
  });

  it('every shape has whole, positive dimensions', () => {
    for (const [lib, s] of Object.entries(KV_SHAPES)) {
      for (const v of [s.layers, s.kvHeads, s.headDim, s.vocabSize, s.hiddenSize!]) expect(Number.isInteger(v) && v > 0, lib).toBe(true);
    }
  });
});
