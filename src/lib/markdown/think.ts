// The reasoning of thinking models: a reply that opens with <think>…</think> (or, when the chat
// template already opened the tag, one that only closes it). Split from the answer so the page
// can fold it away; an unclosed tag while streaming means the model is still thinking.

const OPEN = '<think>';
const CLOSE = '</think>';
/** The tags, for code that writes reasoning into a reply (a remote server's separate reasoning field). */
export { OPEN as THINK_OPEN, CLOSE as THINK_CLOSE };

export interface ThinkSplit {
  /** The reasoning text; undefined when the reply has none. */
  thinking?: string;
  /** The reasoning ended (</think> arrived). */
  closed: boolean;
  /** What follows the reasoning (the whole reply when there is none). */
  answer: string;
}

export function splitThink(content: string, streaming = false): ThinkSplit {
  const start = content.length - content.trimStart().length;
  const body = content.slice(start);
  if (body.startsWith(OPEN)) {
    const end = body.indexOf(CLOSE, OPEN.length);
    if (end < 0) return { thinking: body.slice(OPEN.length).trim(), closed: false, answer: '' };
    return { thinking: body.slice(OPEN.length, end).trim(), closed: true, answer: body.slice(end + CLOSE.length).trimStart() };
  }
  // "<thi" mid-stream may become the tag: show nothing rather than flash it as text.
  if (streaming && body.length > 0 && OPEN.startsWith(body)) return { closed: false, answer: '' };
  const end = content.indexOf(CLOSE);
  if (end >= 0 && !content.slice(0, end).includes(OPEN)) {
    return { thinking: content.slice(0, end).trim(), closed: true, answer: content.slice(end + CLOSE.length).trimStart() };
  }
  return { closed: false, answer: content };
}

/** The reasoning has ended in this text (for timing it while it streams). */
export function thinkingEnded(content: string): boolean {
  const s = splitThink(content);
  return s.thinking !== undefined && s.closed;
}

/** "Thought for 4 s" once the reasoning ended, "Thinking…" while it goes on. */
export function thinkLabel(split: ThinkSplit, thinkMs: number | undefined): string {
  if (!split.closed) return 'Thinking…';
  if (thinkMs === undefined) return 'Thought';
  return `Thought for ${Math.max(1, Math.round(thinkMs / 1000))} s`;
}
