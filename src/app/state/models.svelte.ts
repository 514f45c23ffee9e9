// Page state of the models: the catalog the worker offers, the one the user selected and the
// progress of a load. Which options a load gets (context, window, draft model) is decided by the
// load flow (load-flow.svelte.ts); the model the worker holds is the engine's (engine.svelte.ts).

import type { CatalogEntry, KvShape, LoadOptions, LoadProgress } from '../../engine/protocol';
import type { EngineState } from './engine.svelte';

export class ModelsState {
  readonly #engine: EngineState;
  #catalog = $state.raw<CatalogEntry[]>([]);
  #selectedId = $state('');
  #progress = $state.raw<LoadProgress | undefined>(undefined);
  #selected = $derived(this.#catalog.find((m) => m.id === this.#selectedId));

  constructor(engine: EngineState) {
    this.#engine = engine;
    engine.onBoot(() => this.refreshCatalog());
  }

  get catalog(): CatalogEntry[] {
    return this.#catalog;
  }
  get selectedId(): string {
    return this.#selectedId;
  }
  get selected(): CatalogEntry | undefined {
    return this.#selected;
  }
  /** Progress of the load under way. */
  get progress(): LoadProgress | undefined {
    return this.#progress;
  }

  find(modelId: string): CatalogEntry | undefined {
    return this.#catalog.find((m) => m.id === modelId);
  }

  select(modelId: string): void {
    this.#selectedId = modelId;
  }

  /** Reads the catalog again (sources change it); keeps the selection when it is still offered. */
  async refreshCatalog(): Promise<void> {
    const catalog = await this.#engine.call('catalog', null);
    this.#catalog = catalog;
    if (!catalog.some((m) => m.id === this.#selectedId)) this.#selectedId = catalog[0]?.id ?? '';
  }

  /** Loads a model with the options given, showing its progress; false when it did not load. */
  async load(modelId: string, options: LoadOptions): Promise<boolean> {
    let started = false;
    try {
      return await this.#engine.load(modelId, options, (p) => ((started = true), (this.#progress = p)));
    } finally {
      // A refused load (the engine was busy) must not clear the progress of the one under way.
      if (started) this.#progress = undefined;
    }
  }

  /** Which of `modelIds` are complete in storage (none when the worker cannot tell). */
  async cached(modelIds: string[]): Promise<Record<string, boolean>> {
    return this.#engine.call('cached', { modelIds }).catch(() => ({}));
  }

  /** The KV shape read from the model's own config, when the worker can read it. */
  async shape(modelId: string): Promise<KvShape | undefined> {
    return (await this.#engine.call('modelShape', { modelId }).catch(() => null)) ?? undefined;
  }
}
