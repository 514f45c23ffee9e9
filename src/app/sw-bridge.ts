// The page's bridge to the service worker, through workbox-window (the only page importer of
// workbox-*). Runs on the page, loaded after first paint. Updates are never applied unprompted:
// a reload in the middle of a generation would kill the engine, so the caller decides when.

import { Workbox } from 'workbox-window';

export interface ServiceWorkerBridge {
  /** Activates the waiting service worker; the page reloads once it controls the page. */
  applyUpdate(): void;
}

export function registerServiceWorker(url: string, onUpdateWaiting: () => void): ServiceWorkerBridge | undefined {
  if (!('serviceWorker' in navigator)) return undefined;
  const wb = new Workbox(url, { type: 'module' });
  wb.addEventListener('waiting', () => onUpdateWaiting());
  wb.register().catch((err: unknown) => console.warn('service worker registration failed', err));
  return {
    applyUpdate() {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    },
  };
}
