// Conversations in IndexedDB: one record per conversation keyed by id, in database
// "airgap-conversations". Runs on the page. Saves are debounced per conversation and can be
// flushed (on Stop, on page hide) so a reload never loses a finished reply.

import { del, entries, set, setMany, type UseStore } from 'idb-keyval';
import { linkLinearMessages, settleInterrupted, sortByRecent, type Conversation } from '../lib/conversation';
import { SCHEMA_KEY, openVersionedStore } from './db';

/** 1: messages as a list. 2: messages as a tree through `parentId` (alternatives), per-conversation settings.
 *  (2 also reads the optional `titleByUser`; absent means the title may still follow the first message.) */
export const CONVERSATIONS_SCHEMA = 2;
const SAVE_DEBOUNCE_MS = 400;

async function migrate(store: UseStore, from: number): Promise<void> {
  if (from >= 2) return;
  const all = await entries<string, unknown>(store);
  const changed = all.filter(([k, v]) => k !== SCHEMA_KEY && isConversation(v)).map(([k, v]) => [k, linkLinearMessages(v as Conversation)]);
  await setMany(changed as [IDBValidKey, Conversation][], store);
}

const db = openVersionedStore('airgap-conversations', 'conversations', CONVERSATIONS_SCHEMA, migrate);

function isConversation(v: unknown): v is Conversation {
  const c = v as Conversation;
  return typeof c === 'object' && c !== null && typeof c.id === 'string' && Array.isArray(c.messages);
}

export async function loadConversations(): Promise<Conversation[]> {
  await db.ready;
  const all = await entries<string, unknown>(db.store);
  return sortByRecent(all.filter(([k, v]) => k !== SCHEMA_KEY && isConversation(v)).map(([, v]) => settleInterrupted(v as Conversation)));
}

export async function saveConversation(c: Conversation): Promise<void> {
  await db.ready;
  await set(c.id, c, db.store);
}

/** Writes several conversations in one transaction: all of them or, on failure, none. */
export async function saveConversations(list: readonly Conversation[]): Promise<void> {
  await db.ready;
  await setMany(
    list.map((c) => [c.id, c]),
    db.store,
  );
}

export async function deleteConversation(id: string): Promise<void> {
  await db.ready;
  await del(id, db.store);
}

/** Debounced saving with an explicit flush. `onError` receives quota and other write failures. */
export class ConversationSaver {
  readonly #pending = new Map<string, Conversation>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  schedule(c: Conversation): void {
    this.#pending.set(c.id, c);
    if (this.#timer === undefined) this.#timer = setTimeout(() => void this.flush(), SAVE_DEBOUNCE_MS);
  }

  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    await Promise.all(batch.map((c) => saveConversation(c).catch(this.#onError)));
  }

  forget(id: string): void {
    this.#pending.delete(id);
  }
}
