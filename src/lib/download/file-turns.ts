// One piece of work at a time per model file: the downloader's fetch-and-store of a file and the
// GPU sizing's fetch of its chat config take turns on the file's key, and each first looks in the
// store, so the second finds the file the first stored instead of fetching it again. Pure; the
// model store (engine worker) owns one instance for all its downloads and lookups.

export class FileTurns {
  readonly #last = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier turn on `key` has settled; its result or error is the caller's. */
  take<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#last.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.then(
      () => {},
      () => {},
    );
    this.#last.set(key, settled);
    void settled.then(() => {
      if (this.#last.get(key) === settled) this.#last.delete(key);
    });
    return mine;
  }

  /** Keys with a turn taken or waiting (a test's view). */
  get busy(): number {
    return this.#last.size;
  }
}
