// The Background Fetch part of a download, where the browser offers it: the worker plans the model
// and stores its small head files (a prepare-only run, with the quota preflight), the browser fetches
// the rest (it goes on when the tab closes), and the service worker stages it. The ordinary worker
// download that follows verifies and stores the staged files and fetches whatever is still missing.

import type { DownloadProgress } from '../../engine/protocol';
import { bgFetchId, downloadTotal, filesToFetch, type BgFetchRegistration } from '../../lib/download/background';
import { backgroundFetcher, followBackground } from '../background-fetch';
import type { EngineState } from './engine.svelte';

const NOTE = 'downloading in the background: it goes on if you close the tab';

/**
 * 'paused' when the user paused or cancelled it; otherwise 'continue' (run the worker download now).
 * A resumed download starts no new background fetch: it follows one an earlier tab left, if any.
 */
export async function downloadInBackground(
  engine: EngineState,
  modelId: string,
  force: boolean,
  resumed: boolean,
  /** `background`: the browser is fetching (a reload would not interrupt it). */
  show: (p: DownloadProgress, background?: boolean) => void,
  signal: AbortSignal,
): Promise<'paused' | 'continue'> {
  const manager = await backgroundFetcher();
  if (!manager) return 'continue';
  let base: DownloadProgress | undefined;
  const start = async (): Promise<BgFetchRegistration | undefined> => {
    const r = await engine.call('download', { modelId, force, prepareOnly: true }, (p) => {
      base = p;
      // The prepare run ends "paused" by design: to the user the download is still getting ready.
      show(p.state === 'paused' ? { ...p, state: 'preparing' } : p);
    });
    const files = base ? filesToFetch(base.files) : [];
    if (r.state !== 'paused' || files.length === 0 || signal.aborted) return undefined;
    const urls = files.map((f) => f.url);
    // Refused (e.g. no space for it): the worker downloads them itself.
    return manager
      .fetch(bgFetchId(modelId), urls, { title: `Airgap: ${modelId}`, downloadTotal: downloadTotal(files) })
      .catch(() => undefined);
  };
  const progress = (reg: BgFetchRegistration) => show(backgroundProgress(modelId, base, reg), true);
  const end = await followBackground(manager, modelId, resumed ? undefined : start, progress, signal);
  return end === 'stopped' || signal.aborted ? 'paused' : 'continue';
}

function backgroundProgress(modelId: string, base: DownloadProgress | undefined, reg: BgFetchRegistration): DownloadProgress {
  const stored = base?.bytesDone ?? 0;
  const total = Math.max(base?.bytesTotal ?? 0, stored + reg.downloadTotal, stored + reg.downloaded);
  return {
    modelId,
    state: 'downloading',
    bytesDone: stored + reg.downloaded,
    bytesTotal: total,
    bytesFetched: reg.downloaded,
    bytesPerSecond: 0,
    files: base?.files ?? [],
    note: NOTE,
  };
}
