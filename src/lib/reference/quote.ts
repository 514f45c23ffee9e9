// The reference reader's quoting rule (test infrastructure for measuring drafting from sources): in
// an assistant turn, the sentence of the earlier prompt that shares the most content words with the
// last user message is the one a grounded answer quotes, token for token, before going on in its own
// words. The tiny reference model never looks at the question, so without this its replies are the
// same with or without passages. Pure; a sentence ends at a "." or line break, or at a role tag.

import { contentWords as textWords } from './embedder';
import { decode } from './tokenizer';
import { ASSISTANT_ID, BYTE_BASE, USER_ID } from './vocab';

const contentWords = (ids: readonly number[]) => new Set(textWords(decode(ids)));

const endsSentence = (id: number) => id < BYTE_BASE || /(\.\s|\n)$/.test(decode([id]));
/** A citation tag or spacing before a sentence is not part of what is quoted ("[2] The vendor…"). */
const leading = (id: number) => /^[\s[\]\d]+$/.test(decode([id]));

const cache = new WeakMap<readonly number[], { prompt: number[]; quote: number[] | undefined }>();

/** The sentence (token ids, its final "." or line break included) the assistant turn opened at `at` quotes, if any. */
export function quoteFor(context: readonly number[], at: number): number[] | undefined {
  const hit = cache.get(context);
  if (hit && hit.prompt.length === at + 1 && hit.prompt.every((t, i) => context[i] === t)) return hit.quote;
  const quote = pickSentence(context.slice(0, at));
  cache.set(context, { prompt: context.slice(0, at + 1), quote });
  return quote;
}

function pickSentence(prompt: readonly number[]): number[] | undefined {
  const userAt = prompt.lastIndexOf(USER_ID);
  if (userAt < 0) return undefined;
  const question = contentWords(prompt.slice(userAt + 1));
  let best: number[] | undefined;
  let bestScore = 0;
  let start = 0;
  for (let i = 0; i < userAt; i++) {
    if (!endsSentence(prompt[i]!)) continue;
    let s = start;
    while (s <= i && leading(prompt[s]!)) s++;
    const sentence = prompt.slice(s, i + 1).filter((t) => t >= BYTE_BASE);
    start = i + 1;
    let score = 0;
    for (const w of contentWords(sentence)) if (question.has(w)) score++;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}

/** The next token of the quote when the reply so far is a proper prefix of it; otherwise undefined. */
export function quoteNext(context: readonly number[], length: number): number | undefined {
  let at = -1;
  for (let j = length - 1; j >= 0; j--) {
    if (context[j] === ASSISTANT_ID) {
      at = j;
      break;
    }
  }
  if (at < 0) return undefined;
  const quote = quoteFor(context, at);
  const n = length - at - 1;
  if (!quote || n >= quote.length) return undefined;
  for (let i = 0; i < n; i++) if (context[at + 1 + i] !== quote[i]) return undefined;
  return quote[n];
}
