// The worker's side of the call map: one handler per call kind, typed against EngineCalls so a
// missing handler is a compile error. Runs in the engine worker. Invariants: the backend is chosen
// once by `hello`; one generation at a time; errors leave as SerializedError, never as strings.

import { EngineBusyError, EngineError } from '../errors';
import type { CacheBackend, CallEvent, CallKind, EngineNotice, Params, Result, SourceResult } from '../protocol';
import type { EngineBackend } from './backend';
import { probeGpu } from './gpu-probe';
import { ReferenceBackend } from './reference-backend';
import { ModelStore, type StoreRecord } from './store/model-store';
import { loadSource, type SourceRecord } from './store/sources';

type Handler<K extends CallKind> = (params: Params<K>, emit: (event: CallEvent<K>) => void) => Promise<Result<K>>;
export type Handlers = { [K in CallKind]: Handler<K> };

// The WebLLM bundle is 6 MB: load it only when the WebLLM engine is asked for.
const loadWebLLMBackend = async (
  custom: SourceRecord[],
  cacheBackend: CacheBackend,
  onDeviceLost: (message: string) => void,
): Promise<EngineBackend & { records(): StoreRecord[]; addRecords(r: SourceRecord[]): void }> => {
  const { WebLLMBackend } = await import('./webllm-backend');
  return new WebLLMBackend(custom, cacheBackend, onDeviceLost);
};

export function createHandlers(webllmVersion: string, pageUrl: string, notify: (notice: EngineNotice) => void = () => {}): Handlers {
  const onDeviceLost = (message: string) => notify({ kind: 'deviceLost', message });
  let backend: EngineBackend | undefined;
  let store: ModelStore | undefined;
  let sourceResults: SourceResult[] = [];
  /** Records from custom sources (the reference engine keeps them only for downloads). */
  let customRecords: SourceRecord[] = [];
  let records: () => StoreRecord[] = () => customRecords;
  let addRecords = (r: SourceRecord[]): void => void (customRecords = [...customRecords, ...r]);
  let generating = false;
  const need = (): EngineBackend => {
    if (!backend) throw new EngineError('the engine was not initialised (hello was not called)');
    return backend;
  };
  const needStore = (): ModelStore => {
    if (!store) throw new EngineError('the engine was not initialised (hello was not called)');
    return store;
  };
  return {
    async hello({ engine, tokensPerSecond, corruptSelfCheck, deviceLostForTest, cacheBackend = 'cache', modelSources = [] }) {
      if (!backend) {
        const custom: SourceRecord[] = [];
        sourceResults = [];
        for (const url of modelSources) {
          try {
            const recs = await loadSource(url);
            custom.push(...recs);
            sourceResults.push({ url, modelIds: recs.map((r) => r.model_id) });
          } catch (err) {
            sourceResults.push({ url, modelIds: [], error: err instanceof Error ? err.message : String(err) });
          }
        }
        if (engine === 'reference') {
          backend = new ReferenceBackend({ tokensPerSecond, corruptSelfCheck, deviceLostForTest, onDeviceLost });
          customRecords = custom;
        } else {
          const w = await loadWebLLMBackend(custom, cacheBackend, onDeviceLost);
          backend = w;
          records = () => w.records();
          addRecords = (r) => void w.addRecords(r);
        }
        store = new ModelStore(cacheBackend, () => records(), pageUrl);
      }
      return { engine: backend.kind, webllmVersion, sources: sourceResults };
    },
    async download({ modelId, force }, emit) {
      return needStore().download(modelId, force === true, emit);
    },
    async downloadControl({ modelId, action }) {
      await needStore().control(modelId, action);
      return null;
    },
    async storageReport() {
      const report = await needStore().report();
      if (need().kind === 'webllm' && report.models.length) {
        const verdicts = await need().cached(report.models.map((m) => m.modelId));
        for (const m of report.models) m.webllmCached = verdicts[m.modelId] === true;
      }
      return report;
    },
    async deleteModel({ modelId }) {
      await needStore().delete(modelId);
      return null;
    },
    async clearModels() {
      await needStore().clear();
      return null;
    },
    async addModelSource({ url }) {
      need();
      const recs = await loadSource(url);
      const known = new Set(records().map((r) => r.model_id));
      const fresh = recs.filter((r) => !known.has(r.model_id));
      addRecords(fresh);
      const result = { url, modelIds: fresh.map((r) => r.model_id) };
      sourceResults = [...sourceResults.filter((s) => s.url !== url), result];
      return result;
    },
    catalog: async () => need().catalog(),
    gpuReport: async () => probeGpu(),
    cached: async ({ modelIds }) => need().cached(modelIds),
    // Read through the model store, in the cache backend's layout (reference models have no config).
    modelShape: async ({ modelId }) => (await needStore().kvShape(modelId)) ?? null,
    async load({ modelId, options }, emit) {
      if (generating) throw new EngineBusyError('a reply is being generated');
      const result = await need().load(modelId, options, emit);
      // WebLLM stored the files it fetched: the storage panel lists the models as held.
      if (need().kind === 'webllm') for (const id of [modelId, result.draftModelId]) if (id) await needStore().register(id).catch(() => {});
      return result;
    },
    async chat(request, emit) {
      if (generating) throw new EngineBusyError('a reply is already being generated');
      generating = true;
      try {
        return await need().chat(request, emit);
      } finally {
        generating = false;
      }
    },
    async interrupt() {
      need().interrupt();
      return null;
    },
    async unload() {
      await need().unload();
      return null;
    },
    async crashForTest() {
      if (need().kind !== 'reference') throw new EngineError('crashForTest is only available with the reference engine');
      setTimeout(() => {
        throw new Error('crash requested by a test');
      });
      return null;
    },
  };
}
