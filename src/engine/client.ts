// Page side of the engine boundary: typed calls to the worker, streamed events, and the crash path.
// Runs on the main thread. Invariants: every call settles exactly once; when the worker dies
// (error / messageerror, or it is terminated) every pending call is rejected with
// EngineCrashedError and `crashed` listeners fire; `restart()` starts a fresh worker. Notices
// (the worker speaking outside any call, e.g. a lost GPU device) go to `notice` listeners.

import { EngineCrashedError, rehydrateError } from './errors';
import type { CallEvent, CallKind, EngineNotice, PageToWorker, Params, Result, WorkerToPage } from './protocol';

/** The part of `Worker` the client uses, so tests can drive it with a fake. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (ev: Event) => void): void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  onEvent?: (event: unknown) => void;
}

export class EngineClient {
  readonly #createWorker: () => WorkerLike;
  #worker: WorkerLike;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #crashListeners = new Set<(err: EngineCrashedError) => void>();
  #noticeListeners = new Set<(notice: EngineNotice) => void>();
  #dead = false;

  constructor(createWorker: () => WorkerLike) {
    this.#createWorker = createWorker;
    this.#worker = this.#start();
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** `transfer`: objects in params that move to the worker rather than being copied (a stream). */
  call<K extends CallKind>(
    kind: K,
    params: Params<K>,
    onEvent?: (event: CallEvent<K>) => void,
    transfer?: Transferable[],
  ): Promise<Result<K>> {
    if (this.#dead) return Promise.reject(new EngineCrashedError('the engine worker is not running'));
    const id = this.#nextId++;
    return new Promise<Result<K>>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onEvent: onEvent as ((e: unknown) => void) | undefined,
      });
      const message = { id, kind, params } as PageToWorker;
      try {
        if (transfer?.length) this.#worker.postMessage(message, transfer);
        else this.#worker.postMessage(message);
      } catch (err) {
        this.#pending.delete(id);
        reject(err);
      }
    });
  }

  onCrash(listener: (err: EngineCrashedError) => void): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  onNotice(listener: (notice: EngineNotice) => void): () => void {
    this.#noticeListeners.add(listener);
    return () => this.#noticeListeners.delete(listener);
  }

  /** Replaces a dead (or live) worker with a new one. */
  restart(): void {
    this.#fail(new EngineCrashedError('the engine was restarted'), false);
    this.#worker.terminate();
    this.#dead = false;
    this.#worker = this.#start();
  }

  /** Terminates the worker; pending calls reject as if it had crashed. */
  terminate(): void {
    this.#worker.terminate();
    this.#fail(new EngineCrashedError('the engine worker was terminated'), true);
  }

  #start(): WorkerLike {
    const worker = this.#createWorker();
    worker.addEventListener('message', (ev) => {
      if (worker === this.#worker) this.#onMessage((ev as MessageEvent<WorkerToPage>).data);
    });
    const die = (reason: string) => (ev: Event) => {
      if (worker !== this.#worker) return;
      ev.preventDefault?.();
      const message = (ev as Partial<ErrorEvent>).message;
      const detail = typeof message === 'string' && message ? `: ${message}` : '';
      this.#fail(new EngineCrashedError(`${reason}${detail}`), true);
    };
    worker.addEventListener('error', die('the engine worker failed'));
    worker.addEventListener('messageerror', die('a message from the engine worker could not be read'));
    return worker;
  }

  #onMessage(msg: WorkerToPage): void {
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

  #fail(err: EngineCrashedError, notify: boolean): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(err);
    if (notify && !this.#dead) {
      this.#dead = true;
      for (const l of this.#crashListeners) l(err);
    }
  }
}
