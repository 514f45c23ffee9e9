import 'fake-indexeddb/auto';
import { createStore, get, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { appendMessage, createConversation } from '../lib/conversation';
import {
  CONVERSATIONS_SCHEMA,
  ConversationSaver,
  deleteConversation,
  loadConversations,
  saveConversation,
  saveConversations,
} from './conversations';
import { SCHEMA_KEY, openVersionedStore } from './db';

describe('conversation storage (IndexedDB)', () => {
  it('saves, lists most recent first, settles streaming replies, and deletes', async () => {
    const a = { ...createConversation(1), title: 'a', updatedAt: 10 };
    const b = appendMessage(
      { ...createConversation(1), title: 'b' },
      { id: 'm', role: 'assistant', content: 'half', state: 'streaming', createdAt: 1 },
      20,
    );
    await saveConversation(a);
    await saveConversation(b);
    const list = await loadConversations();
    expect(list.map((c) => c.title)).toEqual(['b', 'a']);
    expect(list[0]!.messages[0]!.state).toBe('stopped');
    expect(await get(SCHEMA_KEY, createStore('airgap-conversations', 'conversations'))).toBe(CONVERSATIONS_SCHEMA);
    await deleteConversation(a.id);
    await deleteConversation(b.id);
    expect(await loadConversations()).toEqual([]);
  });

  it('saves several conversations at once', async () => {
    const a = { ...createConversation(1), title: 'a', updatedAt: 1 };
    const b = { ...createConversation(1), title: 'b', updatedAt: 2 };
    await saveConversations([a, b]);
    expect((await loadConversations()).map((c) => c.title)).toEqual(['b', 'a']);
    await deleteConversation(a.id);
    await deleteConversation(b.id);
  });

  it('debounces saves and writes the latest version on flush', async () => {
    const errors: unknown[] = [];
    const saver = new ConversationSaver((e) => errors.push(e));
    const c = createConversation();
    saver.schedule({ ...c, title: 'first' });
    saver.schedule({ ...c, title: 'second' });
    expect(await loadConversations()).toEqual([]);
    await saver.flush();
    expect((await loadConversations()).map((x) => x.title)).toEqual(['second']);
    saver.schedule({ ...c, title: 'forgotten' });
    saver.forget(c.id);
    await saver.flush();
    expect((await loadConversations()).map((x) => x.title)).toEqual(['second']);
    expect(errors).toEqual([]);
    await deleteConversation(c.id);
  });

  it('migrates older schemas once and refuses data from a newer build', async () => {
    const froms: number[] = [];
    const s1 = openVersionedStore('airgap-test-migrate', 'kv', 2, async (_store, from) => void froms.push(from));
    await s1.ready;
    const s2 = openVersionedStore('airgap-test-migrate', 'kv', 2, async (_store, from) => void froms.push(from));
    await s2.ready;
    expect(froms).toEqual([0]);
    await set(SCHEMA_KEY, 5, s2.store);
    const s3 = openVersionedStore('airgap-test-migrate', 'kv', 2, async () => {});
    await expect(s3.ready).rejects.toThrow(/newer version/);
  });
});

describe('settings storage', async () => {
  const { loadSettings, saveSettings } = await import('./settings');
  const { DEFAULT_SETTINGS } = await import('../lib/settings');
  it('round-trips and starts from defaults', async () => {
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
    const s = {
      ...DEFAULT_SETTINGS,
      temperature: 0,
      gpuMemoryGB: 12,
      perModel: { m: { contextWindow: 1024 } },
      remoteEndpoints: [{ id: 'lab', baseUrl: 'http://gpu:8000/v1', label: 'Lab', apiKey: 'sk-1', models: [{ id: 'big' }] }],
    };
    await saveSettings(s);
    expect(await loadSettings()).toEqual(s);
  });
});
