// Page state for the installable app: service-worker updates, the browser's install prompt, and
// online/offline. A new version is never applied under the user's feet: whether this tab asked for
// it or another tab activated it, the reload waits until `busyWith()` names nothing (no reply
// streaming, no model loading, no download running).

import type { ServiceWorkerBridge } from '../sw-bridge';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** How often a pending update looks again whether the tab is idle. */
const IDLE_POLL_MS = 250;

export class PwaState {
  #updateAvailable = $state(false);
  #newVersionActive = $state(false);
  #updateRequested = $state(false);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  #installPrompt = $state.raw<BeforeInstallPromptEvent | undefined>(undefined);
  #bridge: ServiceWorkerBridge | undefined;
  readonly #busyWith: () => string | undefined;

  /** `busyWith` names what a reload would interrupt right now, or returns undefined when idle. */
  constructor(busyWith: () => string | undefined) {
    this.#busyWith = busyWith;
    addEventListener('online', () => (this.#online = true));
    addEventListener('offline', () => (this.#online = false));
    addEventListener('beforeinstallprompt', (ev) => {
      ev.preventDefault();
      this.#installPrompt = ev as BeforeInstallPromptEvent;
    });
    addEventListener('appinstalled', () => (this.#installPrompt = undefined));
  }

  /** A new version is installed and waiting. */
  get updateAvailable(): boolean {
    return this.#updateAvailable;
  }

  /** A new version controls this tab (activated here or in another tab): this page is out of date. */
  get newVersionActive(): boolean {
    return this.#newVersionActive;
  }

  get online(): boolean {
    return this.#online;
  }

  /** The browser offers installation. */
  get canInstall(): boolean {
    return this.#installPrompt !== undefined;
  }

  /** What a pending update waits for (e.g. "this reply"), while one is pending and the tab is busy. */
  get waitingFor(): string | undefined {
    return this.#updateRequested || this.#newVersionActive ? this.#busyWith() : undefined;
  }

  async startServiceWorker(url: string): Promise<void> {
    if (import.meta.env.DEV) return;
    const { registerServiceWorker } = await import('../sw-bridge');
    this.#bridge = registerServiceWorker(url, {
      onUpdateWaiting: () => (this.#updateAvailable = true),
      onNewVersionActive: () => {
        // This page's chunks are gone from the precache: reload onto the new version once idle.
        this.#newVersionActive = true;
        this.#whenIdle(() => window.location.reload());
      },
    });
  }

  /** Asks for the update; it is applied once the tab is idle. */
  requestUpdate(): void {
    this.#updateRequested = true;
    // A new version already in control reloads this tab by itself when idle.
    if (!this.#newVersionActive) this.#whenIdle(() => this.#bridge?.applyUpdate());
  }

  #whenIdle(run: () => void): void {
    const attempt = () => {
      if (this.#busyWith() !== undefined) setTimeout(attempt, IDLE_POLL_MS);
      else run();
    };
    attempt();
  }

  async install(): Promise<void> {
    const prompt = this.#installPrompt;
    if (!prompt) return;
    await prompt.prompt();
    await prompt.userChoice;
    this.#installPrompt = undefined;
  }
}
