import { describe, expect, it } from 'vitest';
import { messageOf } from './message';

describe('messageOf', () => {
  it('reads an Error by its message', () => {
    expect(messageOf(new TypeError('bad input'))).toBe('bad input');
  });

  it('turns any other thrown value into text', () => {
    expect(messageOf('out of memory')).toBe('out of memory');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
  });
});
