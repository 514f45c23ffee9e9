// Which model-library function verifies drafts, and how many drafts one pass may carry, so the
// pass fits the GPU. batch_prefill returns max_batch_size logit rows at most (K ≤ max_batch_size − 1).
// batch_verify returns every position and runs on a workspace planned for a whole prefill chunk
// (metadata.memory_usage.batch_verify, often hundreds of MiB): an allocation that does not fit loses
// the GPU device, so it is used only when that workspace fits the memory the sizing leaves beside
// the loaded models and its logits fit one storage-buffer binding. Otherwise: plain decoding, and why.

import type { CatalogEntry } from '../catalog';
import { effectiveBindingBytes } from '../gpu/device-class';
import { neededBytes } from '../gpu/fit';
import { mib } from '../units';
import type { GpuReport, KvShape, MemoryBudget } from '../gpu/types';

/** What the page's GPU sizing leaves for speculation once the model(s) are loaded. */
export interface VerifyMemory {
  /** Bytes under the budget's limit not taken by the target and draft models at this context. */
  budgetBytes: number;
  /** Largest storage-buffer binding (and buffer) the device allows, in bytes. */
  bindingBytes: number;
}

export interface VerifyLibrary {
  batchPrefill: boolean;
  batchVerify: boolean;
  /** Compile-time max_batch_size from the library's metadata, when stated. */
  maxBatchSize?: number;
  /** metadata.memory_usage.batch_verify in bytes, when stated. */
  batchVerifyBytes?: number;
  prefillChunk: number;
  /** Length of one logits row. */
  vocabSize: number;
}

type VerifyPlan = { fn: 'batch_prefill' | 'batch_verify'; maxDraftTokens: number; reason?: undefined } | { reason: string; fn?: undefined };

export function planVerify(lib: VerifyLibrary, memory: VerifyMemory | undefined): VerifyPlan {
  const maxBatch = lib.maxBatchSize ?? 0;
  if (lib.batchPrefill && maxBatch >= 2) return { fn: 'batch_prefill', maxDraftTokens: Math.min(maxBatch, lib.prefillChunk) - 1 };
  const why = lib.batchPrefill
    ? `its batch_prefill returns ${maxBatch ? `only ${maxBatch} logit row` : 'an unstated number of logit rows'}`
    : 'it has no batch_prefill';
  if (!lib.batchVerify) return { reason: `${why} and no batch_verify` };
  if (!memory) return { reason: `${why}, and batch_verify's workspace cannot be checked without a GPU memory budget` };
  const logitsBytes = lib.prefillChunk * lib.vocabSize * 4;
  if (logitsBytes > memory.bindingBytes)
    return {
      reason: `${why}, and batch_verify's logits (${mib(logitsBytes)}) exceed this GPU's largest buffer binding (${mib(memory.bindingBytes)})`,
    };
  if (lib.batchVerifyBytes === undefined)
    return { reason: `${why}, and the model library does not state batch_verify's workspace, so it cannot be checked against GPU memory` };
  if (lib.batchVerifyBytes > memory.budgetBytes) {
    return {
      reason: `${why}, and batch_verify needs a ${mib(lib.batchVerifyBytes)} workspace where the sizing leaves ${mib(Math.max(0, memory.budgetBytes))} beside the loaded models`,
    };
  }
  return { fn: 'batch_verify', maxDraftTokens: lib.prefillChunk - 1 };
}

/**
 * The memory the sizing leaves for the verify pass once `target` (and `draft`, loaded at the same
 * context) are in: the budget's limit minus both models' needs. Undefined when a need is unknown.
 */
export function verifyMemory(
  target: CatalogEntry,
  draft: CatalogEntry | undefined,
  context: number,
  gpu: GpuReport,
  budget: MemoryBudget,
  shapeOf: (e: CatalogEntry) => KvShape | undefined,
): VerifyMemory | undefined {
  const targetNeed = neededBytes(target, shapeOf(target), context);
  const draftNeed = draft ? neededBytes(draft, shapeOf(draft), context) : 0;
  if (targetNeed === undefined || draftNeed === undefined) return undefined;
  return { budgetBytes: budget.limitBytes - targetNeed - draftNeed, bindingBytes: effectiveBindingBytes(gpu) };
}
