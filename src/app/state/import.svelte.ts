// Page state of a model import (an Airgap bundle or a model folder), one at a time: its progress,
// why it was refused, a quota warning waiting for "import anyway", and the picked files kept so a
// paused import resumes with them. On success the catalog and the storage report are read again.

import { QuotaPreflightError, toAirgapError } from '../../engine/errors';
import type { FolderFile, ImportProgress } from '../../engine/protocol';
import type { EngineState } from './engine.svelte';
import type { ModelsState } from './models.svelte';
import type { StorageState } from './storage.svelte';

type Picked = { bundle: File } | { folder: FolderFile[] };

export class ImportState {
  readonly #engine: EngineState;
  readonly #models: ModelsState;
  readonly #storage: StorageState;
  #progress = $state.raw<ImportProgress | undefined>(undefined);
  #error = $state.raw<string | undefined>(undefined);
  #quotaWarning = $state.raw<string | undefined>(undefined);
  #picked: Picked | undefined;

  constructor(engine: EngineState, models: ModelsState, storage: StorageState) {
    this.#engine = engine;
    this.#models = models;
    this.#storage = storage;
    engine.onRestart(() => {
      this.#progress = undefined;
      this.#quotaWarning = undefined;
      this.#picked = undefined;
    });
  }

  get progress(): ImportProgress | undefined {
    return this.#progress;
  }
  /** Why the last import was refused (what to tell the user). */
  get error(): string | undefined {
    return this.#error;
  }
  get quotaWarning(): string | undefined {
    return this.#quotaWarning;
  }
  get running(): boolean {
    return this.#progress?.state === 'checking' || this.#progress?.state === 'importing';
  }

  importBundle(file: File): Promise<void> {
    return this.#start({ bundle: file }, false);
  }

  importFolder(files: readonly File[]): Promise<void> {
    return this.#start({ folder: files.map((file) => ({ path: file.webkitRelativePath || file.name, file })) }, false);
  }

  /** Resumes a paused import, or goes ahead past the quota warning. */
  resume(force = false): Promise<void> {
    return this.#picked ? this.#start(this.#picked, force) : Promise.resolve();
  }

  async pause(): Promise<void> {
    await this.#engine.call('importControl', { action: 'pause' }).catch((err: unknown) => this.#engine.fail(err));
  }

  async cancel(): Promise<void> {
    await this.#engine.call('importControl', { action: 'cancel' }).catch((err: unknown) => this.#engine.fail(err));
    this.#progress = undefined;
    this.#quotaWarning = undefined;
    this.#picked = undefined;
    await this.#storage.refresh();
  }

  async #start(picked: Picked, force: boolean): Promise<void> {
    this.#picked = picked;
    this.#error = undefined;
    this.#quotaWarning = undefined;
    const onEvent = (p: ImportProgress) => (this.#progress = p);
    try {
      const r =
        'bundle' in picked
          ? await this.#engine.call('importBundle', { file: picked.bundle, force }, onEvent)
          : await this.#engine.call('importFolder', { files: picked.folder, force }, onEvent);
      if (r.state !== 'paused') this.#picked = undefined;
      if (r.state === 'cancelled') this.#progress = undefined;
      if (r.addedToCatalog) await this.#models.refreshCatalog();
    } catch (err) {
      const e = toAirgapError(err);
      // The preflight's figures, in the import's own words (its userMessage speaks of a download).
      if (e instanceof QuotaPreflightError)
        this.#quotaWarning = `This import will probably not fit: ${e.message}. Free space first, or import anyway.`;
      else {
        this.#error = e.userMessage;
        this.#picked = undefined;
      }
      this.#progress = undefined;
    } finally {
      await this.#storage.refresh();
    }
  }
}
