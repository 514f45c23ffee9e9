// The text of one reply while it streams: what it held before (a reply being continued), the deltas
// so far, and which character ranges came from accepted draft tokens. Deltas reach the page once per
// animation frame through a FrameBuffer; `show` gets the reply's text and spans each time, and how
// long the model reasoned once its `</think>` arrives.

import { addDraftSpan, type Message } from '../../lib/conversation';
import { FrameBuffer } from '../../lib/frame-buffer';
import { thinkingEnded } from '../../lib/markdown/think';

type ReplyText = Pick<Message, 'content' | 'draftSpans' | 'thinkMs'>;

export class ReplyStream {
  readonly #prefix: string;
  readonly #spans: [number, number][];
  readonly #buffer: FrameBuffer;
  #streamed = '';
  #length: number;
  readonly #started = Date.now();
  #thinkMs: number | undefined;

  constructor(before: ReplyText | undefined, show: (text: ReplyText) => void) {
    this.#prefix = before?.content ?? '';
    this.#spans = (before?.draftSpans ?? []).map((s) => [s[0], s[1]]);
    this.#length = this.#prefix.length;
    this.#thinkMs = before?.thinkMs;
    this.#buffer = new FrameBuffer(
      (cb) => requestAnimationFrame(cb),
      (delta) => {
        this.#streamed += delta;
        show(this.#text(this.#streamed));
      },
    );
  }

  /** The reply had text before this stream (it is being continued). */
  get continued(): boolean {
    return this.#prefix !== '';
  }

  push(delta: string, fromDraft: boolean): void {
    if (fromDraft) addDraftSpan(this.#spans, this.#length, this.#length + delta.length);
    this.#length += delta.length;
    this.#buffer.push(delta);
  }

  /** Shows what is pending now; the reply as it stands. */
  flush(): ReplyText {
    this.#buffer.flush();
    return this.#text(this.#streamed);
  }

  /** The reply once the engine answered `added` (its whole text for this stream). */
  final(added: string): ReplyText {
    this.#buffer.flush();
    return this.#text(added);
  }

  #text(added: string): ReplyText {
    const content = this.#prefix + added;
    if (this.#thinkMs === undefined && thinkingEnded(content)) this.#thinkMs = Date.now() - this.#started;
    return { content, draftSpans: this.#spans.map((s) => [s[0], s[1]]), thinkMs: this.#thinkMs };
  }
}
