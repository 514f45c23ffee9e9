// Background Fetch in the service worker: when a model's background fetch ends (all files, or some
// before a failure), the files that arrived whole are put in the staging cache (airgap-bgfetch) and
// the app's windows are told. The engine worker then downloads the model as usual, and this worker
// answers its requests for staged URLs from the staging cache (each once, then dropped), so the
// engine verifies (MD5, size, integrity) and stores them in WebLLM's layout: the layout has one home.

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

/** The staged URLs, read once per service-worker start; requests wait for it only while it loads. */
let staged: Set<string> | undefined;
const stagedLoaded = caches
  .open(BGFETCH_STAGING_CACHE)
  .then((c) => c.keys())
  .then((keys) => (staged = new Set([...(staged ?? []), ...keys.map((k) => k.url)])))
  .catch(() => (staged ??= new Set()));

async function stage(event: BgFetchEvent, result: StagedMessage['result']): Promise<void> {
  const { id } = event.registration;
  if (!isOurBgFetch(id)) return;
  await stagedLoaded;
  const cache = await caches.open(BGFETCH_STAGING_CACHE);
  for (const record of await event.registration.matchAll()) {
    const response = await record.responseReady.catch(() => undefined);
    if (!response?.ok) continue;
    await cache.put(record.request.url, response);
    staged!.add(record.request.url);
  }
  const message: StagedMessage = { type: BGFETCH_STAGED, id, result };
  for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage(message);
}

async function fromStaging(request: Request): Promise<Response> {
  await stagedLoaded;
  if (!staged!.delete(request.url)) return fetch(request);
  const cache = await caches.open(BGFETCH_STAGING_CACHE);
  const hit = await cache.match(request.url);
  // Dropped as it is handed over: a file that fails its checks is fetched from the network next time.
  await cache.delete(request.url);
  return hit ?? fetch(request);
}

/** Call before any other fetch listener: a staged URL is answered here and nowhere else. */
export function listenForBackgroundFetch(): void {
  const target = self as unknown as EventTarget;
  target.addEventListener('backgroundfetchsuccess', (e) => (e as BgFetchEvent).waitUntil(stage(e as BgFetchEvent, 'success')));
  target.addEventListener('backgroundfetchfail', (e) => (e as BgFetchEvent).waitUntil(stage(e as BgFetchEvent, 'failure')));
  // A pause or cancel on the page aborts the fetch: nothing is staged then.
  self.addEventListener('fetch', (event) => {
    const { request } = event;
    // Only the app's own fetch() calls (model files): never navigations, scripts or the precache.
    if (request.method !== 'GET' || request.destination !== '') return;
    // While the staged list loads, model libraries stay with the next listener (they may be stored for offline use).
    if (staged ? !staged.has(request.url) : new URL(request.url).pathname.endsWith('.wasm')) return;
    event.respondWith(fromStaging(request));
    event.stopImmediatePropagation();
  });
}
