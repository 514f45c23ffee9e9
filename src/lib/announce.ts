// What the screen-reader live region says about the reply at the end of the conversation: once
// when it starts, once when it completes (its text), stopped or failed; never token by token and
// never for a finished reply merely shown again (switching conversations). Pure: the page passes
// the previous and the current last reply.

import type { MessageState } from './conversation';

export interface ReplyView {
  id: string;
  state: MessageState;
  content: string;
  error?: string;
}

/** A long reply is read up to here; the rest is in the conversation. */
export const MAX_ANNOUNCED_CHARS = 600;

export function announcement(prev: ReplyView | undefined, next: ReplyView | undefined): string | undefined {
  if (!next) return undefined;
  const started = prev?.id !== next.id;
  if (started) return next.state === 'streaming' ? 'Generating a reply…' : undefined;
  if (prev.state !== 'streaming' || next.state === 'streaming') return undefined;
  if (next.state === 'stopped') return 'Reply stopped.';
  if (next.state === 'error') return `Reply failed: ${next.error ?? 'no reason given'}`;
  return `Reply: ${readable(next.content)}`;
}

/** Markdown source as it would be read: markup characters dropped, length capped. */
export function readable(markdown: string): string {
  const text = markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/[*_`#>|~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_ANNOUNCED_CHARS ? `${text.slice(0, MAX_ANNOUNCED_CHARS)}… (continues in the conversation)` : text;
}
