// Imported conversations merged into the ones already here, without duplicates. Rule: a conversation
// whose id is new is added; one whose id is already here becomes the union of both message trees
// (messages matched by id), with the title, settings, selected branches and the version of each
// shared message taken from whichever copy was updated last (the one here on a tie). Importing
// the same file twice therefore changes nothing the second time.

import { sortByRecent, type Conversation } from './conversation';
import { cleanSelection } from './branches';

export interface MergeResult {
  /** The whole new list, most recent first. */
  conversations: Conversation[];
  /** Conversations to write (added or changed). */
  changed: Conversation[];
  added: number;
  merged: number;
  /** Conversations of the file already here as they are. */
  unchanged: number;
}

/** One conversation from two copies with the same id; `here` itself when `incoming` adds nothing. */
export function mergeConversation(here: Conversation, incoming: Conversation): Conversation {
  const later = incoming.updatedAt > here.updatedAt ? incoming : here;
  const earlier = later === here ? incoming : here;
  const laterIds = new Set(later.messages.map((m) => m.id));
  const extra = earlier.messages.filter((m) => !laterIds.has(m.id));
  if (later === here && extra.length === 0) return here;
  // Stable: messages of one copy keep their order among equal times.
  const messages = [...later.messages, ...extra].sort((a, b) => a.createdAt - b.createdAt);
  const merged: Conversation = { ...later, messages };
  const selected = cleanSelection(messages, { ...earlier.selected, ...later.selected });
  if (selected) merged.selected = selected;
  else delete merged.selected;
  return merged;
}

export function mergeImport(here: readonly Conversation[], incoming: readonly Conversation[]): MergeResult {
  const byId = new Map(here.map((c) => [c.id, c]));
  const changed: Conversation[] = [];
  let added = 0;
  let merged = 0;
  for (const c of incoming) {
    const mine = byId.get(c.id);
    const next = mine ? mergeConversation(mine, c) : c;
    if (next === mine) continue;
    if (mine) merged++;
    else added++;
    byId.set(c.id, next);
    changed.push(next);
  }
  const conversations = changed.length ? sortByRecent([...byId.values()]) : [...here];
  return { conversations, changed, added, merged, unchanged: incoming.length - added - merged };
}

/** What an import did, in words for the person who chose the file. */
export function describeMerge(r: MergeResult): string {
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  if (r.added + r.merged === 0) {
    return r.unchanged ? 'Nothing new: every conversation in the file is already here.' : 'The file holds no conversations.';
  }
  const parts = [r.added && `${n(r.added, 'conversation')} added`, r.merged && `${n(r.merged, 'conversation')} merged`];
  if (r.unchanged) parts.push(`${r.unchanged} already here`);
  return `Imported: ${parts.filter(Boolean).join(', ')}.`;
}
