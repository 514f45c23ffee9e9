import { describe, expect, test } from 'vitest';
import { fitSources, sourceEntry, SOURCES_INSTRUCTION, sourcesPrompt, type SourcePassage } from './prompt';

const a: SourcePassage = {
  n: 1,
  docName: 'contract.pdf',
  text: 'Payment is due within 30 days.',
  page: 4,
  heading: 'Contract › 4. Payment',
};
const b: SourcePassage = { n: 2, docName: 'notes.md', text: 'The fee is 120 euros.' };

/** A stand-in tokenizer: one token per character, so budgets are easy to compute. */
const chars = (s: string) => s.length;

describe('sourcesPrompt', () => {
  test('the instruction asks for answers from the sources, cited as [n]', () => {
    expect(SOURCES_INSTRUCTION).toMatch(/sources/);
    expect(SOURCES_INSTRUCTION).toContain('[1]');
    expect(SOURCES_INSTRUCTION).toMatch(/do not contain the answer, say so/);
  });

  test('the instruction, then each passage numbered with its document, page and heading, verbatim', () => {
    expect(sourcesPrompt([a, b])).toBe(
      `${SOURCES_INSTRUCTION}\n\n` +
        '[1] contract.pdf, p. 4, Contract › 4. Payment\nPayment is due within 30 days.\n\n' +
        '[2] notes.md\nThe fee is 120 euros.',
    );
  });

  test('an entry shows the page without a heading and the heading without a page', () => {
    expect(sourceEntry({ ...b, page: 7 })).toBe('[2] notes.md, p. 7\nThe fee is 120 euros.');
    expect(sourceEntry({ ...b, heading: 'Fees' })).toBe('[2] notes.md, Fees\nThe fee is 120 euros.');
    expect(sourceEntry({ ...b, page: 0 })).toBe('[2] notes.md, p. 0\nThe fee is 120 euros.');
  });

  test('the numbers are the passages own, not their positions', () => {
    expect(sourcesPrompt([{ ...b, n: 5 }])).toContain('\n\n[5] notes.md\n');
  });

  test('no passages give an empty block', () => {
    expect(sourcesPrompt([])).toBe('');
  });
});

describe('fitSources', () => {
  test('everything fits in a budget as large as the whole block', () => {
    expect(fitSources([a, b], sourcesPrompt([a, b]).length, chars)).toEqual([a, b]);
  });

  test('one token less drops the last passage whole', () => {
    const full = sourcesPrompt([a, b]).length;
    expect(fitSources([a, b], full - 1, chars)).toEqual([a]);
    expect(fitSources([a, b], sourcesPrompt([a]).length, chars)).toEqual([a]);
    expect(fitSources([a, b], sourcesPrompt([a]).length - 1, chars)).toEqual([]);
  });

  test('stops at the first passage that does not fit, in rank order, even if a later one would', () => {
    const long = { ...a, text: 'x'.repeat(500) };
    const short = { ...b, n: 3 };
    expect(fitSources([b, long, short], 300, chars)).toEqual([b]);
  });

  test('a budget smaller than the instruction keeps nothing', () => {
    expect(fitSources([a], 3, chars)).toEqual([]);
    expect(fitSources([], 1000, chars)).toEqual([]);
  });

  test('the kept passages are the given objects, with their extra fields', () => {
    const withScore = { ...a, score: 0.5, passageId: 'p1' };
    const kept = fitSources([withScore], 10_000, chars);
    expect(kept[0]).toBe(withScore);
  });

  test('counts with the tokenizer it is given', () => {
    const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
    const budget = words(sourcesPrompt([a, b]));
    expect(fitSources([a, b], budget, words)).toEqual([a, b]);
    expect(fitSources([a, b], budget - 1, words)).toEqual([a]);
  });
});
