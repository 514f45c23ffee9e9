// How a conversation is fitted into the model's context window before it is sent: which messages
// go, how much room the reply keeps, and what the person is told when nothing sensible fits. Pure:
// the engine counts tokens with the model's own tokenizer and chat template and passes the counter.
// Invariants: a leading system message and the newest user message are always kept; older turns
// are left out whole, oldest first (a kept tail always starts at a user message); under "stop"
// nothing is left out. ARCHITECTURE.md, "Context overflow".

import type { ChatMessage } from './conversation';

/** What to do when the conversation no longer fits: leave out the oldest turns, or stop and say so. */
export type OverflowPolicy = 'drop-oldest' | 'stop';
export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['drop-oldest', 'stop'];

/** Prompt tokens of these messages with the model's chat template, the open reply header included. */
export type TokenCounter = (messages: readonly ChatMessage[]) => number;

export interface FitOptions {
  /** The context window the model was loaded with, in tokens. */
  contextWindow: number;
  /** The request's max tokens, when set. */
  maxTokens?: number;
  policy: OverflowPolicy;
}

export type Fit =
  | { ok: true; messages: ChatMessage[]; dropped: number; tokens: number }
  | { ok: false; reason: 'stop' | 'too-long'; tokens: number; budget: number; message: string };

/**
 * Tokens kept free for the reply: max tokens when set, else a quarter of the window; never more
 * than half the window, so a large max tokens cannot starve the conversation itself.
 */
export function replyRoom(contextWindow: number, maxTokens?: number): number {
  const wanted = maxTokens ?? Math.floor(contextWindow / 4);
  return Math.max(0, Math.min(wanted, Math.floor(contextWindow / 2)));
}

/** Where a kept tail may start: each user message from the second message on, and the newest user message. */
function tailStarts(rest: readonly ChatMessage[]): number[] {
  let newest = Math.max(rest.length - 1, 0);
  while (newest > 0 && rest[newest]!.role !== 'user') newest--;
  const starts: number[] = [];
  for (let i = 1; i < newest; i++) if (rest[i]!.role === 'user') starts.push(i);
  starts.push(newest);
  return starts;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function fitToWindow(messages: readonly ChatMessage[], count: TokenCounter, o: FitOptions): Fit {
  const room = replyRoom(o.contextWindow, o.maxTokens);
  const budget = o.contextWindow - room;
  const limits = `the model's context window holds ${o.contextWindow} tokens, ${room} of them kept for the reply`;
  const full = count(messages);
  if (full <= budget) return { ok: true, messages: [...messages], dropped: 0, tokens: full };
  if (o.policy === 'stop')
    return {
      ok: false,
      reason: 'stop',
      tokens: full,
      budget,
      message:
        `This conversation needs ${full} prompt tokens, but ${limits}. Nothing was left out and nothing is lost. ` +
        'Start a new conversation, or choose “leave out the oldest turns” in Settings.',
    };
  const system = messages[0]?.role === 'system' ? [messages[0]] : [];
  const rest = messages.slice(system.length);
  const starts = tailStarts(rest);
  const keptFrom = (start: number) => [...system, ...rest.slice(start)];
  // Fewer messages never need more tokens, so the earliest start that fits is found by bisection.
  let lo = 0;
  let hi = starts.length - 1;
  let best: { start: number; tokens: number } | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = starts[mid]!;
    const tokens = count(keptFrom(start));
    if (tokens <= budget) {
      best = { start, tokens };
      hi = mid - 1;
    } else lo = mid + 1;
  }
  if (best) return { ok: true, messages: keptFrom(best.start), dropped: best.start, tokens: best.tokens };
  const newest = keptFrom(starts.at(-1)!);
  const tokens = count(newest);
  const systemTokens = system.length ? count(system) : 0;
  const message =
    systemTokens > budget
      ? `The system prompt alone needs ${systemTokens} prompt tokens, but ${limits}. ` +
        'Shorten the system prompt, or load the model with a larger context window in Settings.'
      : `Your message is too long for this model: with ${system.length ? 'the system prompt' : 'the chat template'} it needs ` +
        `${plural(tokens, 'prompt token', 'prompt tokens')}, but ${limits}. Shorten the message, or load the model with a larger context window in Settings.`;
  return { ok: false, reason: 'too-long', tokens, budget, message };
}
