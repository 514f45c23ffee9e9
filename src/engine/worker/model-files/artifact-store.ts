// The interface every model-file backend implements: where model files live, in exactly the layout
// WebLLM 0.2.86 reads for each backend, so a later WebLLM reload finds every file offline. Worker only.
// A file is visible only once complete and checked: put stores all of it or nothing; putStream commits
// only when its body ends cleanly (the downloader errors the body on a wrong size or MD5). The backends
// import this file; the factory lives in model-store.ts, so nothing here imports a backend. Layout:
// ARCHITECTURE.md, "Storage layout contract with WebLLM".

import type { CacheBackend, Scope } from '../../../lib/download/files';

export interface StoredFile {
  url: string;
  bytes: number;
}

export interface ArtifactStore {
  readonly backend: CacheBackend;
  /** Stored size of a complete file, or undefined when it is absent. */
  size(scope: Scope, url: string): Promise<number | undefined>;
  read(scope: Scope, url: string): Promise<ArrayBuffer | undefined>;
  put(scope: Scope, url: string, data: ArrayBuffer, storeAs: 'json' | 'arraybuffer', contentType?: string): Promise<void>;
  /**
   * Stores a file of `bytes` bytes as its body streams in (WebLLM's arraybuffer form). The file
   * becomes visible only once the body has ended cleanly; if it errors, nothing of it stays.
   */
  putStream?(scope: Scope, url: string, body: ReadableStream<Uint8Array>, bytes: number, contentType?: string): Promise<void>;
  remove(scope: Scope, url: string): Promise<void>;
  list(scope: Scope): Promise<StoredFile[]>;
  /** Gives back the space of a scope that holds no file any more (called after removals). */
  prune(scope: Scope): Promise<void>;
}

/** What readStoredJson gives for a stored file that does not parse as JSON. */
export const INVALID_JSON: unique symbol = Symbol('invalid JSON');

/** A stored JSON file parsed: undefined when it is not stored, INVALID_JSON when it does not parse. */
export async function readStoredJson(store: ArtifactStore, scope: Scope, url: string): Promise<unknown> {
  const data = await store.read(scope, url);
  if (!data) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(data)) as unknown;
  } catch {
    return INVALID_JSON;
  }
}
