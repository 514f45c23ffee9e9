// Retrieved passages reach prompt-lookup drafting: the page puts them into the system message, the
// loop hands the drafter the whole prompt, and the drafter searches all of it (no lookup window), so
// a reply quoting a passage thousands of tokens back is drafted from it.
import { describe, expect, it } from 'vitest';
import { stopPolicy } from '../decoding';
import { createRng } from '../rng';
import { REFERENCE_READER, ReferenceModel } from '../reference/model';
import { ReferenceSession } from '../reference/session';
import { renderPrompt } from '../reference/template';
import { decode, encode } from '../reference/tokenizer';
import { END_ID } from '../reference/vocab';
import { FixedDraftLength } from './controller';
import { decodeSpeculative } from './loop';
import { PromptLookupDrafter } from './prompt-lookup';
import type { Drafter } from './types';

const ANSWER = 'Payment is due within thirty days of the invoice date.';
/** 60 filler passages after the answer's, none repeating its words. */
const FILLER = Array.from(
  { length: 60 },
  (_, i) => `[${i + 2}] Section ${i} lists ${'parts, boxes, crates and pallets '.repeat(4)}for depot ${i}.`,
);
const system = `Answer from these passages.\n\n[1] ${ANSWER}\n\n${FILLER.join('\n\n')}`;

describe('prompt lookup over retrieved passages', () => {
  it('drafts the rest of a sentence from a passage at the start of a long system message', () => {
    const prompt = renderPrompt([
      { role: 'system', content: system },
      { role: 'user', content: 'When is it owed?' },
    ]);
    expect(prompt.length).toBeGreaterThan(5000);
    const context = [...prompt, ...encode('Payment is due within')];
    const tokens = new PromptLookupDrafter().propose(context, 12).tokens;
    expect(ANSWER.startsWith(`Payment is due within${decode(tokens)}`)).toBe(true);
    expect(tokens.length).toBe(12);
  });

  it('the loop gives the drafter the whole prompt, system message included, and the quote is accepted from it', async () => {
    const prompt = renderPrompt([
      { role: 'system', content: system },
      { role: 'user', content: 'When is the payment due?' },
    ]);
    const seen: number[] = [];
    const lookup = new PromptLookupDrafter();
    const drafter: Drafter = {
      kind: 'prompt-lookup',
      propose(context, k) {
        if (!seen.length) seen.push(...context);
        return lookup.propose(context, k);
      },
    };
    const model = new ReferenceModel({ ...REFERENCE_READER, contextWindow: 16384 });
    const r = await decodeSpeculative(new ReferenceSession(model), prompt, {
      sampling: { temperature: 0, topP: 1 },
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [END_ID], maxTokens: 40 }),
      drafter,
      controller: new FixedDraftLength(8),
    });
    expect(seen.slice(0, prompt.length)).toEqual(prompt);
    expect(decode(r.tokens).startsWith('Payment is due within thirty days')).toBe(true);
    // Most of the quote came from drafts: far fewer target passes than tokens.
    expect(r.stats.accepted).toBeGreaterThan(r.tokens.length / 2);
  });
});
