// Splits a streaming Markdown reply into top-level blocks with marked's lexer, so a renderer can
// draw each finished block once and redraw only the last, still-open one per frame. Only the text
// after the finished blocks is lexed again, so the work per frame does not grow with the reply.
// Invariant: the finished blocks, joined, are exactly a prefix of the text; a text that does not
// extend what was seen (a new reply, an edit) starts over with `reset`.

import { Lexer } from 'marked';

export interface BlockStep {
  /** The earlier blocks are stale: remove them before adding `completed`. */
  reset: boolean;
  /** Blocks that became final with this text, in order (Markdown source of each). */
  completed: string[];
  /** The Markdown of the block that may still grow ('' when none). */
  open: string;
}

const normalise = (s: string) => s.replace(/\r\n?/g, '\n');

export class BlockStream {
  /** The source of every block handed out as completed. */
  #done = '';
  /** The whole text was declared final: any change after that starts over. */
  #final: string | undefined;

  /** Feeds the whole text so far; `final` when no more will come (every block is then complete). */
  push(text: string, final = false): BlockStep {
    const src = normalise(text);
    let reset = false;
    if ((this.#final !== undefined && src !== this.#final) || !src.startsWith(this.#done)) {
      this.#done = '';
      this.#final = undefined;
      reset = true;
    }
    if (this.#final !== undefined) return { reset, completed: [], open: '' };
    const tail = src.slice(this.#done.length);
    const tokens = Lexer.lex(tail, { gfm: true });
    let last = tokens.length;
    if (!final) while (last > 0 && tokens[last - 1]!.type === 'space') last--;
    // The last real block may still grow (a paragraph, a list, an unclosed fence, half a table).
    const closedCount = final ? tokens.length : Math.max(0, last - 1);
    const closed = tokens.slice(0, closedCount);
    const consumed = closed.map((t) => t.raw).join('');
    if (!tail.startsWith(consumed)) {
      // The lexer rewrote the text (it should not after normalising): keep everything open rather than guess.
      return { reset, completed: [], open: tail };
    }
    this.#done += consumed;
    if (final) this.#final = src;
    const completed = closed.filter((t) => t.type !== 'space').map((t) => t.raw);
    return { reset, completed, open: final ? '' : tail.slice(consumed.length) };
  }
}

const TABLE_LINE = /^ {0,3}\|/;
const PARTIAL_FENCE = /(^|\n) {0,3}(`{1,2}|~{1,2})$/;

/**
 * The part of the open block to draw now: the start of a table (its header row before the delimiter
 * row has decided it is one) and the first backticks of a fence are held back, so they do not show
 * as pipes or backticks for a frame and then jump into a table or a code block.
 */
export function drawableOpen(open: string): string {
  const fence = PARTIAL_FENCE.exec(open);
  if (fence) return open.slice(0, fence.index);
  const lines = open.split('\n');
  let start = lines.length;
  while (start > 0 && TABLE_LINE.test(lines[start - 1]!)) start--;
  const run = lines.slice(start);
  const undecided = run.length === 1 || (run.length === 2 && Lexer.lex(run.join('\n'), { gfm: true })[0]?.type !== 'table');
  if (!run.length || !undecided) return open;
  return lines.slice(0, start).join('\n');
}
