import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './conversation';
import { OVERFLOW_POLICIES, fitToWindow, replyRoom, type TokenCounter } from './context-fit';

// A template like the reference model's: BOS, then per message a role tag, one token per word and
// an end tag, then the open reply header.
const count: TokenCounter = (ms) => 2 + ms.reduce((n, m) => n + 2 + m.content.split(' ').filter(Boolean).length, 0);
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
const sys = (n: number): ChatMessage => ({ role: 'system', content: words(n) });
const user = (n: number): ChatMessage => ({ role: 'user', content: words(n) });
const bot = (n: number): ChatMessage => ({ role: 'assistant', content: words(n) });

/** A counter that records every call, to see what was measured. */
function counting() {
  const calls: number[] = [];
  const f: TokenCounter = (ms) => {
    calls.push(ms.length);
    return count(ms);
  };
  return { f, calls };
}

describe('replyRoom', () => {
  it('is max tokens when set, else a quarter of the window, never more than half', () => {
    expect(replyRoom(1000)).toBe(250);
    expect(replyRoom(1001)).toBe(250);
    expect(replyRoom(1000, 100)).toBe(100);
    expect(replyRoom(1000, 500)).toBe(500);
    expect(replyRoom(1000, 501)).toBe(500);
    expect(replyRoom(1001, 9999)).toBe(500);
    expect(replyRoom(1000, 0)).toBe(0);
    expect(replyRoom(1000, -5)).toBe(0);
  });
});

describe('fitToWindow', () => {
  // Window 100 with max tokens 20: the prompt may use 80 tokens.
  const o = { contextWindow: 100, maxTokens: 20, policy: 'drop-oldest' as const };

  it('sends everything, and counts it, when it fits exactly', () => {
    const ms = [sys(10), user(30), bot(32)]; // 2 + 12 + 32 + 34 = 80
    expect(count(ms)).toBe(80);
    expect(fitToWindow(ms, count, o)).toEqual({ ok: true, messages: ms, dropped: 0, tokens: 80 });
  });

  it('leaves out the oldest turn when one token over, keeping the system prompt', () => {
    const ms = [sys(10), user(10), bot(10), user(10), bot(10), user(17)]; // 2 + 12 + 4·12 + 19 = 81
    const fit = fitToWindow(ms, count, o);
    expect(count(ms)).toBe(81);
    expect(fit).toEqual({ ok: true, messages: [ms[0], ...ms.slice(3)], dropped: 2, tokens: 57 });
  });

  it('one token over with "stop": refuses, says why in words, and keeps every message', () => {
    const ms = [sys(10), user(30), bot(33)];
    const fit = fitToWindow(ms, count, { ...o, policy: 'stop' });
    expect(fit).toMatchObject({ ok: false, reason: 'stop', tokens: 81, budget: 80 });
    if (fit.ok) throw new Error('unreachable');
    expect(fit.message).toContain('needs 81 prompt tokens');
    expect(fit.message).toContain('holds 100 tokens, 20 of them kept for the reply');
    expect(fit.message).toContain('Nothing was left out');
    expect(fit.message).toContain('Start a new conversation, or choose “leave out the oldest turns” in Settings.');
    expect(ms).toHaveLength(3);
  });

  it('"stop" sends everything when it fits, exactly fitting included', () => {
    const ms = [user(5), bot(5), user(5)];
    expect(fitToWindow(ms, count, { ...o, policy: 'stop' })).toEqual({ ok: true, messages: ms, dropped: 0, tokens: count(ms) });
    const exact = [sys(10), user(30), bot(32)];
    expect(fitToWindow(exact, count, { ...o, policy: 'stop' })).toEqual({ ok: true, messages: exact, dropped: 0, tokens: 80 });
  });

  it('names both policies', () => {
    expect(OVERFLOW_POLICIES).toEqual(['drop-oldest', 'stop']);
  });

  it('keeps as many of the latest turns as fit, never starting at a reply', () => {
    // Each turn is 2 + 20 + 2 + 20 = 44 tokens; the last user message 12.
    const ms = [user(20), bot(20), user(20), bot(20), user(20), bot(20), user(10)];
    const fit = fitToWindow(ms, count, { contextWindow: 200, maxTokens: 50, policy: 'drop-oldest' });
    // Budget 150: 2 + 44 + 44 + 12 = 102 fits, three turns (2 + 132 + 12 = 146) fit too: nothing dropped?
    expect(count(ms)).toBe(146);
    expect(fit).toMatchObject({ ok: true, dropped: 0 });
    const tight = fitToWindow(ms, count, { contextWindow: 200, maxTokens: 99, policy: 'drop-oldest' });
    // Budget 101: the last turn plus the newest message (2 + 44 + 12 = 58) fits, two turns (102) do not.
    expect(tight).toEqual({ ok: true, messages: ms.slice(4), dropped: 4, tokens: 58 });
    if (tight.ok) expect(tight.messages[0]!.role).toBe('user');
  });

  it('keeps only the newest message when only it fits', () => {
    const ms = [sys(4), user(30), bot(30), user(30)];
    const fit = fitToWindow(ms, count, o);
    expect(fit).toEqual({ ok: true, messages: [ms[0], ms[3]], dropped: 2, tokens: 2 + 6 + 32 });
  });

  it('keeps a reply being continued together with its question', () => {
    const ms = [user(30), bot(30), user(20), bot(20)];
    const fit = fitToWindow(ms, count, o);
    expect(fit).toEqual({ ok: true, messages: ms.slice(2), dropped: 2, tokens: 2 + 22 + 22 });
  });

  it('never sends a reply being continued without its question', () => {
    const ms = [user(10), bot(10), user(50), bot(30)]; // the last turn alone: 2 + 52 + 32 = 86
    expect(fitToWindow(ms, count, o)).toMatchObject({ ok: false, reason: 'too-long', tokens: 86 });
  });

  it('a conversation without any user message is kept whole or refused', () => {
    const ms = [bot(30), bot(60)];
    expect(fitToWindow(ms, count, o)).toMatchObject({ ok: false, reason: 'too-long', tokens: count(ms) });
    expect(fitToWindow([], () => 5, { contextWindow: 4, policy: 'drop-oldest' })).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('measures each candidate once: the whole conversation, each bisection probe, and the newest turn when refusing', () => {
    const c = counting();
    fitToWindow([sys(2), user(10), bot(10), user(90)], c.f, o);
    // Whole (4 messages), the only start (system + newest: 2), then the newest again for the words.
    expect(c.calls).toEqual([4, 2, 2, 1]);
    const d = counting();
    // Leaving out the first turn is enough: the bisection ends at the earliest start, never re-measuring the whole.
    const ms = [sys(2), user(30), bot(20), user(3), bot(3), user(3), bot(3), user(3)];
    expect(fitToWindow(ms, d.f, o)).toMatchObject({ ok: true, dropped: 2 });
    expect(d.calls.filter((n) => n === ms.length)).toHaveLength(1);
    expect(d.calls[0]).toBe(ms.length);
  });

  it('says the newest message is too long when even it does not fit', () => {
    const ms = [sys(4), user(10), bot(10), user(70)]; // 2 + 6 + 72 = 80 fits exactly
    expect(fitToWindow(ms, count, o)).toMatchObject({ ok: true, dropped: 2, tokens: 80 });
    const over = [sys(4), user(10), bot(10), user(71)];
    const fit = fitToWindow(over, count, o);
    expect(fit).toMatchObject({ ok: false, reason: 'too-long', tokens: 81, budget: 80 });
    if (fit.ok) throw new Error('unreachable');
    expect(fit.message).toMatch(/^Your message is too long for this model: with the system prompt it needs 81 prompt tokens/);
    expect(fit.message).toContain('holds 100 tokens, 20 of them kept for the reply');
  });

  it('without a system prompt the words name the chat template', () => {
    const fit = fitToWindow([user(80)], count, o);
    if (fit.ok) throw new Error('should not fit');
    expect(fit.message).toContain('with the chat template it needs 84 prompt tokens');
  });

  it('says the system prompt alone is too big when it is', () => {
    const fit = fitToWindow([sys(77), user(1)], count, o); // system alone: 2 + 79 = 81
    expect(fit).toMatchObject({ ok: false, reason: 'too-long' });
    if (fit.ok) throw new Error('unreachable');
    expect(fit.message).toMatch(/^The system prompt alone needs 81 prompt tokens, but the model's context window holds 100/);
    expect(fit.message).toContain('Shorten the system prompt');
    // Exactly at the budget the system prompt is not blamed: the message is.
    const edge = fitToWindow([sys(76), user(1)], count, o);
    if (edge.ok) throw new Error('should not fit');
    expect(edge.message).toMatch(/^Your message is too long/);
  });

  it('a single token is named in the singular', () => {
    const fit = fitToWindow([user(0)], () => 1, { contextWindow: 1, policy: 'drop-oldest' });
    expect(fit).toMatchObject({ ok: true, tokens: 1 });
    const none = fitToWindow([user(0)], () => 1, { contextWindow: 0, policy: 'drop-oldest' });
    if (none.ok) throw new Error('should not fit');
    expect(none.message).toContain('needs 1 prompt token,');
  });

  it('finds the earliest fitting start by bisection, with few counts', () => {
    const ms = [sys(2)];
    for (let i = 0; i < 64; i++) ms.push(user(3), bot(3));
    ms.push(user(3));
    const c = counting();
    const fit = fitToWindow(ms, c.f, { contextWindow: 200, maxTokens: 50, policy: 'drop-oldest' });
    if (!fit.ok) throw new Error('should fit');
    // Budget 150: 2 + 4 + 5 + 10·k ≤ 150 → 13 turns kept.
    expect(fit.messages).toHaveLength(1 + 13 * 2 + 1);
    expect(fit.dropped).toBe(128 - 26);
    expect(fit.tokens).toBe(count(fit.messages));
    expect(fit.messages.slice(1)).toEqual(ms.slice(1 + fit.dropped));
    expect(c.calls.length).toBeLessThanOrEqual(1 + 8);
    // The start found is the earliest: one more turn does not fit.
    expect(count([ms[0]!, ...ms.slice(fit.dropped - 1)])).toBeGreaterThan(150);
  });

  it('every kept tail starts at a user message, whatever the budget', () => {
    const ms = [sys(1), user(1), bot(7), user(2), bot(1), bot(3), user(5), bot(2), user(1)];
    for (let window = 10; window <= 80; window++) {
      const fit = fitToWindow(ms, count, { contextWindow: window, maxTokens: 0, policy: 'drop-oldest' });
      if (!fit.ok) {
        expect(count([ms[0]!, ms.at(-1)!])).toBeGreaterThan(window);
        continue;
      }
      expect(fit.messages[0]).toBe(ms[0]);
      expect(fit.messages.at(-1)).toBe(ms.at(-1));
      expect(fit.tokens).toBeLessThanOrEqual(window);
      if (fit.dropped > 0) expect(fit.messages[1]!.role).toBe('user');
      expect(fit.messages).toHaveLength(ms.length - fit.dropped);
    }
  });

  it('an empty conversation fits', () => {
    expect(fitToWindow([], count, o)).toEqual({ ok: true, messages: [], dropped: 0, tokens: 2 });
  });
});
