// Page state of what went wrong: the one error the banner shows. Every page module reports here
// (engine calls, storage, settings, conversations); the value is always a typed AirgapError, so
// the UI branches on classes. A crash is pinned until the engine restarts; after a lost device,
// what fails next is a consequence, so the first cause stays on screen.

import { DeviceLostError, toAirgapError, type AirgapError } from '../../engine/errors';

export class ErrorState {
  #current = $state.raw<AirgapError | undefined>(undefined);
  #pinned = false;

  get current(): AirgapError | undefined {
    return this.#current;
  }

  /** Shows `err`, unless a crash or a lost device already explains it. */
  report(err: unknown): void {
    if (this.#pinned || this.#current instanceof DeviceLostError) return;
    this.#current = toAirgapError(err);
  }

  /** Shows `err` over whatever was there (the engine's own lifecycle events). */
  raise(err: AirgapError): void {
    if (!this.#pinned) this.#current = err;
  }

  /** Shows a crash; only `reset()` (a restarted engine) clears it. */
  pin(err: AirgapError): void {
    this.#current = err;
    this.#pinned = true;
  }

  /** The user closed the banner, or a new attempt starts. */
  dismiss(): void {
    if (!this.#pinned) this.#current = undefined;
  }

  /** What the banner reported has passed (a later reply fitted): it goes, unless it shows something else. */
  resolve(...kinds: (abstract new (...args: never[]) => AirgapError)[]): void {
    if (!this.#pinned && kinds.some((k) => this.#current instanceof k)) this.#current = undefined;
  }

  reset(): void {
    this.#pinned = false;
    this.#current = undefined;
  }
}
