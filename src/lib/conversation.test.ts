import { describe, expect, it } from 'vitest';
import {
  ROOT,
  UNTITLED,
  linkLinearMessages,
  visiblePath,
  appendMessage,
  cleanTitle,
  createConversation,
  renameConversation,
  TITLE_INPUT_MAX_CHARS,
  promptMessages,
  settleInterrupted,
  sortByRecent,
  titleFrom,
  updateMessage,
  type Message,
} from './conversation';

const msg = (role: Message['role'], content: string, state: Message['state'] = 'done'): Message => ({
  id: `${role}-${content}`,
  role,
  content,
  state,
  createdAt: 0,
});

describe('conversation reducers', () => {
  it('titles a conversation from its first user message', () => {
    let c = createConversation(1);
    expect(c.title).toBe(UNTITLED);
    c = appendMessage(c, msg('user', '  How do I   cache\nweights? '), 2);
    expect(c.title).toBe('How do I cache weights?');
    c = appendMessage(c, msg('user', 'another question'), 3);
    expect(c.title).toBe('How do I cache weights?');
    expect(c.updatedAt).toBe(3);
    expect(titleFrom('x'.repeat(100))).toHaveLength(60);
  });

  it('updates one message without touching the others or the original', () => {
    const c = appendMessage(appendMessage(createConversation(), msg('user', 'a')), msg('assistant', '', 'streaming'));
    const d = updateMessage(c, 'assistant-', { content: 'hi', state: 'done' });
    expect(d.messages[1]).toMatchObject({ content: 'hi', state: 'done' });
    expect(c.messages[1]).toMatchObject({ content: '', state: 'streaming' });
    expect(d.messages[0]).toBe(c.messages[0]);
  });

  it('sends the model finished and stopped turns only', () => {
    let c = createConversation();
    for (const m of [
      msg('user', 'q1'),
      msg('assistant', 'partial', 'stopped'),
      msg('user', 'q2'),
      msg('assistant', 'oops', 'error'),
      msg('assistant', '', 'done'),
    ]) {
      c = appendMessage(c, m);
    }
    expect(promptMessages(c)).toEqual([
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'partial' },
      { role: 'user', content: 'q2' },
    ]);
  });

  it('settles replies left streaming by a closed tab', () => {
    const c = appendMessage(createConversation(), msg('assistant', 'half', 'streaming'));
    expect(settleInterrupted(c).messages[0]!.state).toBe('stopped');
    const done = appendMessage(createConversation(), msg('assistant', 'all'));
    expect(settleInterrupted(done)).toBe(done);
  });

  it('sorts by most recent', () => {
    const a = { ...createConversation(1), updatedAt: 5 };
    const b = { ...createConversation(1), updatedAt: 9 };
    expect(sortByRecent([a, b]).map((c) => c.updatedAt)).toEqual([9, 5]);
  });
});

describe('draft spans', async () => {
  const { addDraftSpan, splitByDraftSpans } = await import('./conversation');
  it('merge adjacent pieces and split content for display', () => {
    const spans: [number, number][] = [];
    addDraftSpan(spans, 2, 4);
    addDraftSpan(spans, 4, 6);
    addDraftSpan(spans, 8, 9);
    addDraftSpan(spans, 9, 9);
    expect(spans).toEqual([
      [2, 6],
      [8, 9],
    ]);
    expect(splitByDraftSpans('abcdefghij', spans)).toEqual([
      { text: 'ab', draft: false },
      { text: 'cdef', draft: true },
      { text: 'gh', draft: false },
      { text: 'i', draft: true },
      { text: 'j', draft: false },
    ]);
    expect(splitByDraftSpans('abc', undefined)).toEqual([{ text: 'abc', draft: false }]);
    expect(splitByDraftSpans('ab', [[1, 10]])).toEqual([
      { text: 'a', draft: false },
      { text: 'b', draft: true },
    ]);
  });
});

describe('conversation tree', () => {
  it('appends after the visible path and shows the selected (else latest) child of each parent', () => {
    let c = createConversation();
    c = appendMessage(c, msg('user', 'q'));
    c = appendMessage(c, msg('assistant', 'a1'));
    expect(c.messages[1]!.parentId).toBe('user-q');
    // An alternative reply: a sibling of a1.
    c = appendMessage(c, { ...msg('assistant', 'a2'), parentId: 'user-q' });
    expect(visiblePath(c).map((m) => m.content)).toEqual(['q', 'a2']);
    c = { ...c, selected: { ...c.selected, 'user-q': 'assistant-a1' } };
    expect(visiblePath(c).map((m) => m.content)).toEqual(['q', 'a1']);
    c = appendMessage(c, msg('user', 'follow-up'));
    expect(c.messages.at(-1)!.parentId).toBe('assistant-a1');
    expect(promptMessages(c).map((m) => m.content)).toEqual(['q', 'a1', 'follow-up']);
    // A stale selection falls back to the latest child.
    c = { ...c, selected: { [ROOT]: 'gone' } };
    expect(visiblePath(c)[0]!.content).toBe('q');
  });

  it('links a schema-1 list into a chain', () => {
    const c = { ...createConversation(), messages: [msg('user', 'a'), msg('assistant', 'b'), msg('user', 'c')] };
    expect(linkLinearMessages(c).messages.map((m) => m.parentId)).toEqual([undefined, 'user-a', 'assistant-b']);
  });
});

describe('renaming', () => {
  it('keeps a title the person typed when the first message is sent later', () => {
    const named = renameConversation(createConversation(1), 'Budget', 5);
    expect(named).toMatchObject({ title: 'Budget', titleByUser: true, updatedAt: 5 });
    expect(appendMessage(named, msg('user', 'first question'), 6).title).toBe('Budget');
    expect(cleanTitle('  two \n words ')).toBe('two words');
    expect(cleanTitle(' \t ')).toBeUndefined();
    expect(cleanTitle('x'.repeat(TITLE_INPUT_MAX_CHARS + 5))).toHaveLength(TITLE_INPUT_MAX_CHARS);
  });
});
