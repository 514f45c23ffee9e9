import { describe, expect, it } from 'vitest';
import { MAX_QUERY_TERMS, queryTerms } from './keyword-index';

describe('queryTerms', () => {
  it('keeps each term once, lower-cased, without function words', () => {
    expect(queryTerms('What is the DEPOSIT, and when is the deposit returned?')).toBe('deposit returned');
    expect(queryTerms('the of and')).toBe('');
  });

  it('keeps at most MAX_QUERY_TERMS terms, the first ones', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`);
    const terms = queryTerms(words.join(' ')).split(' ');
    expect(terms).toEqual(words.slice(0, MAX_QUERY_TERMS));
  });
});
