// The typed call map between the page and the documents worker (src/docs/worker/): documents are
// read, split into passages, indexed (keyword always; vectors when the engine offers an embedder)
// and searched there, never on the page thread, and kept in IndexedDB ("airgap-documents") so an
// index survives reloads and works offline. Types only: both sides import it.

import type { MessageSource } from '../lib/conversation';

/** A set of documents searched together: a conversation's own, or a named collection. */
export type CollectionId = `conv:${string}` | `named:${string}`;

export type DocState = 'reading' | 'indexing' | 'ready' | 'error';

/** One document as the page lists it. */
export interface DocInfo {
  id: string;
  collection: CollectionId;
  name: string;
  /** MIME type or the kind read from the name (text, markdown, html, code, pdf, docx). */
  kind: string;
  bytes: number;
  /** SHA-256 of the file's bytes: re-adding an unchanged file does no work. */
  sha256: string;
  state: DocState;
  passages: number;
  /** Pages read (PDF) and characters of text extracted. */
  pages?: number;
  chars: number;
  /** What could not be read ("pages 3–5 have no text layer (scanned?)"), or why the file failed. */
  problem?: string;
  /** The passages have vectors (an embedder was available when it was indexed). */
  vectors: boolean;
  addedAt: number;
}

/** One retrieved passage, in rank order, as given to the model and listed under the reply (the reply
 *  stores it without its score: lib/conversation.ts MessageSource, the one home of its fields). */
export interface Passage extends MessageSource {
  /** Fused score (reciprocal rank fusion of keyword and vector ranks). */
  score: number;
}

export interface AddProgress {
  docId: string;
  name: string;
  state: DocState;
  /** 0..1 within the state. */
  fraction: number;
}

export interface DocsCalls {
  /** Reads, splits and indexes files; an unchanged file already in the collection is skipped. */
  add: { params: { collection: CollectionId; files: File[] }; result: DocInfo[]; event: AddProgress };
  /** Pause or cancel the add in progress. */
  addControl: { params: { action: 'pause' | 'resume' | 'cancel' }; result: null; event: never };
  list: { params: { collection?: CollectionId }; result: DocInfo[]; event: never };
  /** Keyword (BM25) and, when `queryVector` is given and the documents have vectors, vector search, fused. */
  search: {
    params: { collections: CollectionId[]; query: string; queryVector?: Float32Array; k: number };
    result: Passage[];
    event: never;
  };
  /** Passages that still need vectors (indexed before an embedder was available), for the page to embed. */
  pendingVectors: { params: { collection: CollectionId; limit: number }; result: { passageId: string; text: string }[]; event: never };
  putVectors: { params: { vectors: { passageId: string; vector: Float32Array }[] }; result: null; event: never };
  deleteDoc: { params: { docId: string }; result: null; event: never };
  /** Deletes a collection's files, passages and index. */
  deleteCollection: { params: { collection: CollectionId }; result: null; event: never };
  /** Bytes stored per collection (files, passages, index), for the storage panel. */
  usage: { params: null; result: { collection: CollectionId; docs: number; bytes: number }[]; event: never };
}
