// The engine worker's model store: downloads (one job per model, pausable, cancellable in every
// state), which models are held and whether each is offline-ready, and deletion that keeps files
// another held model needs. It reads and writes WebLLM's cache layout for the chosen backend.
// Invariant: cancel and delete return only after every write of the model's run has landed and
// the model's own files are gone. Runs in the engine worker.

import { FileTurns } from '../../../lib/download/file-turns';
import { SCOPES, headFiles, packageFile } from '../../../lib/download/files';
import type { CacheBackend, ModelFile, RecordFiles } from '../../../lib/download/files';
import { distinctBytes, fileKey, filesOnlyFor, listHoldings, type Candidate, type Holding } from '../../../lib/download/holdings';
import { planModel, type ModelPlan } from '../../../lib/download/plan';
import { UnknownModelError } from '../../errors';
import { kvShapeFromChatConfig } from '../../../lib/gpu/kv-shapes';
import type { KvShape } from '../../../lib/gpu/types';
import type { CachedModel, DownloadProgress, DownloadResult, StorageReport } from '../../protocol';
import { INVALID_JSON, readStoredJson, type ArtifactStore } from './artifact-store';
import { downloadModel } from './downloader';
import { cacheHeldIndex, type HeldIndex } from './held-index';
import { storeFor } from './store-for';

export interface StoreRecord extends RecordFiles {
  model_id: string;
}

const CONFIG_TIMEOUT_MS = 10_000;
const settle = (): undefined => undefined;

/** Replaced in tests: an in-memory store and held index, and a short retry back-off. */
type StoreDeps = { store?: ArtifactStore; held?: HeldIndex; retryBaseMs?: number };

interface Job {
  controller: AbortController;
  /** Settles when the run has returned (every write of it landed). */
  settled: Promise<void>;
  /** Set by cancel: settles once the run's files are removed. */
  removal?: Promise<void>;
}

export class ModelStore {
  readonly backend: CacheBackend;
  readonly #store: ArtifactStore;
  readonly #held: HeldIndex;
  readonly #records: () => readonly StoreRecord[];
  readonly #pageUrl: string;
  readonly #jobs = new Map<string, Job>();
  readonly #retryBaseMs: number | undefined;
  /** Every fetch of a model file (downloads, kvShape) takes its turn here: a file is never fetched twice at once. */
  readonly #turns = new FileTurns();

  constructor(backend: CacheBackend, records: () => readonly StoreRecord[], pageUrl: string, deps: StoreDeps = {}) {
    this.backend = backend;
    this.#store = deps.store ?? storeFor(backend);
    this.#held = deps.held ?? cacheHeldIndex(backend, pageUrl);
    this.#records = records;
    this.#pageUrl = pageUrl;
    this.#retryBaseMs = deps.retryBaseMs;
  }

  /** The backend's files, for the bundle and folder importer (which keeps its own rules on top). */
  get files(): ArtifactStore {
    return this.#store;
  }

  #record(modelId: string): StoreRecord {
    const r = this.#records().find((x) => x.model_id === modelId);
    if (!r) throw new UnknownModelError(`"${modelId}" is not in the catalog`);
    return r;
  }

  async download(modelId: string, force: boolean, onProgress: (p: DownloadProgress) => void, prepareOnly = false): Promise<DownloadResult> {
    const record = this.#record(modelId);
    const previous = this.#jobs.get(modelId);
    if (previous) {
      previous.controller.abort();
      await previous.settled;
      await previous.removal;
    }
    await this.register(modelId);
    const controller = new AbortController();
    const run = downloadModel({
      modelId,
      record,
      store: this.#store,
      pageUrl: this.#pageUrl,
      signal: controller.signal,
      onProgress,
      force,
      prepareOnly,
      turns: this.#turns,
      ...(this.#retryBaseMs !== undefined ? { retryBaseMs: this.#retryBaseMs } : {}),
    });
    const job: Job = { controller, settled: run.then(settle, settle) };
    this.#jobs.set(modelId, job);
    const cancelled = async (bytesFetched: number): Promise<DownloadResult> => {
      await job.removal;
      onProgress({ modelId, state: 'cancelled', bytesDone: 0, bytesTotal: 0, bytesFetched, bytesPerSecond: 0, files: [] });
      return { modelId, state: 'cancelled', bytesFetched, filesFetched: 0, filesSkipped: 0 };
    };
    try {
      const result = await run;
      return job.removal ? await cancelled(result.bytesFetched) : result;
    } catch (err) {
      if (job.removal) return cancelled(0);
      throw err;
    } finally {
      if (this.#jobs.get(modelId) === job) this.#jobs.delete(modelId);
    }
  }

  /**
   * Pause keeps complete files. Cancel works whether the model is downloading, paused or stopped
   * by an error: it stops the run, waits for its writes, then removes what only this model needs.
   */
  async control(modelId: string, action: 'pause' | 'cancel'): Promise<void> {
    const job = this.#jobs.get(modelId);
    if (action === 'pause') {
      job?.controller.abort();
      return;
    }
    if (!job) return this.delete(modelId);
    job.removal ??= (async () => {
      job.controller.abort();
      await job.settled;
      await this.#remove(modelId);
    })();
    await job.removal;
  }

  /** Marks a model as held (downloaded, or loaded by WebLLM, which stored its files itself). */
  async register(modelId: string): Promise<void> {
    const held = await this.#held.load();
    if (held.has(modelId)) return;
    held.add(modelId);
    await this.#held.save(held);
  }

  /** Every file of a model that is known without the network (later files need the stored JSON). */
  async #plan(record: StoreRecord): Promise<ModelPlan> {
    return planModel(record, this.#pageUrl, async (f) => {
      const json = await readStoredJson(this.#store, f.scope, f.url);
      return json === INVALID_JSON ? undefined : json;
    });
  }

  /** For a bundle export: the record, its plan, the stored files (by fileKey), and a reader of one file. */
  async exportSource(modelId: string) {
    const record = this.#record(modelId);
    const stored = await this.#stored();
    return { record, plan: await this.#plan(record), stored, read: (f: ModelFile) => this.#store.read(f.scope, f.url) };
  }

  /**
   * The model's KV shape from its mlc-chat-config.json: read from the store, or fetched alone
   * (before any weights) when online and stored where WebLLM will look for it. It takes the file's
   * turn, so a download fetching the same config at the same time fetches it once between them.
   */
  async kvShape(modelId: string): Promise<KvShape | undefined> {
    const record = this.#records().find((x) => x.model_id === modelId);
    if (!record) return undefined;
    try {
      const config = (await this.#plan(record)).files.find((f) => f.kind === 'config')!;
      const data = await this.#turns.take(fileKey(config), async () => {
        const stored = await this.#store.read(config.scope, config.url);
        if (stored || globalThis.navigator?.onLine === false) return stored;
        const res = await fetch(config.url, { signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS) });
        if (!res.ok) return undefined;
        const fetched = await res.arrayBuffer();
        await this.#store.put(config.scope, config.url, fetched, config.storeAs, 'application/json');
        return fetched;
      });
      return data && kvShapeFromChatConfig(JSON.parse(new TextDecoder().decode(data)));
    } catch {
      return undefined;
    }
  }

  async #stored(): Promise<Map<string, number>> {
    const stored = new Map<string, number>();
    for (const scope of SCOPES) for (const f of await this.#store.list(scope)) stored.set(fileKey({ scope, url: f.url }), f.bytes);
    return stored;
  }

  /** `alsoHeld` counts as registered (a model being removed claims its files until it is gone). */
  async #holdings(stored: ReadonlyMap<string, number>, alsoHeld?: string): Promise<Holding[]> {
    const held = await this.#held.load();
    if (alsoHeld !== undefined) held.add(alsoHeld);
    const candidates: Candidate[] = [];
    for (const record of this.#records()) {
      const registered = held.has(record.model_id);
      const first: ModelFile[] = [...headFiles(record, this.#pageUrl), ...[packageFile(record)].filter((f) => f !== undefined)];
      if (!registered && !first.some((f) => stored.has(fileKey(f)))) continue;
      candidates.push({ modelId: record.model_id, plan: await this.#plan(record), registered });
    }
    return listHoldings(candidates, stored);
  }

  async report(): Promise<StorageReport> {
    const stored = await this.#stored();
    const holdings = await this.#holdings(stored);
    const models: CachedModel[] = holdings.map((h) => {
      const { modelId, bytes, filesPresent, offlineReady, sharedWith, sharedBytes } = h;
      const m: CachedModel = { modelId, bytes, filesPresent, filesTotal: h.plan.files.length, offlineReady };
      return sharedWith.length ? { ...m, sharedWith, sharedBytes } : m;
    });
    const report: StorageReport = { backend: this.backend, models, modelBytes: distinctBytes(holdings, stored) };
    const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
    const estimate = await storage?.estimate?.().catch(() => undefined);
    if (estimate?.usage !== undefined) report.usage = estimate.usage;
    if (estimate?.quota !== undefined) report.quota = estimate.quota;
    return report;
  }

  /** Deletes a model: a download in progress is cancelled first. */
  async delete(modelId: string): Promise<void> {
    if (this.#jobs.has(modelId)) return this.control(modelId, 'cancel');
    await this.#remove(modelId);
  }

  /** Removes the files only this model needs and forgets it. */
  async #remove(modelId: string): Promise<void> {
    const record = this.#record(modelId);
    const holdings = await this.#holdings(await this.#stored(), modelId);
    const files = filesOnlyFor(modelId, await this.#plan(record), holdings);
    const held = await this.#held.load();
    held.delete(modelId);
    await this.#held.save(held);
    for (const f of files) await this.#store.remove(f.scope, f.url);
    await this.#prune();
  }

  async clear(): Promise<void> {
    for (const job of this.#jobs.values()) job.controller.abort();
    await Promise.all([...this.#jobs.values()].map((j) => j.settled));
    for (const scope of SCOPES) for (const f of await this.#store.list(scope)) await this.#store.remove(scope, f.url);
    await this.#held.save(new Set());
    await this.#prune();
  }

  /** After removals: a backend may free space only per whole scope (Cache Storage does). */
  async #prune(): Promise<void> {
    for (const scope of SCOPES) await this.#store.prune(scope);
  }
}
