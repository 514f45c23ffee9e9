// What a model import (an Airgap bundle or a model folder) reports to the page and answers: the
// protocol carries these shapes as they are (engine/protocol.ts re-exports them). Types only.

/** A bundle or model-folder import: one at a time; bytes count the model's files (skipped ones included). */
export interface ImportProgress {
  /** Empty until the index (or the folder's name) says which model it is. */
  modelId: string;
  state: 'checking' | 'importing' | 'paused' | 'done' | 'cancelled' | 'failed';
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** The file being written. */
  file?: string;
}

export interface ImportResult {
  modelId: string;
  state: 'done' | 'paused' | 'cancelled';
  filesWritten: number;
  filesSkipped: number;
  /** The model was not in the catalog: its record was added (and kept across restarts). */
  addedToCatalog: boolean;
}

/** One file of a picked folder: its path below the picked folder's parent (webkitRelativePath). */
export interface FolderFile {
  path: string;
  file: File;
}
