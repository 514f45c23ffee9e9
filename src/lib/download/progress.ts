// Download progress as a user sees it: bytes per file and overall, a rate over a sliding window,
// an ETA; and the retry schedule. Pure (time is passed in).

export const MAX_PARALLEL_FILES = 4;
export const MAX_RETRIES = 4;
const RATE_WINDOW_MS = 5_000;

/** Exponential backoff with a cap: 0.5 s, 1 s, 2 s, 4 s… (scaled by `baseMs`). */
export function backoffMs(attempt: number, baseMs = 500, capMs = 15_000): number {
  return Math.min(capMs, baseMs * 2 ** attempt);
}

export class RateMeter {
  readonly #samples: { t: number; bytes: number }[] = [];

  add(t: number, totalBytes: number): void {
    this.#samples.push({ t, bytes: totalBytes });
    while (this.#samples.length > 2 && t - this.#samples[0]!.t > RATE_WINDOW_MS) this.#samples.shift();
  }

  /** Bytes per second over the window (0 until two samples exist). */
  get rate(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.t <= first.t) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }

  etaSeconds(remainingBytes: number): number | undefined {
    const r = this.rate;
    return r > 0 ? remainingBytes / r : undefined;
  }
}

/** Will `neededBytes` fit, given navigator.storage.estimate()? Undefined when the browser cannot tell. */
export function quotaShortfall(neededBytes: number, estimate: { usage?: number; quota?: number }): number | undefined {
  if (estimate.quota === undefined || estimate.usage === undefined) return undefined;
  const free = estimate.quota - estimate.usage;
  return neededBytes > free ? neededBytes - free : 0;
}
