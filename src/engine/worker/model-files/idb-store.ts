// IndexedDB in WebLLM's layout: one database per scope (version 1), object store "urls" keyed by
// "url", records {url, data}; data is the parsed JSON for tensor-cache.json and an ArrayBuffer for
// everything else. Runs in the engine worker. One connection per database stays open (opening one
// per file cost more than the write); it closes when another context upgrades or deletes the database.

import type { Scope } from '../../../lib/download/files';
import type { ArtifactStore, StoredFile } from './artifact-store';

const STORE = 'urls';

const connections = new Map<Scope, Promise<IDBDatabase>>();

function open(scope: Scope): Promise<IDBDatabase> {
  let db = connections.get(scope);
  if (!db) {
    db = connect(scope).then((c) => {
      c.onversionchange = () => {
        c.close();
        connections.delete(scope);
      };
      return c;
    });
    db.catch(() => connections.delete(scope));
    connections.set(scope, db);
  }
  return db;
}

function connect(scope: Scope): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(scope, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'url' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function request<T>(db: IDBDatabase, mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction([STORE], mode);
    const req = run(tx.objectStore(STORE));
    let result: T;
    req.onsuccess = () => (result = req.result);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error ?? req.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
}

const sizeOf = (data: unknown): number =>
  data instanceof ArrayBuffer ? data.byteLength : new TextEncoder().encode(JSON.stringify(data)).byteLength;

export class IndexedDbStore implements ArtifactStore {
  readonly backend = 'indexeddb' as const;
  /**
   * Sizes of records this store has written or read, by "scope url". A size needs the record's value,
   * and reading a shard's value reads all of it; a URL's bytes never change, so a key check suffices.
   */
  readonly #sizes = new Map<string, number>();

  async #get(scope: Scope, url: string): Promise<{ url: string; data: unknown } | undefined> {
    const db = await open(scope);
    return await request<{ url: string; data: unknown } | undefined>(db, 'readonly', (s) => s.get(url));
  }

  async size(scope: Scope, url: string): Promise<number | undefined> {
    const known = this.#sizes.get(`${scope} ${url}`);
    if (known !== undefined) {
      if ((await request(await open(scope), 'readonly', (s) => s.getKey(url))) !== undefined) return known;
      this.#sizes.delete(`${scope} ${url}`);
      return undefined;
    }
    const rec = await this.#get(scope, url);
    if (rec) this.#sizes.set(`${scope} ${url}`, sizeOf(rec.data));
    return rec ? sizeOf(rec.data) : undefined;
  }

  async read(scope: Scope, url: string): Promise<ArrayBuffer | undefined> {
    const rec = await this.#get(scope, url);
    if (!rec) return undefined;
    return rec.data instanceof ArrayBuffer ? rec.data : (new TextEncoder().encode(JSON.stringify(rec.data)).buffer as ArrayBuffer);
  }

  async put(scope: Scope, url: string, data: ArrayBuffer, storeAs: 'json' | 'arraybuffer'): Promise<void> {
    const value = storeAs === 'json' ? (JSON.parse(new TextDecoder().decode(data)) as unknown) : data;
    const db = await open(scope);
    await request(db, 'readwrite', (s) => s.put({ url, data: value }));
    this.#sizes.set(`${scope} ${url}`, sizeOf(value));
  }

  /** IndexedDB stores a whole ArrayBuffer: the body is gathered into one of the known size, then put. */
  async putStream(scope: Scope, url: string, body: ReadableStream<Uint8Array>, bytes: number): Promise<void> {
    const data = new Uint8Array(bytes);
    const reader = body.getReader();
    let at = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.byteLength > bytes) {
        await reader.cancel();
        throw new Error(`more than the ${bytes} bytes expected`);
      }
      data.set(value, at);
      at += value.byteLength;
    }
    if (at !== bytes) throw new Error(`received ${at} of ${bytes} bytes`);
    await this.put(scope, url, data.buffer, 'arraybuffer');
  }

  async remove(scope: Scope, url: string): Promise<void> {
    const db = await open(scope);
    this.#sizes.delete(`${scope} ${url}`);
    await request(db, 'readwrite', (s) => s.delete(url));
  }

  async list(scope: Scope): Promise<StoredFile[]> {
    const keys = (await request(await open(scope), 'readonly', (s) => s.getAllKeys())) as string[];
    const out: StoredFile[] = [];
    for (const url of keys) {
      const bytes = this.#sizes.get(`${scope} ${url}`) ?? (await this.size(scope, url));
      if (bytes !== undefined) out.push({ url, bytes });
    }
    return out;
  }

  /** An empty object store costs next to nothing, and WebLLM reopens the database by name: it stays. */
  async prune(): Promise<void> {}
}
