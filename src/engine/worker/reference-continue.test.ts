import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from './reference-backend';
import type { ChatMessage } from '../protocol';
import { echoRemainder } from '../../lib/reference/echo';
import { renderPrompt } from '../../lib/reference/template';
import { ASSISTANT_ID, END_ID } from '../../lib/reference/vocab';

async function loaded(o: ConstructorParameters<typeof ReferenceBackend>[0] = {}): Promise<ReferenceBackend> {
  const b = new ReferenceBackend({ tokensPerSecond: 100_000, ...o });
  await b.load('reference-tiny', {}, () => {});
  return b;
}
const chat = (b: ReferenceBackend, messages: ChatMessage[], extra: { maxTokens?: number; continueReply?: boolean } = {}) =>
  b.chat({ modelId: 'reference-tiny', messages, temperature: 0, ...extra }, () => {});

describe('max tokens and continuing a reply (reference engine)', () => {
  it('ends a generated reply at max tokens with "length"', async () => {
    const b = await loaded();
    const r = await chat(b, [{ role: 'user', content: 'Tell me about the cache.' }], { maxTokens: 3 });
    expect(r.finishReason).toBe('length');
    expect(r.usage.completionTokens).toBe(3);
  });

  it('continues a reply from its open end: the prompt keeps the reply unclosed', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'the cache' },
    ];
    const open = renderPrompt(messages, true);
    expect(open.at(-1)).not.toBe(END_ID);
    expect(open.at(-1)).not.toBe(ASSISTANT_ID);
    expect(open.slice(0, renderPrompt(messages.slice(0, 1)).length)).toEqual(renderPrompt(messages.slice(0, 1)));
    expect(renderPrompt(messages, false).at(-1)).toBe(ASSISTANT_ID);
    const b = await loaded();
    const r = await chat(b, messages, { continueReply: true, maxTokens: 4 });
    expect(r.usage.promptTokens).toBe(open.length);
    expect(r.usage.completionTokens).toBeGreaterThan(0);
  });

  it('echo replies stop at max tokens (or the test cap) and a continuation streams the rest', async () => {
    const b = await loaded({ maxTokensForTest: 2 });
    const ask: ChatMessage = { role: 'user', content: '/echo abcdefghij' };
    const first = await chat(b, [ask], { maxTokens: 100 });
    expect(first).toMatchObject({ text: 'abcdef', finishReason: 'length' });
    const second = await chat(b, [ask, { role: 'assistant', content: 'abcdef' }], { continueReply: true });
    expect(second).toMatchObject({ text: 'ghij', finishReason: 'stop' });
    expect(echoRemainder(['ab', 'cd'], 'ax')).toEqual(['ab', 'cd']);
    expect(echoRemainder(['ab', 'cd'], 'abcd')).toEqual([]);
  });
});
