// Sizes the whole catalog for one GPU: fit, context, f32 variant, draft model and K per model,
// plus the ordering and the plain-words explanation the settings show. Where the memory budget is a
// guess, the catalog is sized again on the low guess and every model whose choice differs is marked,
// so the page can ask for the real figure before a download that may not run.

import type { CatalogEntry } from '../catalog';
import { describeClass, effectiveBindingBytes, effectiveBufferBytes, hasShaderF16 } from './device-class';
import { planDraft } from './draft';
import { fitModel, neededBytes } from './fit';
import { KV_SHAPES } from './kv-shapes';
import type { Fit, GpuReport, KvShape, MemoryBudget, ModelSizing } from './types';
import { GIB, gb, mib } from '../units';

type ShapeLookup = (entry: CatalogEntry) => KvShape | undefined;

export const shippedShape: ShapeLookup = (e) => KV_SHAPES[e.libName];

/** The q*f32 build of a q*f16 model, when the catalog has one. */
function f32VariantOf(entry: CatalogEntry, catalog: readonly CatalogEntry[]): CatalogEntry | undefined {
  if (!/f16/.test(entry.quantization)) return undefined;
  const id = entry.id.replace(/(q\d+)f16(_\d+)?/, '$1f32$2');
  return id === entry.id ? undefined : catalog.find((e) => e.id === id);
}

export function sizeCatalog(
  catalog: readonly CatalogEntry[],
  gpu: GpuReport,
  budget: MemoryBudget,
  shapeOf: ShapeLookup = shippedShape,
): Map<string, ModelSizing> {
  const out = sizeWith(catalog, gpu, budget, shapeOf);
  if (!budget.lowGuess) return out;
  const low = sizeWith(
    catalog,
    gpu,
    { ...budget, limitBytes: budget.lowGuess.limitBytes, comfortableBytes: budget.lowGuess.comfortableBytes },
    shapeOf,
  );
  for (const [id, s] of out) {
    const l = low.get(id)!;
    if (s.fit !== 'no' && (l.fit !== s.fit || l.contextWindow !== s.contextWindow || l.draftModelId !== s.draftModelId))
      s.dependsOnGuess = true;
  }
  return out;
}

/** Plain words for a choice that depends on the guessed budget, with what to do about it. */
export function guessWarning(budget: MemoryBudget, sizing: ModelSizing | undefined): string | undefined {
  if (!sizing?.dependsOnGuess || !budget.lowGuess) return undefined;
  return `This assumes ${budget.lowGuess.assumed}, a guess: with less, it may not run as sized. Enter your GPU's memory in Settings → GPU memory for an exact fit`;
}

/** Models above this are a multi-GB download: ask for the memory figure first when their fit is a guess. */
export const ASK_ABOVE_BYTES = GIB;

export interface LoadQuestion {
  /** "no": the sizing says it will not fit; "guess": it fits only on a guessed memory figure. */
  kind: 'no' | 'guess';
  reason: string;
}

/** What to ask before loading or downloading `entry`, if anything. */
export function questionBeforeLoad(
  entry: CatalogEntry,
  sizing: ModelSizing | undefined,
  budget: MemoryBudget | undefined,
  cached: boolean,
): LoadQuestion | undefined {
  if (sizing?.fit === 'no') return { kind: 'no', reason: sizing.reason };
  const guess = budget ? guessWarning(budget, sizing) : undefined;
  if (guess && !cached && (entry.vramBytes ?? 0) > ASK_ABOVE_BYTES) return { kind: 'guess', reason: guess };
  return undefined;
}

function sizeWith(catalog: readonly CatalogEntry[], gpu: GpuReport, budget: MemoryBudget, shapeOf: ShapeLookup): Map<string, ModelSizing> {
  const base = new Map(
    catalog.map((e) => [
      e.id,
      e.source === 'reference'
        ? { fit: 'fits' as Fit, reason: '', contextWindow: e.contextWindow, neededBytes: 0 }
        : fitModel(e, shapeOf(e), gpu, budget),
    ]),
  );
  const out = new Map<string, ModelSizing>();
  for (const e of catalog) {
    const b = base.get(e.id)!;
    const sizing: ModelSizing = { modelId: e.id, ...b, maxContextWindow: e.contextWindow, draftTokens: 0 };
    if (e.needsShaderF16 && !hasShaderF16(gpu)) {
      const v = f32VariantOf(e, catalog);
      if (v && base.get(v.id)?.fit !== 'no') {
        sizing.variantId = v.id;
        sizing.reason = `${b.reason}; use ${v.id}`;
      }
    }
    if (b.fit !== 'no') {
      const ctx = b.contextWindow;
      const plan = planDraft(
        e,
        b.neededBytes,
        catalog,
        gpu,
        budget,
        (d) => (d.source === 'reference' ? 0 : neededBytes(d, shapeOf(d), ctx)),
        (d) => base.get(d.id)?.fit !== 'no',
      );
      sizing.draftTokens = plan.draftTokens;
      if (plan.draftModelId) sizing.draftModelId = plan.draftModelId;
    }
    out.set(e.id, sizing);
  }
  return out;
}

const FIT_ORDER: Record<Fit, number> = { fits: 0, tight: 1, no: 2 };

/** Fits first, then tight, then no; the catalog's own order within each group. */
export function sortByFit(catalog: readonly CatalogEntry[], sizings: ReadonlyMap<string, ModelSizing>): CatalogEntry[] {
  return catalog
    .map((e, i) => ({ e, i, f: FIT_ORDER[sizings.get(e.id)?.fit ?? 'tight'] }))
    .sort((a, b) => a.f - b.f || a.i - b.i)
    .map((x) => x.e);
}

/** Names the adapter as the user knows it: "google swiftshader", "apple metal-3". */
export function adapterName(gpu: GpuReport): string {
  return [gpu.vendor, gpu.architecture, gpu.device || gpu.description].filter(Boolean).join(' ').trim() || 'unknown GPU';
}

/** Plain words: why these sizes were chosen for this GPU and model. */
export function explainSizing(
  gpu: GpuReport,
  budget: MemoryBudget,
  entry: CatalogEntry | undefined,
  sizing: ModelSizing | undefined,
): string[] {
  const lines = [
    `This is ${describeClass(budget.deviceClass)} (${adapterName(gpu)}). ${budget.basis}.`,
    hasShaderF16(gpu)
      ? 'It supports shader-f16, so f16 models can run.'
      : 'It does not support shader-f16, so only f32 models (q4f32, q0f32) can run.',
    `WebLLM gets ${mib(effectiveBindingBytes(gpu))} storage-buffer bindings and ${mib(effectiveBufferBytes(gpu))} buffers (the adapter allows ${mib(gpu.limits.maxStorageBufferBindingSize)} and ${mib(gpu.limits.maxBufferSize)}); every weight tensor must fit both.`,
  ];
  if (entry && sizing) {
    if (sizing.fit === 'no') {
      lines.push(`${entry.id} does not fit: ${sizing.reason}.`);
    } else {
      const ctx =
        sizing.contextWindow === sizing.maxContextWindow
          ? `its full ${sizing.maxContextWindow}-token context`
          : `a ${sizing.contextWindow}-token context (its maximum is ${sizing.maxContextWindow}, which would not fit comfortably)`;
      lines.push(
        `${entry.id} needs about ${gb(sizing.neededBytes)} with ${ctx}${sizing.fit === 'tight' ? `; it is tight: ${sizing.reason}` : ''}.`,
      );
      lines.push(
        sizing.draftTokens > 0
          ? `Speculative decoding drafts ${sizing.draftTokens} tokens per step${sizing.draftModelId ? ` with ${sizing.draftModelId}, which fits beside it` : ' (prompt lookup: no extra memory)'}.`
          : 'Speculative decoding is off for this model on this GPU.',
      );
    }
    const warning = guessWarning(budget, sizing);
    if (warning) lines.push(`${warning}.`);
  }
  return lines;
}
