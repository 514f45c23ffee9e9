// Imports of a bundle or a model folder, one at a time: opened and validated, then written by
// import-writer.ts; on success the model is registered as held and, when the catalog lacked it,
// its record added and kept. Pause stops after the file being written and keeps what was written
// (importing the same file again skips it); cancel, or any refusal, removes every file this import
// wrote and registers nothing. Runs in the engine worker.

import { messageOf } from '../../../lib/message';
import { AirgapError, EngineBusyError, ModelImportError, QuotaPreflightError } from '../../errors';
import type { FolderFile, ImportProgress, ImportResult } from '../../protocol';
import type { EngineBackend } from '../backend';
import type { ModelFile } from '../../../lib/download/files';
import { openBundle, type OpenedImport } from './bundle-import';
import { openFolder } from './folder-import';
import { discardImport, writeImport } from './import-writer';
import { importedRecords } from './imported-records';
import type { ModelStore } from './model-store';
import type { SourceRecord } from './sources';

type Emit = (p: ImportProgress) => void;

export class Importer {
  readonly #store: ModelStore;
  readonly #backend: EngineBackend;
  readonly #pageUrl: string;
  #running: { controller: AbortController; settled: Promise<unknown> } | undefined;
  /** A paused import: what it wrote so far (removed on cancel). */
  #paused: { modelId: string; written: ModelFile[] } | undefined;

  readonly #delayMs: number;

  constructor(store: ModelStore, backend: EngineBackend, pageUrl: string, delayMsForTest = 0) {
    this.#delayMs = delayMsForTest;
    this.#store = store;
    this.#backend = backend;
    this.#pageUrl = pageUrl;
  }

  importBundle(file: Blob, force: boolean, emit: Emit): Promise<ImportResult> {
    return this.#run(() => openBundle(file, this.#backend.records(), this.#pageUrl), force, emit);
  }

  importFolder(files: readonly FolderFile[], force: boolean, emit: Emit): Promise<ImportResult> {
    return this.#run(() => openFolder(files, this.#backend.records(), this.#pageUrl), force, emit);
  }

  async control(action: 'pause' | 'cancel'): Promise<void> {
    const running = this.#running;
    if (running) {
      running.controller.abort(action);
      await running.settled;
    } else if (action === 'cancel' && this.#paused) {
      await discardImport(this.#store.files, this.#paused.written);
      this.#paused = undefined;
    }
  }

  async #run(open: () => Promise<OpenedImport>, force: boolean, emit: Emit): Promise<ImportResult> {
    if (this.#running) throw new EngineBusyError('another import is running');
    const controller = new AbortController();
    const work = this.#import(open, force, emit, controller.signal);
    this.#running = { controller, settled: work.catch(() => {}) };
    try {
      return await work;
    } finally {
      this.#running = undefined;
    }
  }

  async #import(open: () => Promise<OpenedImport>, force: boolean, emit: Emit, signal: AbortSignal): Promise<ImportResult> {
    let last: ImportProgress = { modelId: '', state: 'checking', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 };
    const report: Emit = (p) => emit((last = p));
    report(last);
    let opened: OpenedImport;
    try {
      opened = await open();
    } catch (err) {
      throw refusal(err);
    }
    const { modelId } = opened;
    if (this.#paused && this.#paused.modelId !== modelId)
      throw new ModelImportError(`the import of ${this.#paused.modelId} is paused; resume or cancel it first`);
    const session = this.#paused ?? { modelId, written: [] };
    this.#paused = undefined;
    const store = this.#store.files;
    const fail = async (err: unknown, state: 'failed' | 'cancelled') => {
      await discardImport(store, session.written);
      report({ ...last, state });
      return err;
    };
    let out;
    try {
      out = await writeImport({
        store,
        modelId,
        files: opened.files,
        items: opened.items,
        written: session.written,
        signal,
        onProgress: report,
        force,
        delayMs: this.#delayMs,
      });
    } catch (err) {
      if (err instanceof QuotaPreflightError) {
        // Nothing written by this run: "import anyway" or cancel decides what happens to earlier files.
        if (session.written.length) this.#paused = session;
        throw err;
      }
      if (signal.reason === 'cancel') throw await fail(err, 'cancelled');
      throw await fail(refusal(err), 'failed');
    }
    const counts = { filesWritten: out.filesWritten, filesSkipped: out.filesSkipped };
    if (out.state === 'paused') {
      if (signal.reason === 'cancel') {
        await fail(undefined, 'cancelled');
        return { modelId, state: 'cancelled', ...counts, addedToCatalog: false };
      }
      this.#paused = session;
      report({ ...last, state: 'paused', file: undefined });
      return { modelId, state: 'paused', ...counts, addedToCatalog: false };
    }
    if (opened.newRecord) {
      const record = opened.record as SourceRecord;
      await importedRecords(this.#pageUrl).add(record);
      this.#backend.addRecords([record], 'imported');
    }
    await this.#store.register(modelId);
    return { modelId, state: 'done', ...counts, addedToCatalog: opened.newRecord };
  }
}

/** Reading errors (cut short, not a tar) become the import's refusal with their reason. */
function refusal(err: unknown): unknown {
  return err instanceof AirgapError ? err : new ModelImportError(messageOf(err));
}
