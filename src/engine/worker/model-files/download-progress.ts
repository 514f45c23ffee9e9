// One download run's progress: per-file state, the run's counters, the transfer rate, and the
// throttled DownloadProgress events the page sees. Runs in the engine worker. Invariants: events
// come at most every PROGRESS_INTERVAL_MS unless forced (state changes always are); every event
// carries copies, so the page never sees a file's state change under it.

import type { ModelFile } from '../../../lib/download/files';
import { RateMeter } from '../../../lib/download/progress';
import type { DownloadFileProgress, DownloadProgress, DownloadResult } from '../../protocol';

const PROGRESS_INTERVAL_MS = 100;

/** A file that needs no more bytes: all of them are done. */
function complete(t: DownloadFileProgress, state: 'skipped' | 'done', bytes: number): void {
  t.state = state;
  t.bytesDone = bytes;
  t.bytesTotal = bytes;
}

export class DownloadTracker {
  state: DownloadProgress['state'] = 'preparing';
  /** A retry in progress, or a kept file that failed its integrity check with onFailure "warn". */
  note: string | undefined;
  bytesFetched = 0;
  filesFetched = 0;
  filesSkipped = 0;
  readonly #files = new Map<string, DownloadFileProgress>();
  readonly #meter = new RateMeter();
  #lastEmit = -Infinity;

  constructor(
    readonly modelId: string,
    readonly onProgress: (p: DownloadProgress) => void,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** The file's entry, created queued on first sight. */
  track(f: ModelFile): DownloadFileProgress {
    let t = this.#files.get(f.url);
    if (!t) {
      t = { url: f.url, kind: f.kind, bytesDone: 0, state: 'queued', attempts: 0 };
      if (f.bytes !== undefined) t.bytesTotal = f.bytes;
      this.#files.set(f.url, t);
    }
    return t;
  }

  /** Bytes arrived from the network for a file whose entry the caller updates. */
  fetched(n: number): void {
    this.bytesFetched += n;
    this.emit();
  }

  /** A complete copy was already stored. */
  skipped(t: DownloadFileProgress, bytes: number): void {
    complete(t, 'skipped', bytes);
    this.filesSkipped++;
    this.emit();
  }

  stored(t: DownloadFileProgress, bytes: number): void {
    complete(t, 'done', bytes);
    this.filesFetched++;
    this.emit(true);
  }

  /** Ends the run as paused: files in flight go back to the queue (their partial bytes are lost). */
  paused(): DownloadResult {
    for (const t of this.#files.values()) {
      if (t.state !== 'downloading' && t.state !== 'retrying') continue;
      t.state = 'queued';
      t.bytesDone = 0;
    }
    return this.finish('paused');
  }

  finish(state: 'done' | 'paused'): DownloadResult {
    this.state = state;
    this.emit(true);
    return {
      modelId: this.modelId,
      state,
      bytesFetched: this.bytesFetched,
      filesFetched: this.filesFetched,
      filesSkipped: this.filesSkipped,
    };
  }

  emit(force = false): void {
    const now = this.now();
    if (!force && now - this.#lastEmit < PROGRESS_INTERVAL_MS) return;
    this.#lastEmit = now;
    const list = [...this.#files.values()];
    const bytesTotal = list.reduce((n, f) => n + (f.bytesTotal ?? f.bytesDone), 0);
    const bytesDone = list.reduce((n, f) => n + f.bytesDone, 0);
    this.#meter.add(now, this.bytesFetched);
    const p: DownloadProgress = {
      modelId: this.modelId,
      state: this.state,
      bytesDone,
      bytesTotal,
      bytesFetched: this.bytesFetched,
      bytesPerSecond: this.#meter.rate,
      files: list.map((f) => ({ ...f })),
    };
    const eta = this.#meter.etaSeconds(Math.max(0, bytesTotal - bytesDone));
    if (eta !== undefined && this.state === 'downloading') p.etaSeconds = eta;
    if (this.note) p.note = this.note;
    this.onProgress(p);
  }
}
