// Page state of bundle exports: per model, the run in progress (phase and bytes) or how the last one
// ended, and the reason when it failed. The save target is chosen here (bundle-save.ts); the engine
// worker reads the stored files and writes the bundle.

import { toAirgapError } from '../../engine/errors';
import type { BundleExportProgress } from '../../engine/protocol';
import { chooseBundleSave } from '../bundle-save';
import type { EngineState } from './engine.svelte';

export interface BundleExportView {
  state: 'preparing' | BundleExportProgress['phase'] | 'done' | 'cancelled' | 'failed';
  bytesDone: number;
  bytesTotal: number;
  error?: string;
}

export class BundleExportState {
  readonly #engine: EngineState;
  #runs = $state.raw<ReadonlyMap<string, BundleExportView>>(new Map());

  constructor(engine: EngineState) {
    this.#engine = engine;
  }

  of(modelId: string): BundleExportView | undefined {
    return this.#runs.get(modelId);
  }

  running(modelId: string): boolean {
    const s = this.#runs.get(modelId)?.state;
    return s === 'preparing' || s === 'hashing' || s === 'writing';
  }

  async export(modelId: string): Promise<void> {
    if (this.running(modelId)) return;
    this.#set(modelId, { state: 'preparing', bytesDone: 0, bytesTotal: 0 });
    try {
      const save = await chooseBundleSave(modelId);
      if (!save) return this.#forget(modelId);
      const run = this.#engine.call(
        'exportBundle',
        { modelId, target: save.target },
        (p) => this.#set(modelId, { state: p.phase, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal }),
        save.transfer,
      );
      save.start();
      const result = await run;
      const last = this.#runs.get(modelId);
      this.#set(modelId, {
        state: result.state,
        bytesDone: result.bytes,
        bytesTotal: result.state === 'done' ? result.bytes : (last?.bytesTotal ?? 0),
      });
    } catch (err) {
      this.#set(modelId, { state: 'failed', bytesDone: 0, bytesTotal: 0, error: toAirgapError(err).userMessage });
    }
  }

  async cancel(modelId: string): Promise<void> {
    await this.#engine.call('exportBundleCancel', { modelId }).catch(() => {});
  }

  #set(modelId: string, view: BundleExportView): void {
    this.#runs = new Map([...this.#runs, [modelId, view]]);
  }

  #forget(modelId: string): void {
    const next = new Map(this.#runs);
    next.delete(modelId);
    this.#runs = next;
  }
}
