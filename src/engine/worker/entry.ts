// Engine worker entry (module worker). Thin: routes PageToWorker messages to the typed handlers
// and posts results, events and serialised errors back with the call's id; notices go out alone.

import { serializeError } from '../errors';
import type { PageToWorker, WorkerToPage } from '../protocol';
import { createHandlers, type Handlers } from './handler';
import { WEBLLM_VERSION } from './webllm-version';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: WorkerToPage) => scope.postMessage(msg);
const handlers: Handlers = createHandlers(WEBLLM_VERSION, scope.location.href, (notice) => post({ type: 'notice', notice }));

scope.addEventListener('message', (ev: MessageEvent<PageToWorker>) => {
  const { id, kind, params } = ev.data;
  const handler = handlers[kind] as (p: unknown, emit: (e: unknown) => void) => Promise<unknown>;
  if (typeof handler !== 'function') {
    post({ id, type: 'error', error: { name: 'EngineError', message: `unknown call "${String(kind)}"` } });
    return;
  }
  handler(params, (event) => post({ id, type: 'event', event })).then(
    (result) => post({ id, type: 'result', result }),
    (err: unknown) => post({ id, type: 'error', error: serializeError(err) }),
  );
});
