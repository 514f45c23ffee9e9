// Background Fetch on the page: whether this browser can hand a model's files to it (a service
// worker controls the page and offers backgroundFetch), and following one (started here, or left
// by a closed tab) until the service worker has staged its files or the user stopped it. What the
// service worker does with the files is in sw/bg-fetch.ts; the shared names in lib/download/background.ts.

import { bgFetchId, isStagedMessage, type BgFetchManager, type BgFetchRegistration } from '../lib/download/background';

export async function backgroundFetcher(): Promise<BgFetchManager | undefined> {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return undefined;
  const reg = await navigator.serviceWorker.getRegistration().catch(() => undefined);
  return (reg as { backgroundFetch?: BgFetchManager } | undefined)?.backgroundFetch;
}

/** 'staged': what arrived is in the staging cache (all of it, or some before a failure); 'stopped': aborted by `signal`. */
export type BackgroundEnd = 'staged' | 'stopped';

/**
 * Follows the model's background fetch: one still running from an earlier tab, or else the one
 * `start` begins; undefined when there is neither. Listens before starting, so the service worker's
 * message cannot be missed.
 */
export async function followBackground(
  manager: BgFetchManager,
  modelId: string,
  start: (() => Promise<BgFetchRegistration | undefined>) | undefined,
  onProgress: (reg: BgFetchRegistration) => void,
  signal: AbortSignal,
): Promise<BackgroundEnd | undefined> {
  const id = bgFetchId(modelId);
  let settle: (end: BackgroundEnd) => void = () => undefined;
  const ended = new Promise<BackgroundEnd>((resolve) => (settle = resolve));
  const onMessage = (e: MessageEvent) => {
    if (isStagedMessage(e.data) && e.data.id === id) settle('staged');
  };
  navigator.serviceWorker.addEventListener('message', onMessage);
  let reg: BgFetchRegistration | undefined;
  const onReg = () => onProgress(reg!);
  try {
    const earlier = await manager.get(id);
    reg = earlier ?? (await start?.());
    if (!reg) return undefined;
    if (signal.aborted) {
      await reg.abort();
      return 'stopped';
    }
    const abort = () => {
      void reg!.abort();
      settle('stopped');
    };
    signal.addEventListener('abort', abort, { once: true });
    reg.addEventListener('progress', onReg);
    onProgress(reg);
    // A registration found already finished may have been staged before we listened.
    if (earlier && reg.result !== '' && !(await manager.get(id))) settle('staged');
    const end = await ended;
    signal.removeEventListener('abort', abort);
    return end;
  } finally {
    navigator.serviceWorker.removeEventListener('message', onMessage);
    reg?.removeEventListener('progress', onReg);
  }
}
