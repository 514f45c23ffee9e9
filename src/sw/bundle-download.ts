// Serves exported bundles as downloads when the browser has no save dialog: the page offers a
// stream (DOWNLOAD_MESSAGE, src/lib/bundle/download-link.ts), then navigates to its one-time link,
// answered here with that stream as an attachment. Runs in the service worker. Holds only streams
// handed to it; it never opens a cache (the bundle's bytes come from the engine worker).

/// <reference lib="webworker" />
import { DOWNLOAD_MESSAGE, attachment, downloadId, type DownloadOffer } from '../lib/bundle/download-link';

export function serveBundleDownloads(sw: ServiceWorkerGlobalScope): void {
  const offers = new Map<string, DownloadOffer>();
  sw.addEventListener('message', (event) => {
    const offer = event.data as Partial<DownloadOffer> | null;
    if (offer?.type !== DOWNLOAD_MESSAGE || !offer.id || !(offer.stream instanceof ReadableStream)) return;
    offers.set(offer.id, offer as DownloadOffer);
    event.ports[0]?.postMessage({ type: DOWNLOAD_MESSAGE, id: offer.id });
  });
  sw.addEventListener('fetch', (event) => {
    const id = downloadId(event.request.url, sw.registration.scope);
    if (id === undefined) return;
    const offer = offers.get(id);
    offers.delete(id);
    event.respondWith(
      offer
        ? new Response(offer.stream, {
            headers: {
              'Content-Type': 'application/x-tar',
              'Content-Disposition': attachment(offer.fileName),
              'Cache-Control': 'no-store',
            },
          })
        : new Response('This download link was used already or has expired. Export the model again.', { status: 404 }),
    );
  });
}
