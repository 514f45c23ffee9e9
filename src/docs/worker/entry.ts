// Documents worker entry (module worker, started lazily by the page): routes calls to the typed
// handlers and posts results, events and serialised errors back with the call's id.

import { AirgapError, DocumentsError, serializeError } from '../../engine/errors';
import { createDocsHandlers } from './handler';

interface Call {
  id: number;
  kind: string;
  params: unknown;
}

const scope = self as unknown as {
  postMessage(msg: unknown): void;
  addEventListener(type: 'message', l: (ev: MessageEvent<Call>) => void): void;
};
const handlers = createDocsHandlers() as unknown as Record<
  string,
  ((p: unknown, emit: (e: unknown) => void) => Promise<unknown>) | undefined
>;

/** Errors of our own cross as they are; anything else (storage, a bug) as a DocumentsError. */
const asDocumentsError = (err: unknown) =>
  err instanceof AirgapError ? err : new DocumentsError(err instanceof Error ? err.message : String(err), { cause: err });

scope.addEventListener('message', (ev) => {
  const { id, kind, params } = ev.data;
  const handler = Object.hasOwn(handlers, kind) ? handlers[kind] : undefined;
  if (typeof handler !== 'function') {
    scope.postMessage({ id, type: 'error', error: { name: 'DocumentsError', message: `unknown call "${kind}"` } });
    return;
  }
  handler(params, (event) => scope.postMessage({ id, type: 'event', event })).then(
    (result) => scope.postMessage({ id, type: 'result', result }),
    (err: unknown) => scope.postMessage({ id, type: 'error', error: serializeError(asDocumentsError(err)) }),
  );
});
