// What a bundle export is given and reports: the protocol carries these shapes as they are
// (engine/protocol.ts re-exports them). Types only.

/** Where an exported bundle goes: a file the person picked (the worker writes it), or a stream the service worker serves as a download. */
export type BundleTarget = { kind: 'file'; handle: FileSystemFileHandle } | { kind: 'stream'; stream: WritableStream<Uint8Array> };

export interface BundleExportProgress {
  modelId: string;
  /** Pass 1 reads each stored file and takes its SHA-256; pass 2 writes the index and the files. */
  phase: 'hashing' | 'writing';
  /** Model bytes hashed (or archive bytes written) so far, of the phase's total. */
  bytesDone: number;
  bytesTotal: number;
}

export interface BundleExportResult {
  modelId: string;
  state: 'done' | 'cancelled';
  /** Archive bytes written (0 when cancelled). */
  bytes: number;
  files: number;
}
