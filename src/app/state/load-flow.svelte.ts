// The page's load and download flow: selecting a model, asking first when it will not fit or its
// fit rests on a guessed memory figure (the LoadConfirm dialog), then loading it with the options
// the sizing and settings give. "auto" speculation never downloads a draft model
// (lib/speculative/draft-choice.ts). A model that loaded is remembered (settings) and loaded again
// on the next start when it needs no download, unless the sizing would ask first.

import type { CatalogEntry } from '../../engine/protocol';
import type { LoadQuestion } from '../../lib/gpu/sizing';
import { draftToLoad, needsCacheCheck } from '../../lib/speculative/draft-choice';
import type { ModelsState } from './models.svelte';
import type { SettingsState } from './settings.svelte';
import type { SizingState } from './sizing.svelte';
import type { StorageState } from './storage.svelte';

/** A load or download waiting for the user's answer. */
export type PendingConfirm = LoadQuestion & { entry: CatalogEntry };

export class LoadFlow {
  readonly #models: ModelsState;
  readonly #storage: StorageState;
  readonly #sizing: SizingState;
  readonly #settings: SettingsState;
  #pending = $state.raw<PendingConfirm | undefined>(undefined);
  #go: (() => void) | undefined;

  constructor(models: ModelsState, storage: StorageState, sizing: SizingState, settings: SettingsState) {
    this.#models = models;
    this.#storage = storage;
    this.#sizing = sizing;
    this.#settings = settings;
  }

  /** The question on screen, if any. */
  get pending(): PendingConfirm | undefined {
    return this.#pending;
  }

  select(modelId: string): void {
    this.#models.select(modelId);
    const entry = this.#models.find(modelId);
    if (entry) void this.#sizing.learnShape(entry);
  }

  /** Loads the selected model, asking first when needed. */
  requestLoad(): void {
    const entry = this.#models.selected;
    if (entry) this.#confirmFirst(entry, () => void this.#load(entry));
  }

  /** Downloads the selected model, asking first when needed; `force` skips the quota preflight. */
  requestDownload(force: boolean): void {
    const entry = this.#models.selected;
    if (entry) this.#confirmFirst(entry, () => void this.#storage.download(entry.id, force));
  }

  /**
   * Loads the model loaded last again when it is stored in full (or needs no download, like the
   * reference engine's) and the sizing would not ask first: a reload leaves a model to send to.
   * Resolves true when it loaded.
   */
  async resumeLast(): Promise<boolean> {
    const id = this.#settings.value.lastModelId;
    const entry = id ? this.#models.find(id) : undefined;
    if (!entry || entry.kind === 'embedding' || entry.unavailable) return false;
    // A remote model the user chose last is theirs to resume: it needs no download.
    const stored = entry.source === 'reference' || entry.source === 'remote' || this.#storage.cachedIds.has(entry.id);
    if (!stored || this.#sizing.questionBeforeLoad(entry, true)) return false;
    this.select(entry.id);
    return this.#load(entry);
  }

  /** The user said go ahead. */
  confirm(): void {
    const go = this.#go;
    this.cancel();
    go?.();
  }

  cancel(): void {
    this.#pending = undefined;
    this.#go = undefined;
  }

  /** Runs `go` at once, or first asks when the model will not fit or its fit rests on a guess. */
  #confirmFirst(entry: CatalogEntry, go: () => void): void {
    const question = this.#sizing.questionBeforeLoad(entry, this.#storage.cachedIds.has(entry.id));
    if (!question) return go();
    this.#pending = { entry, ...question };
    this.#go = go;
  }

  async #load(entry: CatalogEntry): Promise<boolean> {
    // A remote model: no GPU sizing, no draft model (its server decides).
    if (entry.source === 'remote') return this.#finishLoad(entry, await this.#models.load(entry.id, {}));
    await this.#sizing.learnShape(entry);
    const mode = this.#settings.value.specMode;
    const suggested = this.#sizing.draftModelFor(entry);
    const cached = needsCacheCheck(mode, suggested) && (await this.#models.cached([suggested]))[suggested] === true;
    const draftModelId = draftToLoad(mode, suggested, cached);
    const contextWindow = this.#sizing.contextFor(entry);
    const verifyMemory = this.#sizing.verifyMemoryFor(entry, contextWindow, draftModelId);
    const embeddingModelId = this.#sizing.embeddingModelFor(entry, this.#storage.cachedIds, draftModelId);
    const options = {
      ...(embeddingModelId ? { embeddingModelId } : {}),
      contextWindow,
      ...this.#sizing.windowFor(entry),
      ...(draftModelId ? { draftModelId } : {}),
      ...(verifyMemory ? { verifyMemory } : {}),
    };
    return this.#finishLoad(entry, await this.#models.load(entry.id, options));
  }

  #finishLoad(entry: CatalogEntry, loaded: boolean): boolean {
    if (!loaded) return false;
    this.#settings.setLastModel(entry.id);
    if (entry.source !== 'remote') void this.#storage.refresh();
    return true;
  }
}
