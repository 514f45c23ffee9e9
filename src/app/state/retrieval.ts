// Retrieval for one reply: when retrieval is on for the conversation and it has ready documents,
// search them with the question, keep the best passages that fit the context window left over by
// the reply room and the conversation (estimated from characters; the worker's fitting counts them
// exactly later), and give back the passages (stored on the reply) and the text that goes into the
// system message. Passages the model was given are numbered from 1, so `[n]` in the reply cites them.

import type { CollectionId, Passage } from '../../docs/protocol';
import { DEFAULT_RETRIEVAL_PASSAGES, promptMessages, type Conversation, type MessageSource } from '../../lib/conversation';
import { conversationCollection, estimateTokens, sourcesBudget } from '../../lib/doc-files';
import { fitSources, sourcesPrompt } from '../../lib/docs/prompt';
import type { DocumentsState } from './documents.svelte';

export interface Retrieved {
  sources: MessageSource[];
  /** The numbered passages and how to cite them, for the system message. */
  prompt: string;
}

export interface RetrievalWindow {
  /** The loaded model's context window; absent when unknown (a remote model). */
  contextWindow?: number;
  maxTokens?: number;
  systemPrompt: string;
}

export interface Retrieval {
  /** Passages for a reply in `c` to `query`, or undefined when retrieval is off or finds nothing. */
  find(c: Conversation, query: string, window: RetrievalWindow): Promise<Retrieved | undefined>;
  /** The system-message text of passages given before (a continued reply). */
  prompt(sources: readonly MessageSource[]): string;
  /** Deletes the documents of a conversation deleted for good. */
  forget(convId: string): Promise<void>;
}

/** Used when the model's window is unknown (a remote model): a small window, so the passages never crowd the conversation out. */
const UNKNOWN_WINDOW = 4096;

/** Whether a reply in `c` searches its documents (its own and attached collections): its own setting, else on when it has documents. */
export function retrievalOn(c: Conversation, hasDocs: boolean): boolean {
  return hasDocs && (c.settings?.retrieval ?? true);
}

export function retriever(docs: DocumentsState): Retrieval {
  const find: Retrieval['find'] = async (c, query, w) => {
    // The conversation's own documents and the named collections attached to it.
    const named = (c.settings?.collections ?? []).map((n): CollectionId => `named:${n}`);
    const collections = [conversationCollection(c.id), ...named].filter((x) => docs.mayHave(x));
    if (!collections.length) return undefined;
    for (const x of collections) await docs.load(x);
    const hasDocs = collections.some((x) => docs.ready(x).length > 0);
    if (!retrievalOn(c, hasDocs)) return undefined;
    const k = c.settings?.passages ?? DEFAULT_RETRIEVAL_PASSAGES;
    const found = await docs.search(collections, query, k);
    if (!found.length) return undefined;
    const conversationChars = w.systemPrompt.length + promptMessages(c).reduce((n, m) => n + m.content.length, 0);
    const budget = sourcesBudget(conversationChars, w.contextWindow ?? UNKNOWN_WINDOW, w.maxTokens);
    // Numbered by rank among those kept, whatever fitting left out, so [n] always names sources[n-1].
    const kept = fitSources(found, budget, estimateTokens).map((p, i) => ({ ...p, n: i + 1 }));
    if (!kept.length) return undefined;
    return { sources: kept.map(toSource), prompt: sourcesPrompt(kept) };
  };
  return {
    find,
    prompt: (sources) => sourcesPrompt(sources),
    forget: (convId) => docs.forget(conversationCollection(convId)),
  };
}

/** A passage as the reply stores it: the protocol's Passage without its score. */
function toSource({ score: _score, ...source }: Passage): MessageSource {
  return source;
}
