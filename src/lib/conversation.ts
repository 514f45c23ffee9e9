// Conversation data and the pure reducers the chat state applies to it. Plain data only, so a
// conversation can be stored in IndexedDB and posted to the worker as it is. Messages form a tree
// through `parentId` (regenerated replies and edited questions are siblings); what the person sees
// and the model is sent is one path through it, chosen per parent in `selected`.

import type { SpecSummary } from './speculative/types';

export type Role = 'system' | 'user' | 'assistant';

/** A message as a chat template (and the worker) takes it. */
export interface ChatMessage {
  role: Role;
  content: string;
}
export type MessageState = 'streaming' | 'done' | 'stopped' | 'error';

/** Tokens and speeds of one reply, as the engine reports them. */
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

/** What speculative decoding did for one reply (as the engine reported it); replies saved before the
 * per-kind counts (speculative passes, step times) were reported lack them. */
export type MessageSpec = Omit<SpecSummary, 'specPasses' | 'specTokens' | 'specMs' | 'plainMs'> &
  Partial<Pick<SpecSummary, 'specPasses' | 'specTokens' | 'specMs' | 'plainMs'>>;

export interface Message {
  id: string;
  role: Role;
  content: string;
  state: MessageState;
  createdAt: number;
  modelId?: string;
  /** The remote server that answered, as the user named it; absent when this device answered. */
  server?: string;
  stats?: ChatUsage;
  spec?: MessageSpec;
  /** Character ranges [start, end) of the content that came from accepted draft tokens. */
  draftSpans?: [number, number][];
  /** How long the reply reasoned (<think>…</think>), measured while it streamed, in ms. */
  thinkMs?: number;
  /** User-facing reason when state is "error". */
  error?: string;
  /** The message this one follows; absent for a first message. Siblings are alternatives. */
  parentId?: string;
  /** Why the engine ended this reply ("length": it hit max tokens and can be continued). */
  finishReason?: 'stop' | 'length' | 'abort';
  /** The document passages given to the model for this reply, in rank order; `[n]` in it cites `sources[n-1]`. */
  sources?: MessageSource[];
}

/** A retrieved passage as stored on the reply that used it (the documents worker's Passage, without its score). */
export interface MessageSource {
  /** Rank, from 1: the number the reply cites as [n]. */
  n: number;
  docId: string;
  docName: string;
  passageId: string;
  text: string;
  /** The heading path above it ("Contract › 4. Payment"), when the document has headings. */
  heading?: string;
  page?: number;
}

/** Sampling and prompt settings of one conversation; an absent field uses the app-wide setting. */
export interface ConversationSettings {
  systemPrompt?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** Search this conversation's documents before each reply (absent: on, when it has documents). */
  retrieval?: boolean;
  /** How many passages a reply is given at most (absent: DEFAULT_RETRIEVAL_PASSAGES). */
  passages?: number;
  /** Named document collections searched with the conversation's own documents. */
  collections?: string[];
}

export const DEFAULT_RETRIEVAL_PASSAGES = 4;
export const MAX_RETRIEVAL_PASSAGES = 20;

export interface Conversation {
  id: string;
  title: string;
  /** The person named it: later messages never retitle it. */
  titleByUser?: boolean;
  createdAt: number;
  updatedAt: number;
  /** Every message written in this conversation, alternatives included, in creation order. */
  messages: Message[];
  /** The chosen child per parent id (ROOT for first messages); a parent without an entry shows its latest child. */
  selected?: Record<string, string>;
  settings?: ConversationSettings;
}

/** The key of `selected` for first messages (those without a parent). */
export const ROOT = '';

export const UNTITLED = 'New conversation';
const TITLE_MAX_CHARS = 60;
/** A typed title may be longer than a generated one; the list cuts it with an ellipsis. */
export const TITLE_INPUT_MAX_CHARS = 200;

export function newId(): string {
  return crypto.randomUUID();
}

export function createConversation(now = Date.now()): Conversation {
  return { id: newId(), title: UNTITLED, createdAt: now, updatedAt: now, messages: [] };
}

export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return UNTITLED;
  return line.length > TITLE_MAX_CHARS ? `${line.slice(0, TITLE_MAX_CHARS - 1)}…` : line;
}

/** A title the person typed, trimmed; undefined when there is nothing left to use. */
export function cleanTitle(text: string): string | undefined {
  const line = text.replace(/\s+/g, ' ').trim();
  return line ? line.slice(0, TITLE_INPUT_MAX_CHARS) : undefined;
}

/** Renamed by the person: kept from now on, whatever is sent next. */
export function renameConversation(c: Conversation, title: string, now = Date.now()): Conversation {
  return { ...c, title, titleByUser: true, updatedAt: now };
}

/** The messages shown, from the first to the newest: at each parent the selected (else latest) child. */
export function visiblePath(c: Conversation): Message[] {
  const children = new Map<string, Message[]>();
  for (const m of c.messages) {
    const key = m.parentId ?? ROOT;
    const list = children.get(key);
    if (list) list.push(m);
    else children.set(key, [m]);
  }
  const path: Message[] = [];
  let key = ROOT;
  for (;;) {
    const kids = children.get(key);
    if (!kids) return path;
    const chosen = kids.find((m) => m.id === c.selected?.[key]) ?? kids[kids.length - 1]!;
    path.push(chosen);
    key = chosen.id;
  }
}

/** Appends a message after the last visible one (its parent unless `message.parentId` is already set). */
export function appendMessage(c: Conversation, message: Message, now = Date.now()): Conversation {
  const first = !c.titleByUser && (c.messages.length === 0 || c.title === UNTITLED);
  const parentId = 'parentId' in message ? message.parentId : visiblePath(c).at(-1)?.id;
  const placed: Message = parentId === undefined ? { ...message } : { ...message, parentId };
  if (parentId === undefined) delete placed.parentId;
  return {
    ...c,
    title: first && message.role === 'user' ? titleFrom(message.content) : c.title,
    updatedAt: now,
    messages: [...c.messages, placed],
    selected: { ...c.selected, [parentId ?? ROOT]: placed.id },
  };
}

export function updateMessage(c: Conversation, id: string, patch: Partial<Message>, now = Date.now()): Conversation {
  return { ...c, updatedAt: now, messages: c.messages.map((m) => (m.id === id ? { ...m, ...patch } : m)) };
}

/** Messages a model should see: the visible path's finished or stopped turns, never failed or empty ones. */
export function promptMessages(c: Conversation): { role: Role; content: string }[] {
  return visiblePath(c)
    .filter((m) => m.state !== 'error' && m.state !== 'streaming' && m.content !== '')
    .map((m) => ({ role: m.role, content: m.content }));
}

/** A schema-1 conversation (a plain list) as a tree: each message follows the one before it. */
export function linkLinearMessages(c: Conversation): Conversation {
  const messages = c.messages.map((m, i) => (i === 0 ? m : { ...m, parentId: c.messages[i - 1]!.id }));
  return { ...c, messages };
}

/** A message left "streaming" by a crash or a closed tab is stopped, not streaming forever. */
export function settleInterrupted(c: Conversation): Conversation {
  if (!c.messages.some((m) => m.state === 'streaming')) return c;
  return { ...c, messages: c.messages.map((m) => (m.state === 'streaming' ? { ...m, state: 'stopped' } : m)) };
}

export function sortByRecent(list: readonly Conversation[]): Conversation[] {
  return [...list].sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Adds a streamed piece to a list of draft spans, merging with the previous span when adjacent. */
export function addDraftSpan(spans: [number, number][], start: number, end: number): void {
  if (end <= start) return;
  const last = spans.at(-1);
  if (last && last[1] === start) last[1] = end;
  else spans.push([start, end]);
}

/** Splits content into plain and draft pieces for display. */
export function splitByDraftSpans(content: string, spans: readonly [number, number][] | undefined): { text: string; draft: boolean }[] {
  if (!spans?.length) return [{ text: content, draft: false }];
  const out: { text: string; draft: boolean }[] = [];
  let at = 0;
  for (const [s, e] of spans) {
    const start = Math.min(Math.max(s, at), content.length);
    const end = Math.min(e, content.length);
    if (start > at) out.push({ text: content.slice(at, start), draft: false });
    if (end > start) out.push({ text: content.slice(start, end), draft: true });
    at = Math.max(at, end);
  }
  if (at < content.length) out.push({ text: content.slice(at), draft: false });
  return out;
}
