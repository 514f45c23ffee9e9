import { describe, expect, it } from 'vitest';
import { draftToLoad, needsCacheCheck } from './draft-choice';

describe('draftToLoad', () => {
  it('"auto" never downloads a draft model: it drafts only with one already stored', () => {
    expect(draftToLoad('auto', 'small-model', false)).toBeUndefined();
    expect(draftToLoad('auto', 'small-model', true)).toBe('small-model');
  });

  it('"draft-model" loads the suggested draft model, stored or not', () => {
    expect(draftToLoad('draft-model', 'small-model', false)).toBe('small-model');
  });

  it('no draft model for "off" or "prompt-lookup", or when none is suggested', () => {
    expect(draftToLoad('off', 'small-model', true)).toBeUndefined();
    expect(draftToLoad('prompt-lookup', 'small-model', true)).toBeUndefined();
    expect(draftToLoad('auto', undefined, true)).toBeUndefined();
  });

  it('asks whether the draft model is stored only when "auto" has one to use', () => {
    expect(needsCacheCheck('auto', 'small-model')).toBe(true);
    expect(needsCacheCheck('auto', undefined)).toBe(false);
    expect(needsCacheCheck('draft-model', 'small-model')).toBe(false);
  });
});
