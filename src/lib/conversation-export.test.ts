import { describe, expect, it } from 'vitest';
import { ROOT, type Conversation, type Message } from './conversation';
import { buildExport, conversationMarkdown, exportFileName, exportJson, markdownFileName } from './conversation-export';

const msg = (id: string, role: Message['role'], content: string, extra: Partial<Message> = {}): Message => ({
  id,
  role,
  content,
  state: 'done',
  createdAt: 0,
  ...extra,
});

const conv = (): Conversation => ({
  id: 'c',
  title: 'Tables',
  createdAt: 0,
  updatedAt: 2,
  messages: [
    msg('u1', 'user', 'Make a table'),
    msg('a1', 'assistant', 'old reply', { parentId: 'u1' }),
    msg('a2', 'assistant', '| a | b |\n|---|---|\n| 1 | 2 |', { parentId: 'u1' }),
    msg('u2', 'user', 'Thanks', { parentId: 'a2' }),
    msg('a3', 'assistant', '', { parentId: 'u2', state: 'error', error: 'The GPU device was lost' }),
  ],
  selected: { [ROOT]: 'u1', u1: 'a2', a2: 'u2', u2: 'a3' },
});

describe('export', () => {
  it('writes a versioned document with every conversation, most recent first, replies left streaming stopped', () => {
    const older = { ...conv(), id: 'old', updatedAt: 1, messages: [msg('s', 'assistant', 'half', { state: 'streaming' })] };
    const doc = buildExport([older, conv()], Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(doc.format).toBe('airgap-conversations');
    expect(doc.version).toBe(1);
    expect(doc.exportedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(doc.conversations.map((c) => c.id)).toEqual(['c', 'old']);
    expect(doc.conversations[0]).toEqual(conv());
    expect(doc.conversations[1]!.messages[0]!.state).toBe('stopped');
    expect(JSON.parse(exportJson([conv()], 0))).toEqual(buildExport([conv()], 0));
  });

  it('names the JSON file by date', () => {
    expect(exportFileName(Date.UTC(2026, 10, 26, 23))).toBe('airgap-conversations-2026-11-26.json');
  });

  it('writes the visible path as Markdown with roles as headings, the system prompt and what failed', () => {
    const c = { ...conv(), settings: { systemPrompt: ' Be brief ' } };
    expect(conversationMarkdown(c)).toBe(
      [
        '# Tables',
        '## System prompt\n\nBe brief',
        '## User\n\nMake a table',
        '## Assistant\n\n| a | b |\n|---|---|\n| 1 | 2 |',
        '## User\n\nThanks',
        '## Assistant\n\n_This reply failed: The GPU device was lost_',
      ].join('\n\n') + '\n',
    );
  });

  it('marks a stopped reply and a failed one without a reason', () => {
    const c: Conversation = {
      ...conv(),
      messages: [
        msg('u', 'user', 'Hi'),
        msg('a', 'assistant', 'Hel', { parentId: 'u', state: 'stopped' }),
        msg('b', 'assistant', 'x', { parentId: 'u', state: 'error' }),
      ],
      selected: { u: 'a' },
    };
    expect(conversationMarkdown(c)).toBe('# Tables\n\n## User\n\nHi\n\n## Assistant\n\nHel\n\n_(stopped)_\n');
    expect(conversationMarkdown({ ...c, selected: { u: 'b' } })).toContain('## Assistant\n\nx\n\n_This reply failed: unknown error_\n');
    expect(conversationMarkdown({ ...c, messages: [{ ...c.messages[0]!, state: 'stopped', content: '' }] })).toBe(
      '# Tables\n\n## User\n\n_(stopped)_\n',
    );
    // Settings without a system prompt add no section.
    expect(conversationMarkdown({ ...c, settings: { temperature: 0 } })).toBe(conversationMarkdown(c));
  });

  it('makes a safe Markdown file name from any title', () => {
    expect(markdownFileName('Crème brûlée: 3 ways?')).toBe('creme-brulee-3-ways.md');
    expect(markdownFileName('../../etc/passwd')).toBe('etc-passwd.md');
    expect(markdownFileName('日本語')).toBe('conversation.md');
    expect(markdownFileName(`${'word '.repeat(20)}`)).toBe(`${'word-'.repeat(11)}word.md`);
  });
});
