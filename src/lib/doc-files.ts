// The page's side of adding documents and retrieving from them, pure: which collection a
// conversation's own documents are, which files are refused before any is read (empty, too large)
// and in what words, how a size reads, and how many tokens the retrieved passages may take of the
// context window. The documents worker reads and indexes; this decides what it is given.

import { replyRoom } from './context-fit';
import { MIB } from './units';

/** Larger files are refused before reading: far above any report or contract, below what a tab can hold twice. */
export const MAX_DOC_BYTES = 100 * MIB;

/** Prompt tokens per character of text, as estimated for English prose (about 4 characters per token). */
export const CHARS_PER_TOKEN = 4;

/** The collection of a conversation's own documents. */
export function conversationCollection(convId: string): `conv:${string}` {
  return `conv:${convId}`;
}

/** "1.2 MB", "340 KB", "12 bytes": document sizes as people read them. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < MIB) return `${Math.round(bytes / 1024)} KB`;
  return `${Number((bytes / MIB).toFixed(1))} MB`;
}

/** Why a file is refused before it is read, in words naming it; undefined when it may be read. */
export function fileProblem(name: string, bytes: number, maxBytes = MAX_DOC_BYTES): string | undefined {
  if (bytes === 0) return `“${name}” is empty (0 bytes): there is nothing in it to read.`;
  if (bytes > maxBytes) {
    return `“${name}” is ${sizeText(bytes)}; the largest document accepted is ${sizeText(maxBytes)}. Split it into smaller files and add those.`;
  }
  return undefined;
}

/** Estimated prompt tokens of `text` (the worker's tokenizer is not asked: this runs before every reply). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Tokens the retrieved passages may take: the context window less the reply room (context-fit.ts
 * policy) and the conversation as it would be sent (estimated from its characters); never negative.
 */
export function sourcesBudget(conversationChars: number, contextWindow: number, maxTokens?: number): number {
  const room = replyRoom(contextWindow, maxTokens);
  return Math.max(0, contextWindow - room - Math.ceil(conversationChars / CHARS_PER_TOKEN));
}

/** What the documents worker answered for one file of an add (its DocInfo, in part). */
export interface AddedFile {
  name: string;
  state: 'reading' | 'indexing' | 'ready' | 'error';
  passages: number;
  problem?: string;
}

/** The files that failed, with why, and one sentence per file for the live region. */
export function addOutcome(done: readonly AddedFile[]): { failed: { name: string; reason: string }[]; said: string } {
  const failed = done
    .filter((d) => d.state === 'error')
    .map((d) => ({ name: d.name, reason: d.problem ?? `“${d.name}” could not be read.` }));
  const said = [
    ...done
      .filter((d) => d.state !== 'error')
      .map((d) => `${d.name} ready: ${d.passages} ${d.passages === 1 ? 'passage' : 'passages'}.${d.problem ? ` ${d.problem}` : ''}`),
    ...failed.map((f) => `${f.name} could not be read: ${f.reason}`),
  ].join(' ');
  return { failed, said };
}
