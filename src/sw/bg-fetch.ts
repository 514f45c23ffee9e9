// Background Fetch in the service worker: when a model's background fetch ends (all files, or some
// before a failure), the files that arrived whole are put in the staging cache (airgap-bgfetch) and
// the app's windows are told. The engine worker then downloads the model as usual and takes staged
// URLs from the staging cache instead of the network (each once, then dropped: staged-files.ts), so
// it verifies (MD5, size, integrity) and stores them in WebLLM's layout: the layout has one home.
// No model transfer passes through this worker's fetch handler (a busy one holds back updates).

/// <reference lib="webworker" />
import { BGFETCH_STAGED, BGFETCH_STAGING_CACHE, isOurBgFetch, type StagedMessage } from '../lib/download/background';

declare const self: ServiceWorkerGlobalScope;

interface BgFetchRecord {
  request: Request;
  responseReady: Promise<Response>;
}
interface BgFetchEvent extends ExtendableEvent {
  registration: { id: string; matchAll(): Promise<BgFetchRecord[]> };
}

async function stage(event: BgFetchEvent, result: StagedMessage['result']): Promise<void> {
  const { id } = event.registration;
  if (!isOurBgFetch(id)) return;
  const cache = await caches.open(BGFETCH_STAGING_CACHE);
  for (const record of await event.registration.matchAll()) {
    const response = await record.responseReady.catch(() => undefined);
    if (!response?.ok) continue;
    await cache.put(record.request.url, response);
  }
  const message: StagedMessage = { type: BGFETCH_STAGED, id, result };
  for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage(message);
}

/** Stages each of our background fetches as it ends; the engine worker takes the files from staging. */
export function listenForBackgroundFetch(): void {
  const target = self as unknown as EventTarget;
  target.addEventListener('backgroundfetchsuccess', (e) => (e as BgFetchEvent).waitUntil(stage(e as BgFetchEvent, 'success')));
  target.addEventListener('backgroundfetchfail', (e) => (e as BgFetchEvent).waitUntil(stage(e as BgFetchEvent, 'failure')));
  // A pause or cancel on the page aborts the fetch: nothing is staged then.
}
