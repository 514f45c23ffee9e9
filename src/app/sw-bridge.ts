// The page's bridge to the service worker, through workbox-window (the only page importer of
// workbox-*). Runs on the page, loaded after first paint. Updates are never applied unprompted:
// a reload in the middle of a generation would kill the engine, so the caller decides when.
// Any tab may activate a new version: every controlled tab then hears `controlling`, and its own
// code is out of date (the new version's cleanup deleted the old hashed chunks).

import { Workbox } from 'workbox-window';

export interface ServiceWorkerEvents {
  /** A new version is installed and waits for a tab to activate it. */
  onUpdateWaiting(): void;
  /** A new version took control of this page (activated here or in another tab): reload when idle. */
  onNewVersionActive(): void;
}

export interface ServiceWorkerBridge {
  /** Activates the waiting service worker (onNewVersionActive follows); with none waiting, reloads. */
  applyUpdate(): void;
}

export function registerServiceWorker(url: string, events: ServiceWorkerEvents): ServiceWorkerBridge | undefined {
  if (!('serviceWorker' in navigator)) return undefined;
  const wb = new Workbox(url, { type: 'module' });
  // The first install claims an uncontrolled page: that page already runs the newest code.
  let controlled = navigator.serviceWorker.controller !== null;
  wb.addEventListener('waiting', () => events.onUpdateWaiting());
  wb.addEventListener('controlling', () => {
    if (controlled) events.onNewVersionActive();
    controlled = true;
  });
  const registration = wb.register().catch((err: unknown) => {
    console.warn('service worker registration failed', err);
    return undefined;
  });
  return {
    applyUpdate() {
      void registration.then((reg) => {
        // Nothing waits when another tab activated it already: this page only needs the reload.
        if (reg?.waiting) wb.messageSkipWaiting();
        else window.location.reload();
      });
    },
  };
}
