// Page side of a worker boundary, generic over a call map (the engine's EngineCalls, the documents
// worker's DocsCalls): typed calls, streamed events, notices and the crash path. Runs on the main
// thread. Invariants: every call settles exactly once; when the worker dies (error / messageerror,
// or it is terminated) every pending call is rejected with the client's crash error and `crashed`
// listeners fire; `restart()` starts a fresh worker. Errors arrive as data and are rebuilt by class.

import { rehydrateError, type AirgapError } from './errors';
import type { SerializedError } from './protocol';

/** The part of `Worker` the client uses, so tests can drive it with a fake. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (ev: Event) => void): void;
}

/** A call map: per call kind, its params, its result and the events it streams. */
export type CallMap<C> = { [K in keyof C]: { params: unknown; result: unknown; event: unknown } };

/** What any worker speaking this protocol posts back. */
export type RpcReply<N> =
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: SerializedError }
  | { id: number; type: 'event'; event: unknown }
  | { type: 'notice'; notice: N };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  onEvent?: (event: unknown) => void;
}

/** `crashError` builds the error pending calls reject with when the worker is gone. */
export class RpcClient<C extends CallMap<C>, N = never, E extends AirgapError = AirgapError> {
  readonly #createWorker: () => WorkerLike;
  readonly #crashError: (reason: string) => E;
  readonly #what: string;
  #worker: WorkerLike;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #crashListeners = new Set<(err: E) => void>();
  #noticeListeners = new Set<(notice: N) => void>();
  #dead = false;

  /** `what` names the worker in crash messages ("the engine worker"). */
  constructor(createWorker: () => WorkerLike, crashError: (reason: string) => E, what: string) {
    this.#createWorker = createWorker;
    this.#crashError = crashError;
    this.#what = what;
    this.#worker = this.#start();
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** `transfer`: objects in params that move to the worker rather than being copied (a stream). */
  call<K extends keyof C & string>(
    kind: K,
    params: C[K]['params'],
    onEvent?: (event: C[K]['event']) => void,
    transfer?: Transferable[],
  ): Promise<C[K]['result']> {
    if (this.#dead) return Promise.reject(this.#crashError(`${this.#what} is not running`));
    const id = this.#nextId++;
    return new Promise<C[K]['result']>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onEvent: onEvent as ((e: unknown) => void) | undefined });
      const message = { id, kind, params };
      try {
        if (transfer?.length) this.#worker.postMessage(message, transfer);
        else this.#worker.postMessage(message);
      } catch (err) {
        this.#pending.delete(id);
        reject(err);
      }
    });
  }

  onCrash(listener: (err: E) => void): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  onNotice(listener: (notice: N) => void): () => void {
    this.#noticeListeners.add(listener);
    return () => this.#noticeListeners.delete(listener);
  }

  /** Replaces a dead (or live) worker with a new one. */
  restart(): void {
    this.#fail(this.#crashError(`${this.#what} was restarted`), false);
    this.#worker.terminate();
    this.#dead = false;
    this.#worker = this.#start();
  }

  /** Terminates the worker; pending calls reject as if it had crashed. */
  terminate(): void {
    this.#worker.terminate();
    this.#fail(this.#crashError(`${this.#what} was terminated`), true);
  }

  #start(): WorkerLike {
    const worker = this.#createWorker();
    worker.addEventListener('message', (ev) => {
      if (worker === this.#worker) this.#onMessage((ev as MessageEvent<RpcReply<N>>).data);
    });
    const die = (reason: string) => (ev: Event) => {
      if (worker !== this.#worker) return;
      ev.preventDefault?.();
      const message = (ev as Partial<ErrorEvent>).message;
      const detail = typeof message === 'string' && message ? `: ${message}` : '';
      this.#fail(this.#crashError(`${reason}${detail}`), true);
    };
    worker.addEventListener('error', die(`${this.#what} failed`));
    worker.addEventListener('messageerror', die(`a message from ${this.#what} could not be read`));
    return worker;
  }

  #onMessage(msg: RpcReply<N>): void {
    if (msg.type === 'notice') {
      for (const l of this.#noticeListeners) l(msg.notice);
      return;
    }
    const pending = this.#pending.get(msg.id);
    if (!pending) return;
    if (msg.type === 'event') {
      pending.onEvent?.(msg.event);
      return;
    }
    this.#pending.delete(msg.id);
    if (msg.type === 'result') pending.resolve(msg.result);
    else pending.reject(rehydrateError(msg.error));
  }

  #fail(err: E, notify: boolean): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(err);
    if (notify && !this.#dead) {
      this.#dead = true;
      for (const l of this.#crashListeners) l(err);
    }
  }
}
