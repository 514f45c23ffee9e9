import { describe, expect, it } from 'vitest';
import { argmax } from '../sampling';
import { REFERENCE_READER, REFERENCE_TINY, ReferenceModel } from './model';
import { quoteFor, quoteNext } from './quote';
import { renderPrompt } from './template';
import { decode, encode } from './tokenizer';
import { END_ID } from './vocab';

const SOURCES =
  'Answer from the passages.\n\n[1] The vendor answers within four hours. Payment is due within thirty days of the invoice date.\n\n[2] The patient rested after the second dose.';
const prompt = (question: string, system = SOURCES) =>
  renderPrompt([
    { role: 'system', content: system },
    { role: 'user', content: question },
  ]);

function greedyReply(model: ReferenceModel, ids: number[], max = 80): number[] {
  const ctx = [...ids];
  const out: number[] = [];
  while (out.length < max) {
    const t = argmax(model.logits(ctx));
    if (t === END_ID) break;
    ctx.push(t);
    out.push(t);
  }
  return out;
}

describe('the reference reader quotes its sources', () => {
  it('picks the prompt sentence sharing most content words with the question, without its citation tag', () => {
    const p = prompt('When is the payment due?');
    expect(decode(quoteFor(p, p.length - 1)!)).toMatch(/^Payment is due within thirty days of the invoice date\.\n$/);
    const q = prompt('What did the patient do after the dose?');
    // " The" is one token: the quote keeps the space it carries.
    expect(decode(quoteFor(q, q.length - 1)!)).toBe(' The patient rested after the second dose.');
  });

  it('never quotes the question itself, and quotes nothing when no sentence shares a word with it', () => {
    const p = prompt('When is payment due?', 'Answer the question.');
    expect(quoteFor(p, p.length - 1)).toBeUndefined();
    expect(quoteNext(p, p.length)).toBeUndefined();
  });

  it('a greedy reply opens with the quote, then goes on in its own words; reference-tiny ignores the sources', () => {
    const p = prompt('When is the payment due?');
    const reader = decode(greedyReply(new ReferenceModel(REFERENCE_READER), p));
    expect(reader.startsWith('Payment is due within thirty days of the invoice date.')).toBe(true);
    const tiny = new ReferenceModel(REFERENCE_TINY);
    expect(greedyReply(tiny, p)).toEqual(greedyReply(tiny, prompt('When is the payment due?', 'Answer the question.')));
  });

  it('once the reply leaves the quote, the reader is reference-tiny', () => {
    const p = [...prompt('When is the payment due?'), ...encode('Sure')];
    expect(quoteNext(p, p.length)).toBeUndefined();
    expect(new ReferenceModel(REFERENCE_READER).logits(p)).toEqual(new ReferenceModel(REFERENCE_TINY).logits(p));
  });
});
