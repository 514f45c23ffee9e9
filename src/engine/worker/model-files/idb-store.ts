// IndexedDB in WebLLM's layout: one database per scope (version 1), object store "urls" keyed by
// "url", records {url, data}; data is the parsed JSON for tensor-cache.json and an ArrayBuffer for
// everything else. Runs in the engine worker.

import type { Scope } from '../../../lib/download/files';
import type { ArtifactStore, StoredFile } from './artifact-store';

const STORE = 'urls';

function open(scope: Scope): Promise<IDBDatabase> {
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

  async #get(scope: Scope, url: string): Promise<{ url: string; data: unknown } | undefined> {
    const db = await open(scope);
    try {
      return await request<{ url: string; data: unknown } | undefined>(db, 'readonly', (s) => s.get(url));
    } finally {
      db.close();
    }
  }

  async size(scope: Scope, url: string): Promise<number | undefined> {
    const rec = await this.#get(scope, url);
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
    try {
      await request(db, 'readwrite', (s) => s.put({ url, data: value }));
    } finally {
      db.close();
    }
  }

  async remove(scope: Scope, url: string): Promise<void> {
    const db = await open(scope);
    try {
      await request(db, 'readwrite', (s) => s.delete(url));
    } finally {
      db.close();
    }
  }

  async list(scope: Scope): Promise<StoredFile[]> {
    const db = await open(scope);
    try {
      const out: StoredFile[] = [];
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction([STORE], 'readonly');
        const cursor = tx.objectStore(STORE).openCursor();
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (!c) return;
          const rec = c.value as { url: string; data: unknown };
          out.push({ url: rec.url, bytes: sizeOf(rec.data) });
          c.continue();
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      return out;
    } finally {
      db.close();
    }
  }

  /** An empty object store costs next to nothing, and WebLLM reopens the database by name: it stays. */
  async prune(): Promise<void> {}
}
