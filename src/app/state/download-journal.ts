// The page's record of downloads in progress, written through to storage that outlives the tab, so
// a download cut off by a closed tab (or a lost connection) starts again by itself. Every change is
// applied in order on the list as stored (read once), so two downloads ending together lose nothing.
// The rules of what is kept and what resumes are in lib/download/pending.ts.

import type { CacheBackend } from '../../lib/download/files';
import {
  endKeepsPending,
  planResume,
  withPending,
  withoutPending,
  type DownloadEnd,
  type PendingDownload,
  type ResumePlan,
} from '../../lib/download/pending';

export interface PendingStore {
  load(): Promise<PendingDownload[]>;
  save(list: readonly PendingDownload[]): Promise<void>;
}

export class DownloadJournal {
  readonly #store: PendingStore;
  #list: Promise<PendingDownload[]> | undefined;

  constructor(store: PendingStore) {
    this.#store = store;
  }

  started(entry: PendingDownload): Promise<void> {
    return this.#change((l) => withPending(l, entry));
  }

  ended(modelId: string, end: DownloadEnd): Promise<void> {
    return this.#change((l) => (endKeepsPending(end) ? l : withoutPending(l, modelId)));
  }

  /** What to resume now on `backend`; entries whose model left the catalog are forgotten. */
  async take(backend: CacheBackend, catalogIds: ReadonlySet<string>): Promise<ResumePlan> {
    let plan: ResumePlan = { resume: [], gone: [], elsewhere: [] };
    await this.#change((l) => {
      plan = planResume(l, backend, catalogIds);
      const gone = new Set(plan.gone.map((e) => e.modelId));
      return l.filter((e) => !gone.has(e.modelId));
    });
    return plan;
  }

  #change(f: (list: PendingDownload[]) => PendingDownload[]): Promise<void> {
    // A failed read or write must not stop later changes: the list then starts from empty / stays in memory.
    const before = (this.#list ?? this.#store.load()).catch(() => []);
    const after = before.then(async (l) => {
      const next = f(l);
      if (next !== l) await this.#store.save(next).catch(() => undefined);
      return next;
    });
    this.#list = after;
    return after.then(() => undefined);
  }
}
