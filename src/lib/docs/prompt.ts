// The sources block put into the prompt when a reply uses retrieval: a short instruction to answer
// from the sources and cite them as [n], then each passage, numbered, verbatim (prompt-lookup
// drafting copies from this text, so it is never rewrapped or shortened). fitSources keeps whole
// passages in rank order while the block fits the token budget the caller gives it, so retrieved
// text is counted against the context window like any other prompt text.

/** What the prompt needs of a retrieved passage (the documents protocol's Passage has these fields). */
export interface SourcePassage {
  /** The number the reply cites it by: its rank, from 1. */
  n: number;
  docName: string;
  text: string;
  page?: number;
  heading?: string;
}

export const SOURCES_INSTRUCTION =
  'Answer using the sources below. Cite each source you use by its number in square brackets, like [1]. ' +
  'If the sources do not contain the answer, say so.';

/** One passage as the model sees it: "[n] name, p. 4, heading" then its text. */
export function sourceEntry(p: SourcePassage): string {
  const where = [p.docName, p.page === undefined ? '' : `p. ${p.page}`, p.heading ?? ''].filter(Boolean).join(', ');
  return `[${p.n}] ${where}\n${p.text}`;
}

const SEPARATOR = '\n\n';

/** The whole block; no passages, no block (the prompt then carries no instruction either). */
export function sourcesPrompt(passages: readonly SourcePassage[]): string {
  if (passages.length === 0) return '';
  return [SOURCES_INSTRUCTION, ...passages.map(sourceEntry)].join(SEPARATOR);
}

/**
 * The longest rank-order prefix of `passages` whose block costs at most `budgetTokens`, counted as
 * the instruction plus each entry with its separator (a tokenizer may merge across the joins by a
 * token or two; the caller's budget keeps that margin). Stops at the first passage that does not
 * fit rather than skipping to a smaller one: the numbers stay 1..m and the best-ranked text goes in.
 */
export function fitSources<P extends SourcePassage>(passages: readonly P[], budgetTokens: number, countTokens: (s: string) => number): P[] {
  let used = countTokens(SOURCES_INSTRUCTION);
  const kept: P[] = [];
  for (const p of passages) {
    used += countTokens(SEPARATOR + sourceEntry(p));
    if (used > budgetTokens) break;
    kept.push(p);
  }
  return kept;
}
