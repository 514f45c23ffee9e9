import { describe, expect, it } from 'vitest';
import { splitEcho } from './echo';

describe('/echo', () => {
  it('splits the rest of the message into pieces of a few characters, keeping it verbatim', () => {
    expect(splitEcho('hello')).toBeUndefined();
    expect(splitEcho('/echo ')).toEqual([]);
    const pieces = splitEcho('/echo héllo 🚀 world')!;
    expect(pieces.join('')).toBe('héllo 🚀 world');
    expect(pieces.every((p) => Array.from(p).length <= 3)).toBe(true);
  });
});
