// WebLLM 0.2.86's streaming rule (makeStreamDeltaChunk), so a speculative reply streams exactly
// what plain WebLLM streams: after each committed token the delta is the decoded message past the
// length already sent, and nothing is sent while the message ends in a run of U+FFFD whose length
// is not a multiple of 4 (a UTF-8 character cut between tokens). Deltas are cut by length, not by
// common prefix, as WebLLM cuts them; what the page shows is their concatenation, so spans counted
// over deltas index the shown text. A delta is marked as drafted when every token in it was.

interface StreamDelta {
  delta: string;
  fromDraft: boolean;
}

export function trailingReplacementChars(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s.charAt(i) === '\uFFFD'; i--) n++;
  return n;
}

export class WebLLMDeltaStream {
  #sent = 0;
  #text = '';
  /** Whether every token committed since the last delta was an accepted draft token. */
  #allDraft = true;

  /** Everything streamed so far (what plain WebLLM's stream adds up to). */
  get text(): string {
    return this.#text;
  }

  /** Called after each committed token with the pipeline's message; returns the delta to send, if any. */
  push(message: string, fromDraft: boolean): StreamDelta | undefined {
    this.#allDraft &&= fromDraft;
    if (trailingReplacementChars(message) % 4 !== 0) return undefined;
    const delta = message.slice(this.#sent);
    this.#sent = message.length;
    const out = { delta, fromDraft: this.#allDraft };
    this.#allDraft = true;
    if (!delta) return undefined;
    this.#text += delta;
    return out;
  }
}
