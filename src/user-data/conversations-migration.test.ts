import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { expect, it } from 'vitest';
import { visiblePath } from '../lib/conversation';
import { SCHEMA_KEY } from './db';

it('migrates schema-1 conversations (plain lists) into trees that show the same messages', async () => {
  const raw = createStore('airgap-conversations', 'conversations');
  await set(SCHEMA_KEY, 1, raw);
  const messages = ['q1', 'a1', 'q2', 'a2'].map((content, i) => ({
    id: `m${i}`,
    role: i % 2 ? 'assistant' : 'user',
    content,
    state: 'done',
    createdAt: i,
  }));
  await set('c1', { id: 'c1', title: 'old', createdAt: 0, updatedAt: 1, messages }, raw);
  const { loadConversations, CONVERSATIONS_SCHEMA } = await import('./conversations');
  const [c] = await loadConversations();
  expect(c!.messages.map((m) => m.parentId)).toEqual([undefined, 'm0', 'm1', 'm2']);
  expect(visiblePath(c!).map((m) => m.content)).toEqual(['q1', 'a1', 'q2', 'a2']);
  const { get } = await import('idb-keyval');
  expect(await get(SCHEMA_KEY, raw)).toBe(CONVERSATIONS_SCHEMA);
});
