// MD5 of a streamed file, computed off the download's thread: each chunk is copied to the MD5 worker
// (md5-worker.ts), so the transfer and the store's writes run on while it hashes. Where no worker can
// be started (unit tests in node) or the worker has failed, it hashes in place. Engine worker only.

import { Md5 } from '../../../lib/download/md5';

export interface StreamMd5 {
  update(chunk: Uint8Array): void;
  /** The digest, once every chunk given so far is hashed. Ends the hash. */
  hex(): Promise<string>;
  /** Forgets a hash that will not be finished (the transfer stopped). */
  drop(): void;
}

const BATCH_BYTES = 1024 * 1024;

let worker: Worker | undefined;
let broken = typeof Worker === 'undefined';
let nextId = 0;
const waiting = new Map<number, { resolve: (hex: string) => void; reject: (err: unknown) => void }>();

function hashWorker(): Worker | undefined {
  if (broken) return undefined;
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./md5-worker.ts', import.meta.url), { type: 'module', name: 'airgap-md5' });
  } catch {
    broken = true;
    return undefined;
  }
  worker.onmessage = (e: MessageEvent<{ id: number; hex: string }>) => {
    waiting.get(e.data.id)?.resolve(e.data.hex);
    waiting.delete(e.data.id);
  };
  // A failed worker fails the hashes it held (their files are retried), and later ones hash in place.
  worker.onerror = () => {
    broken = true;
    worker = undefined;
    for (const w of waiting.values()) w.reject(new Error('the MD5 worker stopped'));
    waiting.clear();
  };
  return worker;
}

export function streamMd5(): StreamMd5 {
  const w = hashWorker();
  if (!w) {
    const hash = new Md5();
    return { update: (c) => void hash.update(c), hex: async () => hash.hex(), drop: () => {} };
  }
  const id = nextId++;
  // Chunks are copied into batches of BATCH_BYTES: one message per batch instead of one per network chunk.
  let batch = new Uint8Array(BATCH_BYTES);
  let filled = 0;
  const send = () => {
    if (!filled) return;
    const done = filled === batch.byteLength ? batch : batch.slice(0, filled);
    w.postMessage({ id, chunk: done.buffer }, [done.buffer]);
    batch = new Uint8Array(BATCH_BYTES);
    filled = 0;
  };
  return {
    update(chunk) {
      for (let at = 0; at < chunk.byteLength;) {
        const take = Math.min(chunk.byteLength - at, BATCH_BYTES - filled);
        batch.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === BATCH_BYTES) send();
      }
    },
    hex: () =>
      new Promise<string>((resolve, reject) => {
        if (broken) return reject(new Error('the MD5 worker stopped'));
        send();
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, end: true });
      }),
    drop: () => w.postMessage({ id, drop: true }),
  };
}
