// Remote servers that parse reasoning (vLLM, SGLang, DeepSeek, llama-server, Ollama) send it apart
// from the answer (`reasoning_content` / `reasoning`); the reply text keeps it as the leading
// <think>…</think> block that lib/markdown/think.ts folds away, so a remote reply reads, is stored
// and exported like a local one. Invariant: the text is only ever appended to (deltas stream as they are).

import { THINK_CLOSE, THINK_OPEN } from '../markdown/think';

export class ReasoningText {
  #state: 'start' | 'thinking' | 'answer' = 'start';

  /** The text to append for a reasoning delta. */
  reasoning(text: string): string {
    if (!text) return '';
    if (this.#state === 'start') {
      this.#state = 'thinking';
      return THINK_OPEN + text;
    }
    // Reasoning after the answer began cannot join the leading block: kept as answer text, never lost.
    return text;
  }

  /** The text to append for an answer delta (closing the reasoning first). */
  content(text: string): string {
    if (!text) return '';
    const close = this.#state === 'thinking' ? `${THINK_CLOSE}\n\n` : '';
    this.#state = 'answer';
    return close + text;
  }

  /** What to append when the reply ends (finished, stopped or cut): the reasoning's closing tag if open. */
  end(): string {
    if (this.#state !== 'thinking') return '';
    this.#state = 'answer';
    return THINK_CLOSE;
  }
}
