// Branch operations on a conversation's message tree (conversation.ts): alternatives of a message,
// paging through them, making a message visible, and deleting. Pure: each returns a new conversation.
// Deleting removes a message and everything that follows it (its whole subtree, every branch below
// it, since each was written after it); the parent then shows a remaining alternative (the one
// before, else the one after), or ends the path there; deleting the only message empties the list.

import { ROOT, type Conversation, type Message } from './conversation';

const keyOf = (m: Message): string => m.parentId ?? ROOT;

/** The alternatives at `id`'s place (itself included, creation order) and its 0-based index among them. */
export function siblingsOf(c: Conversation, id: string): { siblings: Message[]; index: number } {
  const self = c.messages.find((m) => m.id === id);
  if (!self) return { siblings: [], index: -1 };
  const siblings = c.messages.filter((m) => keyOf(m) === keyOf(self));
  return { siblings, index: siblings.indexOf(self) };
}

export interface BranchSpot {
  index: number;
  count: number;
}

/** Position text among alternatives ("2/3"), or undefined when there are none. */
export function positionText(spot: BranchSpot | undefined): string | undefined {
  return spot && spot.count > 1 ? `${spot.index + 1}/${spot.count}` : undefined;
}

/** Index and number of alternatives of every message, in one pass (for showing a whole path). */
export function branchIndex(c: Conversation): Map<string, BranchSpot> {
  const counts = new Map<string, number>();
  const at = new Map<string, number>();
  for (const m of c.messages) {
    const n = counts.get(keyOf(m)) ?? 0;
    at.set(m.id, n);
    counts.set(keyOf(m), n + 1);
  }
  const out = new Map<string, BranchSpot>();
  for (const m of c.messages) out.set(m.id, { index: at.get(m.id)!, count: counts.get(keyOf(m))! });
  return out;
}

/** Shows the alternative before (-1) or after (+1) `id`; unchanged at either end. */
export function selectSibling(c: Conversation, id: string, step: -1 | 1): Conversation {
  const { siblings, index } = siblingsOf(c, id);
  const next = siblings[index + step];
  if (index < 0 || !next) return c;
  return { ...c, selected: { ...c.selected, [keyOf(next)]: next.id } };
}

/** `id` and its ancestors, from the first message down to it (empty when `id` is unknown). */
export function lineage(c: Conversation, id: string): Message[] {
  const byId = new Map(c.messages.map((m) => [m.id, m]));
  const out: Message[] = [];
  for (let m = byId.get(id); m && out.length <= c.messages.length; m = m.parentId === undefined ? undefined : byId.get(m.parentId)) {
    out.push(m);
  }
  return out.reverse();
}

/** Selects every message on `id`'s lineage, so the visible path runs through it. */
export function selectPath(c: Conversation, id: string): Conversation {
  const chain = lineage(c, id);
  if (chain.length === 0) return c;
  const selected = { ...c.selected };
  for (const m of chain) selected[keyOf(m)] = m.id;
  return { ...c, selected };
}

/** Ids of `id` and every message below it. */
function subtree(c: Conversation, id: string): Set<string> {
  const out = new Set<string>([id]);
  // Messages are stored in creation order, so a child always comes after its parent.
  for (const m of c.messages) if (m.parentId !== undefined && out.has(m.parentId)) out.add(m.id);
  return out;
}

/** Deletes `id` and everything after it (see the header); unchanged when `id` is unknown. */
export function deleteMessage(c: Conversation, id: string, now = Date.now()): Conversation {
  const self = c.messages.find((m) => m.id === id);
  if (!self) return c;
  const gone = subtree(c, id);
  const messages = c.messages.filter((m) => !gone.has(m.id));
  const selected: Record<string, string> = {};
  for (const [key, child] of Object.entries(c.selected ?? {})) if (!gone.has(key) && !gone.has(child)) selected[key] = child;
  const { siblings, index } = siblingsOf(c, id);
  const fallback = siblings[index - 1] ?? siblings[index + 1];
  const key = keyOf(self);
  const shown = siblings.find((m) => m.id === c.selected?.[key]) ?? siblings.at(-1);
  if (shown === self) {
    if (fallback) selected[key] = fallback.id;
    else delete selected[key];
  }
  return { ...c, messages, selected, updatedAt: now };
}

/** The entries of `selected` that choose an existing child of an existing parent; undefined when none are left. */
export function cleanSelection(
  messages: readonly Message[],
  selected: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!selected) return undefined;
  const parentOf = new Map(messages.map((m) => [m.id, m.parentId ?? ROOT]));
  const kept = Object.entries(selected).filter(([parent, child]) => parentOf.get(child) === parent);
  return kept.length ? Object.fromEntries(kept) : undefined;
}
