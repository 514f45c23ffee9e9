// Reading back what documents add to a conversation: the passages a reply was given and the
// conversation's retrieval settings, kept exactly, each field checked.
import { describe, expect, it } from 'vitest';
import type { Conversation } from './conversation';
import { exportJson } from './conversation-export';
import { parseImport } from './conversation-import';

function withSources(): Conversation {
  return {
    id: 'c1',
    title: 'Contract',
    createdAt: 1,
    updatedAt: 2,
    settings: { retrieval: false, passages: 6, collections: ['Contracts'] },
    messages: [
      { id: 'u1', role: 'user', content: 'When is payment due?', state: 'done', createdAt: 1 },
      {
        id: 'a1',
        role: 'assistant',
        content: 'In 30 days [1].',
        state: 'done',
        createdAt: 2,
        parentId: 'u1',
        sources: [
          { n: 1, docId: 'd1', docName: 'contract.md', passageId: 'p1', text: 'Payment is due in 30 days.', page: 2, heading: 'Terms' },
        ],
      },
    ],
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function reason(change: (c: any) => void): string {
  const c = structuredClone(withSources());
  change(c);
  const r = parseImport(exportJson([c], 0), 1);
  if (r.ok) throw new Error('expected a refusal');
  return r.reason;
}

describe('import: sources and retrieval settings', () => {
  it('reads back exactly what export wrote', () => {
    expect(parseImport(exportJson([withSources()], 0), 1)).toEqual({ ok: true, conversations: [withSources()] });
  });

  it('refuses a wrong field with where and what', () => {
    const at = 'conversation 1 ("Contract"), message 2 (id "a1"): "sources"';
    expect(reason((c) => (c.messages[1].sources = 'x'))).toBe(`${at} must be a list of passages (found the text "x")`);
    expect(reason((c) => delete c.messages[1].sources[0].docName)).toBe(`${at} item 1: "docName" is missing`);
    expect(reason((c) => (c.messages[1].sources[0].page = '2'))).toBe(`${at} item 1: "page" must be a number (found the text "2")`);
    expect(reason((c) => (c.settings.collections = [1]))).toBe(
      'conversation 1 ("Contract"): "settings": "collections" item 1 must be text (found number 1)',
    );
    expect(reason((c) => (c.settings.retrieval = 'yes'))).toBe(
      'conversation 1 ("Contract"): "settings": "retrieval" must be true or false (found the text "yes")',
    );
  });
});
