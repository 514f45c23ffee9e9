// The worker's side of the call map: one handler per call kind, typed against EngineCalls so a
// missing handler is a compile error. Runs in the engine worker. Invariants: the backend is chosen
// once by `hello`; one generation at a time; errors leave as SerializedError, never as strings.

import { messageOf } from '../../lib/message';
import { BundleExportError, EngineBusyError, EngineError } from '../errors';
import type { CacheBackend, CallEvent, CallKind, EngineNotice, Params, Result, SourceResult } from '../protocol';
import type { EngineBackend } from './backend';
import { probeGpu } from './gpu-probe';
import { exportBundle } from './model-files/bundle-export';
import { importedRecords } from './model-files/imported-records';
import { Importer } from './model-files/importer';
import { ModelStore } from './model-files/model-store';
import { loadSiteSources } from './model-files/site-sources';
import { loadSource, type SourceRecord } from './model-files/sources';
import { isRemoteModelId } from '../../lib/remote/ids';
import type { RemoteEngine } from './remote/remote-engine';

type Handler<K extends CallKind> = (params: Params<K>, emit: (event: CallEvent<K>) => void) => Promise<Result<K>>;
export type Handlers = { [K in CallKind]: Handler<K> };

// The WebLLM bundle is 6 MB: load it only when the WebLLM engine is asked for.
const loadWebLLMBackend = async (cacheBackend: CacheBackend, onDeviceLost: (message: string) => void): Promise<EngineBackend> => {
  const { WebLLMBackend } = await import('./webllm-backend');
  return new WebLLMBackend(cacheBackend, onDeviceLost);
};

// Test infrastructure: its own chunk, so the production worker entry does not ship it.
const loadReferenceBackend = async (
  o: ConstructorParameters<typeof import('./reference-backend').ReferenceBackend>[0],
): Promise<EngineBackend> => {
  const { ReferenceBackend } = await import('./reference-backend');
  return new ReferenceBackend(o);
};

/** Each URL's records, and what the page is told about it (an unreachable source is reported, not fatal). */
async function loadSources(urls: readonly string[]): Promise<{ records: SourceRecord[]; results: SourceResult[] }> {
  const records: SourceRecord[] = [];
  const results: SourceResult[] = [];
  for (const url of urls) {
    try {
      const recs = await loadSource(url);
      records.push(...recs);
      results.push({ url, modelIds: recs.map((r) => r.model_id) });
    } catch (err) {
      results.push({ url, modelIds: [], error: messageOf(err) });
    }
  }
  return { records, results };
}

/** Calls whose only answer is that they finished. */
async function done(work: () => unknown): Promise<null> {
  await work();
  return null;
}

export function createHandlers(webllmVersion: string, pageUrl: string, notify: (notice: EngineNotice) => void = () => {}): Handlers {
  const onDeviceLost = (message: string) => notify({ kind: 'deviceLost', message });
  let engine: { backend: EngineBackend; store: ModelStore; importer: Importer } | undefined;
  let sourceResults: SourceResult[] = [];
  let generating = false;
  /** The last model loaded is a remote one (the local backend was unloaded for it). */
  /** The user's remote servers, beside the local backend; a model id says which of the two it is.
   *  Its code (and its SSE parser) is a chunk of its own, fetched once a server is set. */
  let remote: RemoteEngine | undefined;
  const remoteEngine = async () => (remote ??= new (await import('./remote/remote-engine')).RemoteEngine());
  /** Running bundle exports, by model id: cancel aborts one. */
  const exports = new Map<string, AbortController>();
  const need = (): { backend: EngineBackend; store: ModelStore; importer: Importer } => {
    if (!engine) throw new EngineError('the engine was not initialised (hello was not called)');
    return engine;
  };
  return {
    async hello({
      engine: kind,
      tokensPerSecond,
      corruptSelfCheck,
      deviceLostForTest,
      maxTokensForTest,
      importDelayMsForTest,
      cacheBackend = 'cache',
      modelSources = [],
      siteFile,
    }) {
      if (!engine) {
        const siteUrls = siteFile ? await loadSiteSources(siteFile) : [];
        const site = await loadSources(siteUrls);
        const sources = await loadSources(modelSources.filter((u) => !siteUrls.includes(u)));
        sourceResults = [...site.results.map((r) => ({ ...r, site: true as const })), ...sources.results];
        const backend =
          kind === 'reference'
            ? await loadReferenceBackend({ tokensPerSecond, corruptSelfCheck, deviceLostForTest, maxTokensForTest, onDeviceLost })
            : await loadWebLLMBackend(cacheBackend, onDeviceLost);
        // The site serves the app itself: its record of a model (files on its own server) wins.
        backend.addRecords(site.records, 'site');
        backend.addRecords(sources.records);
        // Models imported from a bundle or folder that no catalog has: kept in Cache Storage, offline too.
        backend.addRecords(await importedRecords(pageUrl).load(), 'imported');
        const store = new ModelStore(cacheBackend, () => backend.records(), pageUrl);
        engine = { backend, store, importer: new Importer(store, backend, pageUrl, importDelayMsForTest) };
      }
      return { engine: engine.backend.kind, webllmVersion, sources: sourceResults };
    },
    async download({ modelId, force, prepareOnly }, emit) {
      if (isRemoteModelId(modelId)) throw new EngineError('a remote model runs on its server: there is nothing to download');
      return need().store.download(modelId, force === true, emit, prepareOnly === true);
    },
    async downloadControl({ modelId, action }) {
      await need().store.control(modelId, action);
      return null;
    },
    async storageReport() {
      const { backend, store } = need();
      const report = await store.report();
      if (backend.kind === 'webllm' && report.models.length) {
        const verdicts = await backend.cached(report.models.map((m) => m.modelId));
        for (const m of report.models) m.webllmCached = verdicts[m.modelId] === true;
      }
      return report;
    },
    // An imported model's record came only with its files: deleting them forgets the model too.
    async deleteModel({ modelId }) {
      const { backend, store } = need();
      await store.delete(modelId);
      backend.removeRecords(await importedRecords(pageUrl).remove([modelId]));
      return null;
    },
    async clearModels() {
      const { backend, store } = need();
      await store.clear();
      backend.removeRecords(await importedRecords(pageUrl).remove(backend.records().map((r) => r.model_id)));
      return null;
    },
    async addModelSource({ url }) {
      const { backend } = need();
      const recs = await loadSource(url);
      const known = new Set(backend.records().map((r) => r.model_id));
      const fresh = recs.filter((r) => !known.has(r.model_id));
      backend.addRecords(fresh);
      const result = { url, modelIds: fresh.map((r) => r.model_id) };
      sourceResults = [...sourceResults.filter((s) => s.url !== url), result];
      return result;
    },
    catalog: async () => [...(await need().backend.catalog()), ...(remote?.entries ?? [])],
    async remoteSet({ endpoints }) {
      if (!remote && endpoints.length === 0) return [];
      const engine = await remoteEngine();
      engine.endpoints.set(endpoints);
      return engine.refresh();
    },
    // A remote model's server embeds nothing for us, and loading one freed the local models: keywords only then.
    embed: async ({ texts, query }) => (remote?.loadedId ? null : need().backend.embed(texts, query === true)),
    remoteCheck: async ({ endpoint }) => (await remoteEngine()).check(endpoint),
    gpuReport: async () => probeGpu(),
    // Remote models have nothing on this device.
    cached: async ({ modelIds }) => need().backend.cached(modelIds.filter((id) => !isRemoteModelId(id))),
    // Read through the model store, in the cache backend's layout (reference and remote models have no config).
    modelShape: async ({ modelId }) => (isRemoteModelId(modelId) ? null : ((await need().store.kvShape(modelId)) ?? null)),
    // One model at a time: loading a remote model frees the local one (and the other way round).
    async load({ modelId, options }, emit) {
      if (generating) throw new EngineBusyError('a reply is being generated');
      const { backend, store } = need();
      if (isRemoteModelId(modelId)) {
        await backend.unload();
        return (await remoteEngine()).load(modelId, options, emit);
      }
      await remote?.unload();
      const result = await backend.load(modelId, options, emit);
      // WebLLM stored the files it fetched: the storage panel lists the models as held.
      if (backend.kind === 'webllm')
        for (const id of [modelId, result.draftModelId, result.embeddingModelId]) if (id) await store.register(id).catch(() => {});
      return result;
    },
    async chat(request, emit) {
      if (generating) throw new EngineBusyError('a reply is already being generated');
      generating = true;
      try {
        return await (isRemoteModelId(request.modelId) ? await remoteEngine() : need().backend).chat(request, emit);
      } finally {
        generating = false;
      }
    },
    async countTokens({ modelId, messages }) {
      if (isRemoteModelId(modelId)) throw new EngineError('a remote model counts its tokens on its server');
      return need().backend.countTokens(modelId, messages);
    },
    interrupt: () => done(() => (remote?.interrupt(), need().backend.interrupt())),
    unload: () => done(() => Promise.all([remote?.unload(), need().backend.unload()])),
    async exportBundle({ modelId, target }, emit) {
      const { store } = need();
      if (exports.has(modelId)) throw new BundleExportError(`"${modelId}" is already being exported`);
      const controller = new AbortController();
      exports.set(modelId, controller);
      try {
        const source = () => store.exportSource(modelId);
        const createdBy = `Airgap (WebLLM ${webllmVersion})`;
        return await exportBundle({ modelId, source, target, signal: controller.signal, createdBy, onProgress: emit });
      } finally {
        exports.delete(modelId);
      }
    },
    exportBundleCancel: ({ modelId }) => done(() => exports.get(modelId)?.abort()),
    importBundle: async ({ file, force }, emit) => need().importer.importBundle(file, force === true, emit),
    importFolder: async ({ files, force }, emit) => need().importer.importFolder(files, force === true, emit),
    importControl: ({ action }) => done(() => need().importer.control(action)),
    async crashForTest() {
      if (need().backend.kind !== 'reference') throw new EngineError('crashForTest is only available with the reference engine');
      setTimeout(() => {
        throw new Error('crash requested by a test');
      });
      return null;
    },
  };
}
