import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplyStream } from './reply-stream';
import { chatRequest } from './chat-request';
import { appendMessage, createConversation, type Message } from '../../lib/conversation';

describe('a streaming reply', () => {
  const frames: (() => void)[] = [];
  beforeEach(() => vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb)));
  afterEach(() => vi.unstubAllGlobals());

  it('shows new text once per frame, after what a continued reply held, with draft spans shifted', () => {
    const shown: unknown[] = [];
    const s = new ReplyStream({ content: 'abc', draftSpans: [[0, 1]] }, (t) => shown.push(t));
    expect(s.continued).toBe(true);
    s.push('de', true);
    s.push('f', false);
    expect(shown).toEqual([]);
    frames.shift()!();
    expect(shown).toEqual([
      {
        content: 'abcdef',
        draftSpans: [
          [0, 1],
          [3, 5],
        ],
      },
    ]);
    expect(s.final('def!')).toEqual({
      content: 'abcdef!',
      draftSpans: [
        [0, 1],
        [3, 5],
      ],
    });
  });

  it('a new reply starts empty, and flush gives what arrived', () => {
    const s = new ReplyStream(undefined, () => {});
    expect(s.continued).toBe(false);
    s.push('hi', false);
    expect(s.flush()).toEqual({ content: 'hi', draftSpans: [] });
  });
});

describe('the chat request', () => {
  const msg = (id: string, role: Message['role'], content: string): Message => ({ id, role, content, state: 'done', createdAt: 0 });
  const c = appendMessage(appendMessage(createConversation(), msg('q', 'user', 'hi')), msg('a', 'assistant', 'hel'));
  const settings = { systemPrompt: '  be brief ', temperature: 0.5, topP: 0.9, overflow: 'stop' as const };

  it('sends the visible path after the system prompt, flagged when continuing its last reply', () => {
    const r = chatRequest(c, 'm', settings, { mode: 'off', draftTokens: 0 }, true);
    expect(r).toMatchObject({ modelId: 'm', temperature: 0.5, topP: 0.9, overflow: 'stop', continueReply: true });
    expect(r.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hel' },
    ]);
    expect(chatRequest(c, 'm', { ...settings, systemPrompt: '' }, { mode: 'off', draftTokens: 0 })).not.toHaveProperty('continueReply');
  });
});
