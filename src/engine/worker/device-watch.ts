// Watches the GPU devices the loaded models run on. WebLLM answers a lost device (most often an
// allocation that did not fit) by unloading every model; the engine must then stop saying
// "loaded" and tell the page. Only the latest watch reports, and never after stop() (our own
// unload or reload destroys the device on purpose). Runs in the engine worker.

interface LosableDevice {
  lost: Promise<{ message?: string; reason?: string } | undefined>;
}

export class DeviceWatch {
  #current: object | undefined;

  watch(devices: readonly (LosableDevice | undefined)[], onLost: (message: string) => void): void {
    const token = {};
    const watched = devices.filter((d): d is LosableDevice => d !== undefined);
    this.#current = watched.length ? token : undefined;
    if (!watched.length) return;
    void Promise.race(watched.map((d) => d.lost)).then((info) => {
      if (this.#current !== token) return;
      this.#current = undefined;
      onLost(info?.message ? `the GPU device was lost: ${info.message}` : 'the GPU device was lost');
    });
  }

  /** Ignore losses from here on (until the next watch). */
  stop(): void {
    this.#current = undefined;
  }
}
