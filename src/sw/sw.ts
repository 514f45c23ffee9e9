// Service worker (Workbox, injectManifest). Precaches the whole app shell, including the engine
// worker chunk, so the app starts with the network off. It owns only Workbox's precache: it never
// opens, matches or deletes the webllm/* caches where model weights live (they belong to WebLLM's
// reload and the worker's model store: ARCHITECTURE.md, "Storage layout contract with WebLLM"); files a
// background fetch brings go to its own staging cache (bg-fetch.ts) for the engine worker to take and store. Updates wait for a page
// to ask (SKIP_WAITING); activation drops the old version's chunks for every open tab, so each tab
// then reloads itself once idle (sw-bridge.ts), and a reload never interrupts a generation.

/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { DOWNLOAD_PREFIX } from '../lib/bundle/download-link';
import { MODEL_LIBS_CACHE } from '../lib/download/files';
import { serveBundleDownloads } from './bundle-download';
import { listenForBackgroundFetch } from './bg-fetch';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// Background fetches end in the staging cache (bg-fetch.ts).
listenForBackgroundFetch();
// Model libraries: registered before Workbox's own listener, so it answers first for these requests.
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET' || !new URL(event.request.url).pathname.endsWith('.wasm')) return;
  // The engine worker's downloads ask the network ('no-store'): a transfer answered through this worker would
  // keep one of its fetch events open until the engine read the whole body, and hold back an update's activation.
  if (event.request.cache === 'no-store') return;
  event.respondWith(
    caches
      .open(MODEL_LIBS_CACHE)
      .then((c) => c.match(event.request.url))
      .then((hit) => hit ?? fetch(event.request)),
  );
});

// Exported bundles streamed as downloads (bundle-download.ts), also answered before Workbox.
serveBundleDownloads(self);

precacheAndRoute(self.__WB_MANIFEST);
// Deletes only older Workbox precaches (names starting with "workbox-precache"), never webllm/*.
cleanupOutdatedCaches();
// The first install takes control of the open page at once, so it works offline without a reload.
// Later versions wait for SKIP_WAITING from the page (see sw-bridge.ts).
clientsClaim();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [new RegExp(`/${DOWNLOAD_PREFIX}`)] }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
