// Will this model run on this GPU, with how much context? Pure functions over the catalog entry,
// its KV shape, the adapter's report and the memory budget. WebLLM binds every weight tensor whole,
// so the largest one (WebLLM's own figure, else vocab × hidden at the weight width) must fit the
// buffer and binding sizes WebLLM will request before memory is even considered.

import type { CatalogEntry } from '../catalog';
import { effectiveBindingBytes, effectiveBufferBytes, hasShaderF16, maxBindableBytes } from './device-class';
import { kvBytesPerValue, kvCacheBytes, largestTensorBytes } from './kv-shapes';
import type { Fit, GpuReport, KvShape, MemoryBudget } from './types';
import { GIB, gb, mib } from '../units';

/** WebLLM ships 1k-context builds; less than that barely holds a conversation. */
const MIN_USABLE_CONTEXT = 1024;
const REQUIRED_STORAGE_BUFFERS = 10;
const REQUIRED_WORKGROUP_STORAGE = 32 * 1024;

/**
 * GPU memory the model needs at `context` tokens: WebLLM's measured figure (taken at the record's
 * own context) with the KV-cache part rescaled. Without a standard KV shape the figure is used as
 * it is, which overestimates smaller contexts.
 */
export function neededBytes(entry: CatalogEntry, shape: KvShape | undefined, context: number): number | undefined {
  if (entry.vramBytes === undefined) return undefined;
  if (!shape || shape.nonStandard) return entry.vramBytes;
  const b = kvBytesPerValue(entry.quantization);
  return Math.max(0, entry.vramBytes - kvCacheBytes(shape, entry.contextWindow, b) + kvCacheBytes(shape, context, b));
}

/** Candidate context sizes, largest first: the compiled maximum, then powers of two down to 1k. */
export function contextCandidates(maxContext: number): number[] {
  const out = [maxContext];
  let p = 2 ** Math.floor(Math.log2(maxContext));
  if (p === maxContext) p /= 2;
  for (; p >= Math.min(MIN_USABLE_CONTEXT, maxContext); p /= 2) out.push(p);
  return out;
}

interface BaseFit {
  fit: Fit;
  reason: string;
  contextWindow: number;
  neededBytes: number;
}

/** The largest buffer the model binds: WebLLM's record figure, else its embedding table. */
export function largestBufferBytes(entry: CatalogEntry, shape: KvShape | undefined): number | undefined {
  return entry.bufferBytesRequired ?? (shape ? largestTensorBytes(shape, entry.quantization) : undefined);
}

/** Device capabilities the model needs, checked before memory. */
function capabilityProblem(entry: CatalogEntry, shape: KvShape | undefined, gpu: GpuReport): string | undefined {
  if (entry.kind === 'embedding') return 'an embedding model: it cannot chat';
  if (entry.needsShaderF16 && !hasShaderF16(gpu)) return 'needs shader-f16, which this GPU does not offer';
  if (gpu.limits.maxStorageBuffersPerShaderStage < REQUIRED_STORAGE_BUFFERS) {
    return `WebGPU allows ${gpu.limits.maxStorageBuffersPerShaderStage} storage buffers per shader stage; WebLLM needs ${REQUIRED_STORAGE_BUFFERS}`;
  }
  if (gpu.limits.maxComputeWorkgroupStorageSize < REQUIRED_WORKGROUP_STORAGE) {
    return `WebGPU allows ${gpu.limits.maxComputeWorkgroupStorageSize} bytes of workgroup storage; WebLLM needs ${REQUIRED_WORKGROUP_STORAGE}`;
  }
  const binding = effectiveBindingBytes(gpu);
  if (binding === 0)
    return `the storage-buffer binding limit (${mib(gpu.limits.maxStorageBufferBindingSize)}) is below WebLLM's minimum of 128 MiB`;
  if (effectiveBufferBytes(gpu) === 0)
    return `the buffer size limit (${mib(gpu.limits.maxBufferSize)}) is below WebLLM's minimum of 256 MiB`;
  const largest = largestBufferBytes(entry, shape);
  if (largest !== undefined && largest > maxBindableBytes(gpu)) {
    const which =
      binding <= effectiveBufferBytes(gpu) ? `storage-buffer bindings of ${mib(binding)}` : `buffers of ${mib(effectiveBufferBytes(gpu))}`;
    return `its largest weight tensor is ${mib(largest)}; WebLLM gets ${which} on this GPU`;
  }
  return undefined;
}

export function fitModel(entry: CatalogEntry, shape: KvShape | undefined, gpu: GpuReport, budget: MemoryBudget): BaseFit {
  const problem = capabilityProblem(entry, shape, gpu);
  if (problem) return { fit: 'no', reason: problem, contextWindow: 0, neededBytes: neededBytes(entry, shape, entry.contextWindow) ?? 0 };
  const candidates = contextCandidates(entry.contextWindow);
  // Without a width the largest tensor is unknown; below 1 GiB it may not fit.
  const unknownTensor = maxBindableBytes(gpu) < GIB && largestBufferBytes(entry, shape) === undefined;
  if (entry.vramBytes === undefined) {
    return {
      fit: 'tight',
      reason: 'its memory needs are unknown (no size in its record)',
      contextWindow: entry.contextWindow,
      neededBytes: 0,
    };
  }
  const sized = candidates.map((ctx) => ({ ctx, need: neededBytes(entry, shape, ctx)! }));
  const comfortable = sized.find((c) => c.need <= budget.comfortableBytes);
  const within = sized.find((c) => c.need <= budget.limitBytes);
  const available = `about ${gb(budget.limitBytes)} available`;
  if (!within) {
    const least = sized.at(-1)!;
    return {
      fit: 'no',
      reason: `needs ${gb(least.need)} of GPU memory even at ${least.ctx} tokens of context; ${available}`,
      contextWindow: 0,
      neededBytes: least.need,
    };
  }
  const pick = comfortable ?? within;
  const reduced = pick.ctx < entry.contextWindow ? `context reduced to ${pick.ctx} tokens to fit` : '';
  if (!comfortable) {
    return {
      fit: 'tight',
      reason: [`uses ${gb(pick.need)} of ${available}`, reduced].filter(Boolean).join('; '),
      contextWindow: pick.ctx,
      neededBytes: pick.need,
    };
  }
  if (unknownTensor) {
    return {
      fit: 'tight',
      reason: [
        `WebLLM gets only ${mib(maxBindableBytes(gpu))} buffers on this GPU and the size of this model's largest tensor is unknown`,
        reduced,
      ]
        .filter(Boolean)
        .join('; '),
      contextWindow: pick.ctx,
      neededBytes: pick.need,
    };
  }
  return { fit: 'fits', reason: reduced, contextWindow: pick.ctx, neededBytes: pick.need };
}
