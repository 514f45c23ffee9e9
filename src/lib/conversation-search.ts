// Searching conversations by what a person remembers of them: the title or any message text, on
// every branch (an earlier reply that was regenerated away is still found). Matching ignores case
// and accents ("resume" finds "Résumé"); every word of the query must occur somewhere in the
// conversation, in any order.

import type { Conversation } from './conversation';

/** Text folded for matching: compatibility-decomposed, accents (combining marks) removed, lower case. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The query's words, folded; an empty list matches everything (`every` of nothing is true). */
export function searchTerms(query: string): string[] {
  return foldForSearch(query).split(/\s/).filter(Boolean);
}

export function matchesSearch(c: Conversation, terms: readonly string[]): boolean {
  const haystack = [c.title, ...c.messages.map((m) => m.content)].map(foldForSearch);
  return terms.every((t) => haystack.some((h) => h.includes(t)));
}

/** The conversations matching `query`, in their given order. */
export function filterConversations(list: readonly Conversation[], query: string): Conversation[] {
  const terms = searchTerms(query);
  return list.filter((c) => matchesSearch(c, terms));
}
