// Page state of the GPU sizing: the adapter report from the worker, the memory budget (estimated,
// or from the user's figure) and every catalog model's fit, context and draft plan, recomputed
// whenever one of them changes.

import type { CatalogEntry, KvShape } from '../../engine/protocol';
import { memoryBudget } from '../../lib/gpu/device-class';
import { compatibleDrafts } from '../../lib/gpu/draft';
import { embeddingBeside } from '../../lib/gpu/embedding-beside';
import {
  explainSizing,
  guessWarning,
  questionBeforeLoad,
  shippedShape,
  sizeCatalog,
  sortByFit,
  type LoadQuestion,
} from '../../lib/gpu/sizing';
import type { MemoryBudget, ModelSizing } from '../../lib/gpu/types';
import { chatModels, downloadEstimate } from '../../lib/model-groups';
import { verifyMemory, type VerifyMemory } from '../../lib/speculative/verify-plan';
import type { EngineState } from './engine.svelte';
import type { ModelsState } from './models.svelte';
import type { SettingsState } from './settings.svelte';

export class SizingState {
  readonly #engine: EngineState;
  readonly #models: ModelsState;
  readonly #settings: SettingsState;
  /** KV shapes read from models' own configs, for models the shipped table lacks. */
  #shapes = $state.raw<ReadonlyMap<string, KvShape>>(new Map());

  /** Only this setting changes the sizing: other settings edits must not re-size the whole catalog. */
  #gpuMemoryGB = $derived.by(() => this.#settings.value.gpuMemoryGB);

  #budget = $derived.by(() => (this.#engine.gpu ? memoryBudget(this.#engine.gpu, this.#gpuMemoryGB) : undefined));

  #sizings = $derived.by((): ReadonlyMap<string, ModelSizing> => {
    const gpu = this.#engine.gpu;
    const budget = this.#budget;
    if (!gpu || !budget) return new Map();
    const shapes = this.#shapes;
    // Remote models run on their servers: this GPU's sizing does not apply to them.
    const local = this.#models.catalog.filter((e) => e.source !== 'remote');
    return sizeCatalog(local, gpu, budget, (e) => shapes.get(e.id) ?? shippedShape(e));
  });

  #sortedCatalog = $derived.by(() => (this.#sizings.size ? sortByFit(this.#models.catalog, this.#sizings) : this.#models.catalog));

  constructor(engine: EngineState, models: ModelsState, settings: SettingsState) {
    this.#engine = engine;
    this.#models = models;
    this.#settings = settings;
  }

  /** The memory budget: the user's figure, else an estimate from the adapter. */
  get budget(): MemoryBudget | undefined {
    return this.#budget;
  }
  /** Every catalog model's fit, context and draft plan on this GPU. */
  get sizings(): ReadonlyMap<string, ModelSizing> {
    return this.#sizings;
  }
  /** The catalog, models that fit first. */
  get sortedCatalog(): CatalogEntry[] {
    return this.#sortedCatalog;
  }

  /** The chat model to suggest first: the best placed in the fit order (first run, first selection). */
  get recommended(): CatalogEntry | undefined {
    return chatModels(this.#sortedCatalog).find((e) => e.source !== 'remote');
  }

  /** About how many bytes downloading `entry` fetches (0: no download; see lib/model-groups.ts). */
  downloadFor(entry: CatalogEntry): number | undefined {
    return downloadEstimate(entry, this.#shapes.get(entry.id) ?? shippedShape(entry));
  }

  of(modelId: string): ModelSizing | undefined {
    return this.#sizings.get(modelId);
  }

  /** The context to load with: the user's override, else the sizing's choice, else the compiled maximum. */
  contextFor(entry: CatalogEntry): number {
    const override = this.#settings.overrides(entry.id).contextWindow;
    if (override !== undefined) return Math.min(override, entry.contextWindow);
    const auto = this.of(entry.id)?.contextWindow;
    return auto ? auto : entry.contextWindow;
  }

  /** The sliding window the model's own config sets, for the load to pass (see lib/gpu/window.ts). */
  windowFor(entry: CatalogEntry): { slidingWindow?: number; attentionSink?: number } {
    const shape = this.#shapes.get(entry.id);
    if (shape?.slidingWindow === undefined) return {};
    return shape.attentionSink === undefined
      ? { slidingWindow: shape.slidingWindow }
      : { slidingWindow: shape.slidingWindow, attentionSink: shape.attentionSink };
  }

  /** What to ask before loading or downloading `entry` (see lib/gpu/sizing.ts). */
  questionBeforeLoad(entry: CatalogEntry, cached: boolean): LoadQuestion | undefined {
    if (entry.source === 'remote') return undefined;
    return questionBeforeLoad(entry, this.of(entry.id), this.#budget, cached);
  }

  /** Plain words when this model's sizing rests on a guessed memory figure (see lib/gpu/sizing.ts). */
  guessWarning(modelId: string): string | undefined {
    return this.#budget ? guessWarning(this.#budget, this.of(modelId)) : undefined;
  }

  /** Models that can draft for `entry` on this GPU, smallest first. */
  compatibleDrafts(entry: CatalogEntry): CatalogEntry[] {
    return compatibleDrafts(entry, this.#models.catalog, (d) => this.of(d.id)?.fit !== 'no');
  }

  /** The draft model to load beside `entry`: the user's choice, else the sizing's. */
  draftModelFor(entry: CatalogEntry): string | undefined {
    const chosen = this.#settings.overrides(entry.id).draftModelId;
    if (chosen === 'none') return undefined;
    if (chosen && this.compatibleDrafts(entry).some((d) => d.id === chosen)) return chosen;
    return this.of(entry.id)?.draftModelId;
  }

  /** What the sizing leaves beside `entry` (and its draft) at `context`, for the verify pass. */
  verifyMemoryFor(entry: CatalogEntry, context: number, draftModelId: string | undefined): VerifyMemory | undefined {
    const gpu = this.#engine.gpu;
    if (!gpu || !this.#budget || entry.source === 'reference' || entry.source === 'remote') return undefined;
    const draft = draftModelId ? this.#models.find(draftModelId) : undefined;
    const shapes = this.#shapes;
    return verifyMemory(entry, draft, context, gpu, this.#budget, (e) => shapes.get(e.id) ?? shippedShape(e));
  }

  /** A stored embedding model that fits beside `entry` (and its draft) on this GPU, so documents get vectors. */
  embeddingModelFor(entry: CatalogEntry, stored: ReadonlySet<string>, draftModelId: string | undefined): string | undefined {
    const own = this.of(entry.id);
    if (!this.#budget || !own || entry.source === 'reference' || entry.source === 'remote') return undefined;
    const draft = draftModelId ? (this.of(draftModelId)?.neededBytes ?? 0) : 0;
    return embeddingBeside(this.#models.catalog, stored, own.neededBytes + draft, this.#budget.comfortableBytes);
  }

  draftTokensFor(modelId: string): number {
    return this.#settings.overrides(modelId).draftTokens ?? this.of(modelId)?.draftTokens ?? 0;
  }

  explain(entry: CatalogEntry | undefined): string[] {
    const gpu = this.#engine.gpu;
    if (!gpu || !this.#budget) return ['No GPU adapter was found, so nothing can be sized.'];
    return explainSizing(gpu, this.#budget, entry, entry ? this.of(entry.id) : undefined);
  }

  /** Learns a model's KV shape from its own config when the shipped table has none. */
  async learnShape(entry: CatalogEntry): Promise<void> {
    // Custom models are read even when their library is a shipped one: their config may set a sliding window.
    if (
      this.#shapes.has(entry.id) ||
      (shippedShape(entry) && entry.source !== 'custom' && entry.source !== 'imported') ||
      entry.source === 'reference' ||
      entry.source === 'remote'
    )
      return;
    const shape = await this.#models.shape(entry.id);
    if (shape) this.#shapes = new Map([...this.#shapes, [entry.id, shape]]);
  }
}
