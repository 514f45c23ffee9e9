// The documents' storage: IndexedDB "airgap-documents", one object store, keys by prefix. A
// manifest lists every document (DocInfo plus what it stores); beside it per document the file's
// bytes (kept so it can be indexed again), its passages and its vectors, and per collection the
// serialised keyword index. Invariant: nothing is stored for a document the manifest does not
// list (`sweep` removes what a crash left half-written); deleting leaves no key behind.

import { createStore, del, delMany, get, getMany, keys, set, setMany, update, type UseStore } from 'idb-keyval';
import type { CollectionId, DocInfo } from '../protocol';

export const DB_NAME = 'airgap-documents';

export interface StoredPassage {
  text: string;
  heading?: string;
  page?: number;
}

/** Vectors of one document's passages, by passage index; null until the page has embedded it. */
export interface StoredVectors {
  dims: number;
  rows: (Float32Array | null)[];
}

/** A document as stored: what the page sees, plus the sizes the storage panel counts. */
export interface DocRecord extends DocInfo {
  passageBytes: number;
  vectorBytes: number;
}

interface Manifest {
  docs: DocRecord[];
  indexBytes: Partial<Record<CollectionId, number>>;
  /** New at every write, by any tab's worker: a worker whose last seen write differs reloads its caches. */
  writeId?: string;
}

const MANIFEST = 'manifest';
const fileKey = (id: string) => `file:${id}`;
const passagesKey = (id: string) => `passages:${id}`;
const vectorsKey = (id: string) => `vectors:${id}`;
const indexKey = (c: CollectionId) => `index:${c}`;

export const passageId = (docId: string, index: number) => `${docId}#${index}`;
export function parsePassageId(id: string): { docId: string; index: number } {
  const at = id.lastIndexOf('#');
  return { docId: id.slice(0, at), index: Number(id.slice(at + 1)) };
}

export function toDocInfo(r: DocRecord): DocInfo {
  const { passageBytes: _p, vectorBytes: _v, ...info } = r;
  return info;
}

export class DocStore {
  readonly #db: UseStore;

  constructor(db: UseStore = createStore(DB_NAME, 'documents')) {
    this.#db = db;
  }

  async #manifest(): Promise<Manifest> {
    return (await get<Manifest>(MANIFEST, this.#db)) ?? { docs: [], indexBytes: {} };
  }

  /** The last write this worker knows of (its own, or one it has reloaded after). */
  #seenWrite: string | undefined;

  /** Every manifest change: one transaction, and a new write id this worker has seen (it made it). */
  async #change(edit: (m: Manifest) => Manifest): Promise<void> {
    const writeId = crypto.randomUUID();
    await update<Manifest>(MANIFEST, (m = { docs: [], indexBytes: {} }) => ({ ...edit(m), writeId }), this.#db);
    this.#seenWrite = writeId;
  }

  /** Whether another worker (another tab) wrote since this one last looked: its caches are then out of date. */
  async changedElsewhere(): Promise<boolean> {
    const { writeId } = await this.#manifest();
    if (writeId === this.#seenWrite) return false;
    this.#seenWrite = writeId;
    return true;
  }

  async docs(collection?: CollectionId): Promise<DocRecord[]> {
    const { docs } = await this.#manifest();
    return collection ? docs.filter((d) => d.collection === collection) : docs;
  }

  async indexBytes(): Promise<Manifest['indexBytes']> {
    return (await this.#manifest()).indexBytes;
  }

  /** Stores a read document: its bytes and passages first, the manifest entry last. */
  async putDoc(record: DocRecord, bytes: ArrayBuffer, passages: StoredPassage[]): Promise<void> {
    await setMany(
      [
        [fileKey(record.id), bytes],
        [passagesKey(record.id), passages],
      ],
      this.#db,
    );
    await this.#change((m) => ({ ...m, docs: [...m.docs.filter((d) => d.id !== record.id), record] }));
  }

  async patchDoc(id: string, patch: Partial<DocRecord>): Promise<void> {
    await this.#change((m) => ({ ...m, docs: m.docs.map((d) => (d.id === id ? { ...d, ...patch } : d)) }));
  }

  async removeDocs(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const gone = new Set(ids);
    await this.#change((m) => ({ ...m, docs: m.docs.filter((d) => !gone.has(d.id)) }));
    await delMany(
      ids.flatMap((id) => [fileKey(id), passagesKey(id), vectorsKey(id)]),
      this.#db,
    );
    await this.#dropEmptyManifest();
  }

  /** An empty manifest is not kept: deleting everything leaves the database empty. */
  async #dropEmptyManifest(): Promise<void> {
    const m = await get<Manifest>(MANIFEST, this.#db);
    if (m && !m.docs.length && !Object.keys(m.indexBytes).length) {
      await del(MANIFEST, this.#db);
      this.#seenWrite = undefined;
    }
  }

  async passages(docId: string): Promise<StoredPassage[]> {
    return (await get<StoredPassage[]>(passagesKey(docId), this.#db)) ?? [];
  }

  async file(docId: string): Promise<ArrayBuffer | undefined> {
    return get<ArrayBuffer>(fileKey(docId), this.#db);
  }

  async vectors(docIds: string[]): Promise<(StoredVectors | undefined)[]> {
    return getMany<StoredVectors>(docIds.map(vectorsKey), this.#db);
  }

  async putVectors(docId: string, vectors: StoredVectors): Promise<void> {
    await set(vectorsKey(docId), vectors, this.#db);
  }

  async index(collection: CollectionId): Promise<string | undefined> {
    return get<string>(indexKey(collection), this.#db);
  }

  /** Saves a collection's serialised index, or removes it (undefined: the collection is empty). */
  async putIndex(collection: CollectionId, json: string | undefined): Promise<void> {
    if (json === undefined) await del(indexKey(collection), this.#db);
    else await set(indexKey(collection), json, this.#db);
    await this.#change((m) => {
      const indexBytes = { ...m.indexBytes };
      if (json === undefined) delete indexBytes[collection];
      else indexBytes[collection] = json.length;
      return { ...m, indexBytes };
    });
    await this.#dropEmptyManifest();
  }

  /** Every key held (tests count them; `sweep` compares them with the manifest). */
  async keys(): Promise<string[]> {
    return keys<string>(this.#db);
  }

  /** Removes what no manifest entry accounts for (a worker stopped between writes); the manifest goes when empty. */
  async sweep(): Promise<void> {
    const m = await this.#manifest();
    const live = new Set(m.docs.flatMap((d) => [fileKey(d.id), passagesKey(d.id), vectorsKey(d.id)]));
    const collections = new Set(m.docs.map((d) => d.collection));
    for (const c of collections) live.add(indexKey(c));
    const stale = (await this.keys()).filter((k) => k !== MANIFEST && !live.has(k));
    await delMany(stale, this.#db);
    const indexBytes = Object.fromEntries(Object.entries(m.indexBytes).filter(([c]) => collections.has(c as CollectionId)));
    if (Object.keys(indexBytes).length !== Object.keys(m.indexBytes).length) await this.#change((now) => ({ ...now, indexBytes }));
    await this.#dropEmptyManifest();
  }
}
