// The verify function and K per pass: batch_prefill capped at max_batch_size − 1, batch_verify only
// when its planned workspace fits what the sizing leaves and its logits fit one binding.
import { describe, expect, it } from 'vitest';
import { planVerify, verifyMemory, type VerifyLibrary } from './verify-plan';

const MIB = 2 ** 20;
const lib = (o: Partial<VerifyLibrary> = {}): VerifyLibrary => ({
  batchPrefill: true,
  batchVerify: true,
  maxBatchSize: 80,
  batchVerifyBytes: 400 * MIB,
  prefillChunk: 2048,
  vocabSize: 151_936,
  ...o,
});
const memory = { budgetBytes: 1024 * MIB, bindingBytes: 2048 * MIB };

describe('planVerify', () => {
  it('uses batch_prefill and caps K at max_batch_size − 1', () => {
    expect(planVerify(lib(), memory)).toEqual({ fn: 'batch_prefill', maxDraftTokens: 79 });
    expect(planVerify(lib({ maxBatchSize: 4 }), memory)).toEqual({ fn: 'batch_prefill', maxDraftTokens: 3 });
    expect(planVerify(lib({ maxBatchSize: 2 }), undefined)).toEqual({ fn: 'batch_prefill', maxDraftTokens: 1 });
    // Never more rows than one prefill chunk.
    expect(planVerify(lib({ maxBatchSize: 80, prefillChunk: 16 }), memory)).toEqual({ fn: 'batch_prefill', maxDraftTokens: 15 });
  });

  it('falls to batch_verify when batch_prefill is missing or returns one row, if its workspace and logits fit', () => {
    for (const l of [lib({ batchPrefill: false }), lib({ maxBatchSize: 1 }), lib({ maxBatchSize: undefined })]) {
      expect(planVerify(l, memory)).toEqual({ fn: 'batch_verify', maxDraftTokens: 2047 });
    }
    // Exactly at the budget still fits.
    expect(planVerify(lib({ batchPrefill: false, batchVerifyBytes: 1024 * MIB }), memory).fn).toBe('batch_verify');
  });

  it('refuses batch_verify whose workspace exceeds what the sizing leaves', () => {
    const p = planVerify(lib({ batchPrefill: false, batchVerifyBytes: 1024 * MIB + 1 }), memory);
    expect(p.fn).toBeUndefined();
    expect(p.reason).toMatch(/no batch_prefill, and batch_verify needs a 1024 MiB workspace where the sizing leaves 1024 MiB/);
    expect(planVerify(lib({ maxBatchSize: 1, batchVerifyBytes: 400 * MIB }), { ...memory, budgetBytes: -5 }).reason).toMatch(
      /only 1 logit row.*leaves 0 MiB/,
    );
  });

  it('refuses batch_verify whose logits exceed one storage-buffer binding', () => {
    // 2048 × 151,936 × 4 B = 1187 MiB of logits.
    const p = planVerify(lib({ batchPrefill: false }), { ...memory, bindingBytes: 1024 * MIB });
    expect(p.reason).toMatch(/logits \(1187 MiB\) exceed this GPU's largest buffer binding \(1024 MiB\)/);
    expect(planVerify(lib({ batchPrefill: false, prefillChunk: 1024 }), { ...memory, bindingBytes: 1024 * MIB }).fn).toBe('batch_verify');
  });

  it('refuses batch_verify when its workspace or the budget is unknown', () => {
    expect(planVerify(lib({ batchPrefill: false, batchVerifyBytes: undefined }), memory).reason).toMatch(
      /does not state batch_verify's workspace/,
    );
    expect(planVerify(lib({ batchPrefill: false }), undefined).reason).toMatch(/without a GPU memory budget/);
  });

  it('names what is missing when neither function can verify', () => {
    expect(planVerify(lib({ batchPrefill: false, batchVerify: false }), memory).reason).toBe('it has no batch_prefill and no batch_verify');
    expect(planVerify(lib({ maxBatchSize: undefined, batchVerify: false }), memory).reason).toMatch(
      /unstated number of logit rows and no batch_verify/,
    );
  });
});

describe('verifyMemory', () => {
  const entry = (id: string, vramMiB: number | undefined) =>
    ({
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
      ...(vramMiB === undefined ? {} : { vramBytes: vramMiB * MIB }),
    }) as const;
  const gpu = (binding: number) => ({
    vendor: 'v',
    architecture: '',
    device: '',
    description: '',
    isFallbackAdapter: false,
    features: [],
    mobile: false,
    limits: {
      maxBufferSize: binding,
      maxStorageBufferBindingSize: binding,
      maxStorageBuffersPerShaderStage: 10,
      maxComputeWorkgroupStorageSize: 32768,
    },
  });
  const budget = {
    deviceClass: 'discrete' as const,
    limitBytes: 6000 * MIB,
    comfortableBytes: 4800 * MIB,
    source: 'estimate' as const,
    basis: '',
  };
  const noShape = () => undefined;

  it('is the budget limit minus the target and the draft, with the binding WebLLM gets', () => {
    expect(verifyMemory(entry('t', 4000), entry('d', 900), 4096, gpu(2 ** 31), budget, noShape)).toEqual({
      budgetBytes: 1100 * MIB,
      bindingBytes: 2 ** 30,
    });
    expect(verifyMemory(entry('t', 4000), undefined, 4096, gpu(2 ** 28), budget, noShape)).toEqual({
      budgetBytes: 2000 * MIB,
      bindingBytes: 2 ** 27,
    });
  });

  it('rescales the KV cache to the context the models load with', () => {
    const shape = { layers: 28, kvHeads: 4, headDim: 128, vocabSize: 151_936 };
    const full = verifyMemory(entry('t', 4000), undefined, 4096, gpu(2 ** 31), budget, () => shape)!;
    const small = verifyMemory(entry('t', 4000), undefined, 1024, gpu(2 ** 31), budget, () => shape)!;
    expect(small.budgetBytes).toBeGreaterThan(full.budgetBytes);
  });

  it("is unknown when a model's need is unknown", () => {
    expect(verifyMemory(entry('t', undefined), undefined, 4096, gpu(2 ** 31), budget, noShape)).toBeUndefined();
    expect(verifyMemory(entry('t', 4000), entry('d', undefined), 4096, gpu(2 ** 31), budget, noShape)).toBeUndefined();
  });
});
