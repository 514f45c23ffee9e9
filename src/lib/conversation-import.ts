// Reading a conversations export back (the format `conversation-export.ts` writes), trusting
// nothing in it: size, JSON, format and version, the type of every field, and the ids (unique,
// each parentId inside its conversation, no cycles). A refusal names the conversation, message and
// field. What comes out is rebuilt field by field (unknown fields dropped, a reply left streaming
// stopped, `selected` entries that point nowhere removed), so it is safe to store and render.

import {
  UNTITLED,
  settleInterrupted,
  type Conversation,
  type ConversationSettings,
  type Message,
  type MessageSource,
  type MessageSpec,
} from './conversation';
import { cleanSelection } from './branches';
import { EXPORT_FORMAT, EXPORT_VERSION } from './conversation-export';
import {
  Invalid,
  bool,
  describe,
  fail,
  id,
  isRecord,
  isWholeNumber,
  nested,
  num,
  oneOf,
  opt,
  quote,
  readFields,
  req,
  text,
  type Reader,
  type Rules,
} from './field-readers';

/** Larger files are refused before they are read: ample for years of text chats, small enough to parse. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export type ImportResult = { ok: true; conversations: Conversation[] } | { ok: false; reason: string };

/** Why a file of `bytes` bytes is refused before reading it, or undefined. */
export function importSizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_IMPORT_BYTES) return undefined;
  const mb = (n: number) => `${Number((n / 1024 / 1024).toFixed(1))} MB`;
  return `the file is ${mb(bytes)}; the largest accepted is ${mb(MAX_IMPORT_BYTES)}`;
}

export function parseImport(text: string, bytes: number): ImportResult {
  const tooBig = importSizeProblem(bytes);
  if (tooBig) return { ok: false, reason: tooBig };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `the file is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  try {
    return { ok: true, conversations: readExport(data) };
  } catch (err) {
    // Only Invalid is thrown on purpose; anything else still refuses the file, with what went wrong.
    return { ok: false, reason: (err as Error).message };
  }
}

function readExport(data: unknown): Conversation[] {
  if (!isRecord(data)) throw new Invalid(`the file must hold a JSON object (found ${describe(data)})`);
  if (data.format !== EXPORT_FORMAT) {
    throw new Invalid(`this is not an Airgap conversations export ("format" is ${describe(data.format)}, expected "${EXPORT_FORMAT}")`);
  }
  const version = data.version;
  if (!isWholeNumber(version) || version < 1) {
    throw new Invalid(`"version" must be a whole number from 1 (found ${describe(version)})`);
  }
  if (version > EXPORT_VERSION) {
    throw new Invalid(
      `the file was written by a newer version of Airgap (format version ${version}; this version reads up to ${EXPORT_VERSION}). Update Airgap, then import it again`,
    );
  }
  if (!Array.isArray(data.conversations)) throw new Invalid(`"conversations" must be a list (found ${describe(data.conversations)})`);
  const list = data.conversations.map((c, i) => readConversation(c, i + 1));
  const firstIndex = new Map<string, number>();
  list.forEach((c, i) => {
    const earlier = firstIndex.get(c.id);
    if (earlier !== undefined) throw new Invalid(`conversations ${earlier + 1} and ${i + 1} have the same id ${quote(c.id)}`);
    firstIndex.set(c.id, i);
  });
  return list;
}

const spans: Reader<[number, number][]> = (v, where) => {
  if (!Array.isArray(v)) fail(where, 'a list of [start, end] pairs', v);
  return v.map((pair, i) => {
    const ok = Array.isArray(pair) && pair.length === 2 && pair.every((n) => Number.isInteger(n) && n >= 0) && pair[0] <= pair[1];
    return ok
      ? ([pair[0], pair[1]] as [number, number])
      : fail(`${where} item ${i + 1}`, 'a pair [start, end] of whole numbers, start ≤ end', pair);
  });
};

const SOURCE_RULES: Rules<MessageSource> = {
  n: req(num),
  docId: req(id),
  docName: req(text),
  passageId: req(id),
  text: req(text),
  heading: opt(text),
  page: opt(num),
};
const sources: Reader<MessageSource[]> = (v, where) =>
  Array.isArray(v) ? v.map((s, i) => readFields(s, SOURCE_RULES, `${where} item ${i + 1}`)) : fail(where, 'a list of passages', v);

const texts: Reader<string[]> = (v, where) =>
  Array.isArray(v) ? v.map((t, i) => text(t, `${where} item ${i + 1}`)) : fail(where, 'a list of names', v);

const selection: Reader<Record<string, string>> = (v, where) => {
  if (!isRecord(v)) fail(where, 'an object of message ids', v);
  const out: Record<string, string> = {};
  for (const [k, child] of Object.entries(v)) out[k] = id(child, `${where} entry ${quote(k)}`);
  return out;
};

const SPEC_RULES: Rules<MessageSpec> = {
  used: req(oneOf('off', 'prompt-lookup', 'draft-model')),
  reason: opt(text),
  drafted: req(num),
  accepted: req(num),
  targetPasses: req(num),
  passTokens: req(num),
  specPasses: opt(num),
  specTokens: opt(num),
  specMs: opt(num),
  plainMs: opt(num),
};

const MESSAGE_RULES: Rules<Message> = {
  id: req(id),
  role: req(oneOf('system', 'user', 'assistant')),
  content: req(text),
  state: req(oneOf('streaming', 'done', 'stopped', 'error')),
  createdAt: req(num),
  modelId: opt(text),
  server: opt(text),
  stats: opt(
    nested({ promptTokens: req(num), completionTokens: req(num), prefillTokensPerSecond: req(num), decodeTokensPerSecond: req(num) }),
  ),
  spec: opt(nested(SPEC_RULES)),
  draftSpans: opt(spans),
  error: opt(text),
  parentId: opt(id),
  finishReason: opt(oneOf('stop', 'length', 'abort')),
  thinkMs: opt(num),
  sources: opt(sources),
};

const SETTINGS_RULES: Rules<ConversationSettings> = {
  systemPrompt: opt(text),
  temperature: opt(num),
  topP: opt(num),
  maxTokens: opt(num),
  retrieval: opt(bool),
  passages: opt(num),
  collections: opt(texts),
};

const CONVERSATION_RULES: Rules<Omit<Conversation, 'messages'>> = {
  id: req(id),
  title: req(text),
  titleByUser: opt(bool),
  createdAt: req(num),
  updatedAt: req(num),
  selected: opt(selection),
  settings: opt(nested(SETTINGS_RULES)),
};

function readConversation(v: unknown, n: number): Conversation {
  const title = isRecord(v) && typeof v.title === 'string' ? ` (${quote(v.title)})` : '';
  const where = `conversation ${n}${title}`;
  const head = readFields(v, CONVERSATION_RULES, where);
  const raw = (v as Record<string, unknown>).messages;
  if (!Array.isArray(raw)) fail(`${where}: "messages"`, 'a list', raw);
  const messages = raw.map((m, i) => {
    const mid = isRecord(m) && typeof m.id === 'string' ? ` (id ${quote(m.id)})` : '';
    return readFields(m, MESSAGE_RULES, `${where}, message ${i + 1}${mid}`);
  });
  checkTree(messages, where);
  const c: Conversation = { ...head, title: head.title.trim() || UNTITLED, messages };
  const selected = cleanSelection(messages, head.selected);
  if (selected) c.selected = selected;
  else delete c.selected;
  return settleInterrupted(c);
}

/** Ids unique, every parentId a message of this conversation, and no message its own ancestor. */
function checkTree(messages: readonly Message[], where: string): void {
  const index = new Map<string, number>();
  messages.forEach((m, i) => {
    const earlier = index.get(m.id);
    if (earlier !== undefined) throw new Invalid(`${where}: messages ${earlier + 1} and ${i + 1} have the same id ${quote(m.id)}`);
    index.set(m.id, i);
  });
  const at = (i: number) => `${where}, message ${i + 1} (id ${quote(messages[i]!.id)})`;
  messages.forEach((m, i) => {
    if (m.parentId !== undefined && !index.has(m.parentId)) {
      throw new Invalid(`${at(i)}: "parentId" ${quote(m.parentId)} is not a message of this conversation`);
    }
  });
  // Walk each message's ancestors once; a walk that meets itself is a cycle.
  const settled = new Set<string>();
  messages.forEach((m, i) => {
    const seen = new Set<string>();
    for (let cur: Message | undefined = m; cur && !settled.has(cur.id);) {
      if (seen.has(cur.id)) throw new Invalid(`${at(i)}: its "parentId" chain loops back on itself`);
      seen.add(cur.id);
      // A first message has no parent: its lookup finds no index, and the walk ends.
      cur = messages[index.get(cur.parentId as string) as number];
    }
    for (const s of seen) settled.add(s);
  });
}
