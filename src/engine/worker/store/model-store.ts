// The engine worker's model store: downloads (one job per model, pausable, cancellable), what is
// stored per model and whether it is offline-ready, and deletion. It reads and writes WebLLM's
// cache layout for the chosen backend. Runs in the engine worker.

import { bodyFiles, headFiles, parseManifest, tokenizerFilesOf, type ModelFile, type RecordFiles, type Scope } from '../../../lib/download/files';
import { UnknownModelError } from '../../errors';
import { kvShapeFromChatConfig } from '../../../lib/gpu/kv-shapes';
import type { KvShape } from '../../../lib/gpu/types';
import type { CachedModel, DownloadProgress, DownloadResult, StorageReport } from '../../protocol';
import { storeFor, type ArtifactStore, type CacheBackend } from './artifact-store';
import { downloadModel } from './downloader';

export interface StoreRecord extends RecordFiles {
  model_id: string;
}

const SCOPES: Scope[] = ['webllm/config', 'webllm/wasm', 'webllm/model', 'airgap-model-libs'];
const CONFIG_TIMEOUT_MS = 10_000;

export class ModelStore {
  readonly backend: CacheBackend;
  readonly #store: ArtifactStore;
  readonly #records: () => readonly StoreRecord[];
  readonly #pageUrl: string;
  readonly #jobs = new Map<string, AbortController>();
  readonly #cancelled = new Set<string>();

  constructor(backend: CacheBackend, records: () => readonly StoreRecord[], pageUrl: string) {
    this.backend = backend;
    this.#store = storeFor(backend);
    this.#records = records;
    this.#pageUrl = pageUrl;
  }

  #record(modelId: string): StoreRecord {
    const r = this.#records().find((x) => x.model_id === modelId);
    if (!r) throw new UnknownModelError(`"${modelId}" is not in the catalog`);
    return r;
  }

  async download(modelId: string, force: boolean, onProgress: (p: DownloadProgress) => void): Promise<DownloadResult> {
    const record = this.#record(modelId);
    this.#jobs.get(modelId)?.abort();
    const controller = new AbortController();
    this.#jobs.set(modelId, controller);
    this.#cancelled.delete(modelId);
    try {
      const result = await downloadModel({ modelId, record, store: this.#store, pageUrl: this.#pageUrl, signal: controller.signal, onProgress, force });
      if (this.#cancelled.has(modelId)) {
        await this.delete(modelId);
        onProgress({ modelId, state: 'cancelled', bytesDone: 0, bytesTotal: 0, bytesFetched: result.bytesFetched, bytesPerSecond: 0, files: [] });
        return { ...result, state: 'cancelled' };
      }
      return result;
    } finally {
      if (this.#jobs.get(modelId) === controller) this.#jobs.delete(modelId);
    }
  }

  /** Pause keeps complete files; cancel also deletes what was downloaded. */
  control(modelId: string, action: 'pause' | 'cancel'): void {
    if (action === 'cancel') this.#cancelled.add(modelId);
    this.#jobs.get(modelId)?.abort();
  }

  /** Every file of a model that is known without the network (body files need the stored manifest). */
  async #files(record: StoreRecord): Promise<{ files: ModelFile[]; complete: boolean }> {
    const head = headFiles(record, this.#pageUrl);
    const [config, manifest] = await Promise.all([this.#store.read(head[0]!.scope, head[0]!.url), this.#store.read(head[1]!.scope, head[1]!.url)]);
    if (!config || !manifest) return { files: head, complete: false };
    try {
      const dec = new TextDecoder();
      const body = bodyFiles(record, parseManifest(JSON.parse(dec.decode(manifest))), tokenizerFilesOf(JSON.parse(dec.decode(config))));
      return { files: [...head, ...body], complete: true };
    } catch {
      return { files: head, complete: false };
    }
  }

  /**
   * The model's KV shape from its mlc-chat-config.json: read from the store, or fetched alone
   * (before any weights) when online and stored where WebLLM will look for it.
   */
  async kvShape(modelId: string): Promise<KvShape | undefined> {
    const record = this.#records().find((x) => x.model_id === modelId);
    if (!record) return undefined;
    const config = headFiles(record, this.#pageUrl)[0]!;
    try {
      let data = await this.#store.read(config.scope, config.url);
      if (!data) {
        if (!navigator.onLine) return undefined;
        const res = await fetch(config.url, { signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS) });
        if (!res.ok) return undefined;
        data = await res.arrayBuffer();
        await this.#store.put(config.scope, config.url, data, config.storeAs, 'application/json');
      }
      return kvShapeFromChatConfig(JSON.parse(new TextDecoder().decode(data)));
    } catch {
      return undefined;
    }
  }

  async report(): Promise<StorageReport> {
    const stored = new Map<string, number>();
    for (const scope of SCOPES) for (const f of await this.#store.list(scope)) stored.set(`${scope} ${f.url}`, f.bytes);
    const models: CachedModel[] = [];
    for (const record of this.#records()) {
      const head = headFiles(record, this.#pageUrl);
      if (!head.some((f) => stored.has(`${f.scope} ${f.url}`))) continue;
      const { files, complete } = await this.#files(record);
      let bytes = 0;
      let present = 0;
      for (const f of files) {
        const b = stored.get(`${f.scope} ${f.url}`);
        if (b === undefined || (f.bytes !== undefined && b !== f.bytes)) continue;
        present++;
        bytes += b;
      }
      models.push({ modelId: record.model_id, bytes, filesPresent: present, filesTotal: files.length, offlineReady: complete && present === files.length });
    }
    const report: StorageReport = { backend: this.backend, models };
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    if (estimate?.usage !== undefined) report.usage = estimate.usage;
    if (estimate?.quota !== undefined) report.quota = estimate.quota;
    return report;
  }

  async delete(modelId: string): Promise<void> {
    const record = this.#record(modelId);
    const { files } = await this.#files(record);
    // A model library can serve several model ids; keep it while another stored model uses it.
    const wasm = files.find((f) => f.kind === 'wasm')!;
    const others = this.#records().filter((r) => r.model_id !== modelId && r.model_lib === record.model_lib);
    let shared = false;
    for (const r of others) {
      const h = headFiles(r, this.#pageUrl);
      if ((await this.#store.size(h[0]!.scope, h[0]!.url)) !== undefined) shared = true;
    }
    for (const f of files) if (f !== wasm || !shared) await this.#store.remove(f.scope, f.url);
    await this.#dropEmptyScopes();
  }

  async clear(): Promise<void> {
    for (const scope of SCOPES) for (const f of await this.#store.list(scope)) await this.#store.remove(scope, f.url);
    await this.#dropEmptyScopes();
  }

  /**
   * Chrome gives back the space of Cache Storage entries only when their whole cache is deleted
   * (and no handle to it is open), so empty caches are deleted, not kept.
   */
  async #dropEmptyScopes(): Promise<void> {
    if (typeof caches === 'undefined') return;
    for (const scope of SCOPES) {
      if (!(await caches.has(scope))) continue;
      const empty = (await (await caches.open(scope)).keys()).length === 0;
      if (empty) await caches.delete(scope);
    }
  }
}
