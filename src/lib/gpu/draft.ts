// Speculative decoding's share of the sizing: which smaller model can draft for a target (same
// tokenizer, fits beside it) and how many draft tokens K each verify pass should carry. Target plus
// draft must stay under the same comfortable threshold as a target alone.

import type { CatalogEntry } from '../catalog';
import { maxBindableBytes } from './device-class';
import type { DeviceClass, GpuReport, MemoryBudget } from './types';
import { MAX_DRAFT_TOKENS } from '../speculative/types';

/** Starting K by device class: more bandwidth-bound GPUs gain more from longer drafts. */
const BASE_DRAFT_TOKENS: Record<DeviceClass, number> = { discrete: 6, apple: 5, integrated: 4, mobile: 2, software: 3 };
const FALLBACK_VOCAB = 32_000;

/** Models whose token ids mean the same thing, by model library. */
export function tokenizerFamily(entry: Pick<CatalogEntry, 'libName' | 'source' | 'id'>): string {
  if (entry.source === 'reference') return 'reference';
  const n = entry.libName;
  const rules: [RegExp, string][] = [
    [/^Llama-3([._-]|$)/, 'llama3'],
    [/^(Llama-2|TinyLlama)/, 'llama2'],
    [/^Qwen2(\.5)?-/, 'qwen2'],
    [/^Qwen3-/, 'qwen3'],
    [/^SmolLM2-/, 'smollm2'],
    [/^gemma-2-/, 'gemma2'],
    [/^Phi-3(\.5)?-mini/, 'phi3'],
    [/^OLMo-2-/, 'olmo2'],
  ];
  for (const [re, family] of rules) if (re.test(n)) return family;
  return `lib:${n}`;
}

/** Bytes of the verify pass's extra buffers: K+1 rows of logits plus their probabilities. */
export function verifyWorkspaceBytes(k: number, vocabSize: number): number {
  return 2 * (k + 1) * vocabSize * 4;
}

/** Smaller models with the target's token ids that this GPU can run, smallest first. */
export function compatibleDrafts(
  target: CatalogEntry,
  catalog: readonly CatalogEntry[],
  canRun: (e: CatalogEntry) => boolean,
): CatalogEntry[] {
  const family = tokenizerFamily(target);
  const size = (e: CatalogEntry) => e.vramBytes ?? Number.POSITIVE_INFINITY;
  return catalog
    .filter(
      (d) =>
        d.id !== target.id &&
        d.kind === 'llm' &&
        !d.recurrentState &&
        !d.slidingWindow &&
        tokenizerFamily(d) === family &&
        canRun(d) &&
        (target.source === 'reference' || size(d) < size(target)),
    )
    .sort((a, b) => size(a) - size(b));
}

interface DraftChoice {
  draftTokens: number;
  draftModelId?: string;
}

/**
 * Picks K and a draft model for `target` at `context`. `needOf` gives a model's memory at a
 * context (undefined when unknown), `canRun` whether the GPU can run it at all.
 */
export function planDraft(
  target: CatalogEntry,
  targetNeed: number,
  catalog: readonly CatalogEntry[],
  gpu: GpuReport,
  budget: MemoryBudget,
  needOf: (e: CatalogEntry) => number | undefined,
  canRun: (e: CatalogEntry) => boolean,
): DraftChoice {
  if (target.recurrentState || target.kind !== 'llm') return { draftTokens: 0 };
  const vocab = target.vocabSize ?? FALLBACK_VOCAB;
  let k = BASE_DRAFT_TOKENS[budget.deviceClass];
  // K+1 logits rows must fit in one buffer, bound whole.
  k = Math.min(k, Math.floor(maxBindableBytes(gpu) / (vocab * 4)) - 1);
  // A second model is only worth it where the pair stays comfortable; prompt lookup's few
  // megabytes of verify workspace may use what is left up to the limit.
  const comfortableRoom = budget.comfortableBytes - targetNeed;
  let room = budget.limitBytes - targetNeed;
  const drafts = compatibleDrafts(target, catalog, canRun)
    .map((d) => ({ d, need: needOf(d) }))
    .filter(
      (x): x is { d: CatalogEntry; need: number } => x.need !== undefined && (target.source === 'reference' || x.need < targetNeed * 0.6),
    )
    .sort((a, b) => a.need - b.need);
  let draftModelId: string | undefined;
  const pick = drafts.find((x) => x.need + verifyWorkspaceBytes(Math.max(k, 1), vocab) <= comfortableRoom);
  if (pick) {
    draftModelId = pick.d.id;
    room -= pick.need;
  }
  while (k > 0 && verifyWorkspaceBytes(k, vocab) > room) k--;
  const choice: DraftChoice = { draftTokens: Math.max(0, Math.min(MAX_DRAFT_TOKENS, k)) };
  if (draftModelId && choice.draftTokens > 0) choice.draftModelId = draftModelId;
  return choice;
}
