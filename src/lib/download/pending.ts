// Downloads in progress as the app remembers them across a closed tab: which model, on which storage
// backend, and whether the user chose to go past the quota warning. Pure: the page keeps the list in
// IndexedDB (user-data/pending-downloads.ts) and asks here what a start resumes. A download the user
// paused or cancelled, or one that failed for good, is not remembered; one cut off by the network is.

import { CACHE_BACKENDS, type CacheBackend } from './files';

export interface PendingDownload {
  modelId: string;
  backend: CacheBackend;
  /** The user went past the quota warning: the resumed run does not ask again. */
  force: boolean;
}

/** How a download run ended, as the page saw it. */
export type DownloadEnd = 'done' | 'paused' | 'cancelled' | 'refused' | 'failed' | 'offline';

/** Only a run cut off by a lost connection is still pending; every other end was the user's or final. */
export function endKeepsPending(end: DownloadEnd): boolean {
  return end === 'offline';
}

/** The stored list, whatever was stored: entries that do not parse are dropped, one entry per model. */
export function normalisePending(raw: unknown): PendingDownload[] {
  if (!Array.isArray(raw)) return [];
  let out: PendingDownload[] = [];
  for (const r of raw as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const { modelId, backend, force } = r as Record<string, unknown>;
    if (typeof modelId !== 'string' || modelId === '') continue;
    if (!(CACHE_BACKENDS as readonly unknown[]).includes(backend)) continue;
    out = withPending(out, { modelId, backend: backend as CacheBackend, force: force === true });
  }
  return out;
}

/** The list with `entry` in it (a newer start of the same model replaces the older). */
export function withPending(list: readonly PendingDownload[], entry: PendingDownload): PendingDownload[] {
  return [...list.filter((e) => e.modelId !== entry.modelId), entry];
}

export function withoutPending(list: readonly PendingDownload[], modelId: string): PendingDownload[] {
  return list.filter((e) => e.modelId !== modelId);
}

export interface ResumePlan {
  /** Start these again now. */
  resume: PendingDownload[];
  /** Their model left the catalog (its source was removed): tell the user once and forget them. */
  gone: PendingDownload[];
  /** Kept for another storage backend: they resume when that backend is chosen again. */
  elsewhere: PendingDownload[];
}

export function planResume(list: readonly PendingDownload[], backend: CacheBackend, catalogIds: ReadonlySet<string>): ResumePlan {
  const plan: ResumePlan = { resume: [], gone: [], elsewhere: [] };
  for (const e of list) {
    if (e.backend !== backend) plan.elsewhere.push(e);
    else if (!catalogIds.has(e.modelId)) plan.gone.push(e);
    else plan.resume.push(e);
  }
  return plan;
}

/** What the user is told once about downloads that could not resume. */
export function goneMessage(gone: readonly PendingDownload[]): string | undefined {
  if (gone.length === 0) return undefined;
  const ids = gone.map((e) => e.modelId).join(', ');
  return `The download of ${ids} was not resumed: ${gone.length === 1 ? 'that model is' : 'those models are'} no longer in the catalog (was its model source removed?).`;
}
