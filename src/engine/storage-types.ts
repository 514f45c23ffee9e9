// Download and storage shapes the worker reports to the page (progress, results, the storage panel's
// report). Types only; the protocol (protocol.ts) re-exports them.

import type { CacheBackend, FileKind } from '../lib/download/files';

export type DownloadFileState = 'queued' | 'downloading' | 'retrying' | 'done' | 'skipped' | 'failed';

export interface DownloadFileProgress {
  url: string;
  kind: FileKind;
  bytesDone: number;
  bytesTotal?: number;
  state: DownloadFileState;
  attempts: number;
}

export interface DownloadProgress {
  modelId: string;
  state: 'preparing' | 'downloading' | 'done' | 'paused' | 'cancelled' | 'failed';
  /** Bytes of the model present (stored or fetched so far), and the model's total where known. */
  bytesDone: number;
  bytesTotal: number;
  /** Bytes fetched over the network by this run (re-fetched partial files included). */
  bytesFetched: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  files: DownloadFileProgress[];
  /** Set when a file is being retried after a failure. */
  note?: string;
}

export interface DownloadResult {
  modelId: string;
  state: 'done' | 'paused' | 'cancelled';
  bytesFetched: number;
  filesFetched: number;
  filesSkipped: number;
}

export interface CachedModel {
  modelId: string;
  bytes: number;
  /** Weights, model library, config and tokenizer are all stored. */
  offlineReady: boolean;
  filesPresent: number;
  filesTotal: number;
  /** WebLLM's own hasModelInCache verdict (WebLLM engine only). */
  webllmCached?: boolean;
  /** Other held models that need some of the same stored files (one weights URL, one model library). */
  sharedWith?: string[];
  /** Bytes of those shared files (counted in `bytes` of each model that needs them). */
  sharedBytes?: number;
}

export interface StorageReport {
  backend: CacheBackend;
  models: CachedModel[];
  /** Stored bytes of all listed models, each shared file once. */
  modelBytes?: number;
  usage?: number;
  quota?: number;
}
