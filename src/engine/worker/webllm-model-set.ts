// Which models one WebLLM reload puts in the engine: the chat model, the draft model drafting for it,
// and an embedding model for `embed` (WebLLM 0.2.86 loads every id of `reload(ids, chatOpts)` in
// turn into one engine). When the whole set does not load, fewer are tried, and the extras that were
// dropped are named with the reason: they speed replies up or add vectors, and must never cost the
// user the chat model. Runs in the engine worker.

import { ModelType, type ChatOptions, type MLCEngine, type ModelRecord } from '@mlc-ai/web-llm';
import { messageOf } from '../../lib/message';

export interface ModelSet {
  /** The chat model, then its draft model when there is one. */
  chat: string[];
  embed?: string;
}

/** The sets to try, most wanted first: all of them, then without the embedding model, then the chat model alone. */
export function loadAttempts(modelId: string, draftId?: string, embedId?: string): ModelSet[] {
  const chat = draftId ? [modelId, draftId] : [modelId];
  const attempts: ModelSet[] = embedId ? [{ chat, embed: embedId }] : [];
  attempts.push({ chat });
  if (draftId) attempts.push({ chat: [modelId] });
  return attempts;
}

/** Why `id` cannot be loaded as the embedding model, or undefined when it can. */
export function embeddingRefusal(records: readonly ModelRecord[], id: string): string | undefined {
  const record = records.find((r) => r.model_id === id);
  if (!record) return `the embedding model "${id}" is not in the catalog`;
  if (record.model_type !== ModelType.embedding) return `"${id}" is not an embedding model`;
  return undefined;
}

export const idsOf = (set: ModelSet): string[] => (set.embed ? [...set.chat, set.embed] : set.chat);

/**
 * Reloads the first set that loads. `fatal` errors (no GPU) are thrown at once, as is the last
 * attempt's. The embedding model takes no chat options: its context and prefill chunk come from its
 * own config, and WebLLM refuses them unequal.
 */
export async function reloadSet(
  engine: Pick<MLCEngine, 'reload'>,
  attempts: readonly ModelSet[],
  optionsOf: (id: string) => ChatOptions,
  fatal: (err: unknown) => boolean,
): Promise<{ set: ModelSet; embedNote?: string; draftNote?: string }> {
  const notes: { embedNote?: string; draftNote?: string } = {};
  for (const [i, set] of attempts.entries()) {
    try {
      await engine.reload(idsOf(set), [...set.chat.map(optionsOf), ...(set.embed ? [{}] : [])]);
      return { set, ...notes };
    } catch (err) {
      const next = attempts[i + 1];
      if (!next || fatal(err)) throw err;
      if (set.embed && !next.embed) notes.embedNote ??= `the embedding model did not load beside the chat model (${messageOf(err)})`;
      if (set.chat.length > next.chat.length) notes.draftNote ??= `the draft model did not load beside the target (${messageOf(err)})`;
    }
  }
  throw new Error('no model set to load');
}
