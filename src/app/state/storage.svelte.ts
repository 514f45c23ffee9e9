// Page state of model storage: what is stored (the worker's report and quota), downloads in
// flight, a download waiting for the user's go-ahead, where models are kept and which custom
// sources add to the catalog. Changing where or which restarts the worker with the new settings.
// Each download is noted in the journal while it runs, so one a closed tab cut off starts again.

import { OfflineError, QuotaPreflightError, UnknownModelError, toAirgapError } from '../../engine/errors';
import type { CacheBackend, DownloadProgress, SourceResult, StorageReport } from '../../engine/protocol';
import { siteFileUrl } from '../../lib/site';
import { BundleExportState } from './bundle-export.svelte';
import { goneMessage, type DownloadEnd } from '../../lib/download/pending';
import { downloadInBackground } from './background-download';
import type { DownloadJournal } from './download-journal';
import type { EngineState, WorkerConfig } from './engine.svelte';
import type { ErrorState } from './errors.svelte';
import type { ModelsState } from './models.svelte';
import type { SettingsState } from './settings.svelte';

export class StorageState {
  readonly #engine: EngineState;
  readonly #models: ModelsState;
  readonly #settings: SettingsState;
  readonly #errors: ErrorState;
  /** Sources given with ?models= (used for this visit, not saved). */
  readonly #urlSources: readonly string[];
  /** Stored models written out as bundle files. */
  readonly exports: BundleExportState;
  readonly #journal: DownloadJournal;
  #waitingOnline = false;
  /** Stops the Background Fetch part of a download (reason "cancel" or "pause"). */
  readonly #background = new Map<string, AbortController>();
  #inBackground = $state.raw<ReadonlySet<string>>(new Set());
  #report = $state.raw<StorageReport | undefined>(undefined);
  #downloads = $state.raw<ReadonlyMap<string, DownloadProgress>>(new Map());
  #quotaWarning = $state.raw<{ modelId: string; message: string } | undefined>(undefined);
  #sourceResults = $state.raw<SourceResult[]>([]);
  #cachedIds = $derived(new Set(this.#report?.models.filter((m) => m.offlineReady).map((m) => m.modelId) ?? []));

  constructor(
    engine: EngineState,
    models: ModelsState,
    settings: SettingsState,
    errors: ErrorState,
    urlSources: readonly string[],
    journal: DownloadJournal,
  ) {
    this.#journal = journal;
    this.#engine = engine;
    this.#errors = errors;
    this.#models = models;
    this.#settings = settings;
    this.#urlSources = urlSources;
    this.exports = new BundleExportState(engine);
    engine.onBoot(async (hello) => {
      this.#sourceResults = hello.sources;
      this.#report = await engine.call('storageReport', null).catch(() => undefined);
    });
    engine.onRestart(() => {
      this.#downloads = new Map();
      this.#quotaWarning = undefined;
    });
  }

  get report(): StorageReport | undefined {
    return this.#report;
  }
  get downloads(): ReadonlyMap<string, DownloadProgress> {
    return this.#downloads;
  }
  /** The browser fetches this model's files (Background Fetch): a reload does not interrupt it. */
  inBackground(modelId: string): boolean {
    return this.#inBackground.has(modelId);
  }
  /** A download that needs the user's go-ahead (it may not fit the quota). */
  get quotaWarning(): { modelId: string; message: string } | undefined {
    return this.#quotaWarning;
  }
  /** Models complete in storage, ready offline. */
  get cachedIds(): ReadonlySet<string> {
    return this.#cachedIds;
  }
  /** What each custom source added, or why it added nothing. */
  get sourceResults(): SourceResult[] {
    return this.#sourceResults;
  }
  /** The saved sources and this visit's ?models= sources. */
  get sources(): string[] {
    return [...new Set([...this.#settings.value.modelSources, ...this.#urlSources])];
  }
  /** The sources the site's own server names in its site file (npm run package), as the worker read them. */
  get siteSources(): SourceResult[] {
    return this.#sourceResults.filter((s) => s.site);
  }
  /** What the worker starts with: the chosen storage, every source, and where the site file would be. */
  get workerConfig(): WorkerConfig {
    return {
      cacheBackend: this.#settings.value.cacheBackend,
      modelSources: this.sources,
      siteFile: siteFileUrl(location.href),
    };
  }

  async refresh(): Promise<void> {
    this.#report = await this.#engine.call('storageReport', null).catch((err: unknown) => {
      this.#engine.fail(err);
      return this.#report;
    });
  }

  /** Downloads (or resumes) a model; `force` skips the quota preflight; `note` tells why it started by itself. */
  async download(modelId: string, force = false, note?: string): Promise<void> {
    this.#quotaWarning = undefined;
    this.#errors.dismiss();
    void this.#journal.started({ modelId, backend: this.#settings.value.cacheBackend, force });
    let end: DownloadEnd = 'failed';
    const show = (p: DownloadProgress, background = false) => {
      if (background !== this.#inBackground.has(modelId)) {
        const next = new Set(this.#inBackground);
        if (background) next.add(modelId);
        else next.delete(modelId);
        this.#inBackground = next;
      }
      const said = note && p.note ? `${note}; ${p.note}` : (note ?? p.note);
      this.#downloads = new Map([...this.#downloads, [p.modelId, said ? { ...p, note: said } : p]]);
    };
    const stop = new AbortController();
    this.#background.set(modelId, stop);
    try {
      const handOff = this.#settings.value.backgroundDownloads;
      if (handOff && (await downloadInBackground(this.#engine, modelId, force, note !== undefined, show, stop.signal)) === 'paused') {
        end = stop.signal.reason === 'cancel' ? 'cancelled' : 'paused';
        const last = this.#downloads.get(modelId);
        if (end === 'paused' && last) show({ ...last, state: 'paused', note: undefined });
        else this.#forget(modelId);
        return;
      }
      const r = await this.#engine.call('download', { modelId, force }, (p) => show(p));
      end = r.state;
      if (r.state !== 'paused') this.#forget(modelId);
    } catch (err) {
      const e = toAirgapError(err);
      if (e instanceof QuotaPreflightError) {
        end = 'refused';
        this.#quotaWarning = { modelId, message: e.userMessage };
      } else this.#engine.fail(e);
      if (e instanceof OfflineError) {
        end = 'offline';
        this.#resumeWhenOnline();
      }
      this.#forget(modelId);
    } finally {
      if (this.#background.get(modelId) === stop) this.#background.delete(modelId);
      void this.#journal.ended(modelId, end);
      void this.refresh();
    }
  }

  /** Starts again the downloads a closed tab or a lost connection cut off (once online, with the catalog known). */
  async resumePending(): Promise<void> {
    if (!navigator.onLine) return this.#resumeWhenOnline();
    const ids = new Set(this.#models.catalog.map((m) => m.id));
    const plan = await this.#journal.take(this.#settings.value.cacheBackend, ids);
    for (const e of plan.resume) {
      if (!this.#downloads.has(e.modelId)) void this.download(e.modelId, e.force, 'resumed where it stopped');
    }
    // A download's start clears the banner, so this goes up after them.
    const gone = goneMessage(plan.gone);
    if (gone) this.#errors.report(new UnknownModelError(gone));
  }

  async pause(modelId: string): Promise<void> {
    this.#background.get(modelId)?.abort('pause');
    await this.#engine.call('downloadControl', { modelId, action: 'pause' }).catch((err: unknown) => this.#engine.fail(err));
  }

  async cancel(modelId: string): Promise<void> {
    this.#background.get(modelId)?.abort('cancel');
    await this.#engine.call('downloadControl', { modelId, action: 'cancel' }).catch((err: unknown) => this.#engine.fail(err));
    // A paused download has no run left to report the cancel: its files are gone once the call returns.
    if (this.#quotaWarning?.modelId === modelId) this.#quotaWarning = undefined;
    this.#forget(modelId);
    await this.refresh();
  }

  async deleteModel(modelId: string): Promise<void> {
    await this.#engine.call('deleteModel', { modelId }).catch((err: unknown) => this.#engine.fail(err));
    // Deleting a paused (or running) download cancels it: its progress goes with it.
    this.#forget(modelId);
    await this.#release();
  }

  async clearModels(): Promise<void> {
    await this.#engine.call('clearModels', null).catch((err: unknown) => this.#engine.fail(err));
    await this.#release();
  }

  /** Keeps models elsewhere: saved, then the worker restarts with it (the conversation is untouched). */
  async setBackend(backend: CacheBackend): Promise<void> {
    this.#settings.setCacheBackend(backend);
    await this.#engine.reconfigure(this.workerConfig);
  }

  /** Adds a custom model source and saves it; resolves with what to tell the user when it failed. */
  async addSource(url: string): Promise<string | undefined> {
    try {
      const r = await this.#engine.call('addModelSource', { url });
      this.#sourceResults = [...this.#sourceResults.filter((s) => s.url !== url), r];
      await this.#models.refreshCatalog();
      this.#settings.addModelSource(url);
      return undefined;
    } catch (err) {
      return toAirgapError(err).userMessage;
    }
  }

  async removeSource(url: string): Promise<void> {
    this.#settings.removeModelSource(url);
    await this.#engine.reconfigure(this.workerConfig);
  }

  /** Chrome frees deleted Cache Storage space only once the worker's handles close: restart it when idle. */
  async #release(): Promise<void> {
    const idle = !this.#engine.loaded && this.#engine.status !== 'generating' && this.#engine.status !== 'loading';
    // Either way the catalog is read again (a restart's boot does it): an imported model leaves with its files.
    if (idle && this.#downloads.size === 0) await this.#engine.restart();
    else await Promise.all([this.refresh(), this.#models.refreshCatalog().catch(() => {})]);
  }

  #resumeWhenOnline(): void {
    if (this.#waitingOnline) return;
    this.#waitingOnline = true;
    addEventListener(
      'online',
      () => {
        this.#waitingOnline = false;
        void this.resumePending();
      },
      { once: true },
    );
  }

  #forget(modelId: string): void {
    const next = new Map(this.#downloads);
    next.delete(modelId);
    this.#downloads = next;
    if (this.#inBackground.has(modelId)) this.#inBackground = new Set([...this.#inBackground].filter((id) => id !== modelId));
  }
}
