import { describe, expect, it } from 'vitest';
import { describeRequest, splitEcho } from './echo';

describe('/echo', () => {
  it('splits the rest of the message into pieces of a few characters, keeping it verbatim', () => {
    expect(splitEcho('hello')).toBeUndefined();
    expect(splitEcho('/echo ')).toEqual([]);
    const pieces = splitEcho('/echo héllo 🚀 world')!;
    expect(pieces.join('')).toBe('héllo 🚀 world');
    expect(pieces.every((p) => Array.from(p).length <= 3)).toBe(true);
  });
});

describe('/request', () => {
  it('streams back the system prompt, the message count and the sampling fields the engine got', () => {
    const r = {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: '/request' },
      ],
      temperature: 0,
      topP: 0.5,
    };
    expect(describeRequest(r)).toBe('system: Be brief.; messages: 2; temperature: 0; top-p: 0.5; max tokens: unset');
    expect(splitEcho(' /request ', r)!.join('')).toBe(describeRequest(r));
    expect(describeRequest({ messages: [{ role: 'user', content: 'x' }], maxTokens: 7 })).toBe(
      'system: none; messages: 1; temperature: unset; top-p: unset; max tokens: 7',
    );
    // Without the request it is an ordinary message.
    expect(splitEcho('/request')).toBeUndefined();
  });
});
