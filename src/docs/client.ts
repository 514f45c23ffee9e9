// Page side of the documents worker: the generic worker client over DocsCalls. The page starts the
// worker (src/docs/worker/entry.ts, a module worker) lazily, the first time documents are needed.
// Every call pending when it dies rejects with DocumentsCrashedError; a document error arrives as
// its class (DocumentReadError, ...).

import { DocumentsCrashedError } from '../engine/errors';
import { RpcClient, type WorkerLike } from '../engine/rpc-client';
import type { DocsCalls } from './protocol';

export class DocsClient extends RpcClient<DocsCalls, never, DocumentsCrashedError> {
  constructor(createWorker: () => WorkerLike) {
    super(createWorker, (reason) => new DocumentsCrashedError(reason), 'the documents worker');
  }
}
