// The worker's side of the call map: one handler per call kind, typed against EngineCalls so a
// missing handler is a compile error. Runs in the engine worker. Invariants: the backend is chosen
// once by `hello`; one generation at a time; errors leave as SerializedError, never as strings.

import { EngineBusyError, EngineError } from '../errors';
import type { CallEvent, CallKind, Params, Result } from '../protocol';
import type { EngineBackend } from './backend';
import { probeGpu } from './gpu-probe';
import { ReferenceBackend } from './reference-backend';

type Handler<K extends CallKind> = (params: Params<K>, emit: (event: CallEvent<K>) => void) => Promise<Result<K>>;
export type Handlers = { [K in CallKind]: Handler<K> };

// The WebLLM bundle is 6 MB: load it only when the WebLLM engine is asked for.
const loadWebLLMBackend = async (): Promise<EngineBackend> => new (await import('./webllm-backend')).WebLLMBackend();

export function createHandlers(webllmVersion: string): Handlers {
  let backend: EngineBackend | undefined;
  let generating = false;
  const need = (): EngineBackend => {
    if (!backend) throw new EngineError('the engine was not initialised (hello was not called)');
    return backend;
  };
  return {
    async hello({ engine, tokensPerSecond, corruptSelfCheck }) {
      if (!backend) backend = engine === 'reference' ? new ReferenceBackend({ tokensPerSecond, corruptSelfCheck }) : await loadWebLLMBackend();
      return { engine: backend.kind, webllmVersion };
    },
    catalog: async () => need().catalog(),
    gpuReport: async () => probeGpu(),
    cached: async ({ modelIds }) => need().cached(modelIds),
    modelShape: async ({ modelId }) => (await need().modelShape(modelId)) ?? null,
    async load({ modelId, options }, emit) {
      if (generating) throw new EngineBusyError('a reply is being generated');
      return need().load(modelId, options, emit);
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
