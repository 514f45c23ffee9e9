// Page side of the engine boundary: the generic worker client (rpc-client.ts) over EngineCalls,
// with notices (the worker speaking outside any call, e.g. a lost GPU device) and
// EngineCrashedError for every call pending when the worker dies.

import { EngineCrashedError } from './errors';
import type { EngineCalls, EngineNotice } from './protocol';
import { RpcClient, type WorkerLike } from './rpc-client';

export type { WorkerLike };

export class EngineClient extends RpcClient<EngineCalls, EngineNotice, EngineCrashedError> {
  constructor(createWorker: () => WorkerLike) {
    super(createWorker, (reason) => new EngineCrashedError(reason), 'the engine worker');
  }
}
