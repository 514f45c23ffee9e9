// Draws a streaming Markdown reply into one element, block by block: each finished top-level
// block is rendered, sanitised and decorated once, then left alone; only the last, open block is
// redrawn when more text arrives. Loaded lazily with the first assistant message (marked and
// DOMPurify are not first-paint code).

import { BlockStream, drawableOpen } from '../../lib/markdown/blocks';
import { markdownToHtml } from '../../lib/markdown/parse';
import type { MessageSource } from '../../lib/conversation';
import { addCodeToolbars, highlightCode, markCitations, typesetMath } from './enhance';
import { sanitizeHtml } from './sanitize';

/** Set by the rendering bench: each update's cost and the text length it drew. */
type TimingSink = { chars: number; ms: number }[];

export class StreamRenderer {
  readonly host: HTMLElement;
  readonly #stream = new BlockStream();
  #open: HTMLElement | undefined;
  #openSource = '';
  /** The reply's sources: `[n]` naming one becomes a citation. Set before the text arrives. */
  sources: readonly MessageSource[] = [];

  constructor(host: HTMLElement) {
    this.host = host;
  }

  /** Shows `text`; `final` when the reply is complete (its last block is then finished too). */
  update(text: string, final: boolean): void {
    const start = performance.now();
    const step = this.#stream.push(text, final);
    if (step.reset) {
      this.host.replaceChildren();
      this.#open = undefined;
      this.#openSource = '';
    }
    for (const source of step.completed) this.host.insertBefore(this.#block(source, true), this.#open ?? null);
    const open = drawableOpen(step.open);
    if (open !== this.#openSource) {
      this.#openSource = open;
      const next = open ? this.#block(open, false) : undefined;
      if (this.#open && next) this.#open.replaceWith(next);
      else if (next) this.host.append(next);
      else this.#open?.remove();
      this.#open = next;
    }
    const sink = (globalThis as { __airgapRenderTiming?: TimingSink }).__airgapRenderTiming;
    sink?.push({ chars: text.length, ms: performance.now() - start });
  }

  #block(source: string, finished: boolean): HTMLElement {
    const el = document.createElement('div');
    el.className = finished ? 'md-block' : 'md-block open';
    el.append(sanitizeHtml(markdownToHtml(source)));
    // marked ends each block with a newline: not text of the reply (it would show in its textContent).
    for (const n of [...el.childNodes]) if (n.nodeType === Node.TEXT_NODE && !n.textContent?.trim()) n.remove();
    addCodeToolbars(el);
    markCitations(el, this.sources);
    if (finished) {
      void highlightCode(el).catch(() => undefined);
      void typesetMath(el).catch(() => undefined);
    }
    return el;
  }
}
