// Collects streamed deltas and hands them on once per frame: a reactive write per token would
// re-render the message list dozens of times a second. The scheduler is injected
// (requestAnimationFrame on the page, a manual queue in tests).

type Scheduler = (callback: () => void) => void;

export class FrameBuffer {
  readonly #schedule: Scheduler;
  readonly #flushTo: (text: string) => void;
  #pending = '';
  #scheduled = false;

  constructor(schedule: Scheduler, flushTo: (text: string) => void) {
    this.#schedule = schedule;
    this.#flushTo = flushTo;
  }

  push(delta: string): void {
    if (!delta) return;
    this.#pending += delta;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => this.flush());
  }

  /** Delivers whatever is pending now (also called at the end of a stream). */
  flush(): void {
    this.#scheduled = false;
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    this.#flushTo(text);
  }
}
