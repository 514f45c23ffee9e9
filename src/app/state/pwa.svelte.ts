// Page state for the installable app: service-worker updates (applied only between replies),
// the browser's install prompt, and online/offline.

import type { ServiceWorkerBridge } from '../sw-bridge';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export class PwaState {
  updateAvailable = $state(false);
  updateRequested = $state(false);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  installPrompt = $state.raw<BeforeInstallPromptEvent | undefined>(undefined);
  #bridge: ServiceWorkerBridge | undefined;

  constructor() {
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
    addEventListener('beforeinstallprompt', (ev) => {
      ev.preventDefault();
      this.installPrompt = ev as BeforeInstallPromptEvent;
    });
    addEventListener('appinstalled', () => (this.installPrompt = undefined));
  }

  async startServiceWorker(url: string): Promise<void> {
    if (import.meta.env.DEV) return;
    const { registerServiceWorker } = await import('../sw-bridge');
    this.#bridge = registerServiceWorker(url, () => (this.updateAvailable = true));
  }

  /** Asks for the update; it is applied as soon as `busy()` is false. */
  requestUpdate(busy: () => boolean): void {
    this.updateRequested = true;
    const tryApply = () => {
      if (busy()) setTimeout(tryApply, 250);
      else this.#bridge?.applyUpdate();
    };
    tryApply();
  }

  async install(): Promise<void> {
    const prompt = this.installPrompt;
    if (!prompt) return;
    await prompt.prompt();
    await prompt.userChoice;
    this.installPrompt = undefined;
  }
}
