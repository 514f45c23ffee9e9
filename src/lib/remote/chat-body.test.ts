import { describe, expect, it } from 'vitest';
import { chatBody, replyStats } from './chat-body';

describe('chatBody', () => {
  it('streams with usage, maps our sampling names to OpenAI parameters', () => {
    expect(chatBody('m', { messages: [{ role: 'user', content: 'hi' }], temperature: 0.7, topP: 0.9, maxTokens: 256, seed: 42 })).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 256,
      seed: 42,
    });
  });
  it('sends no sampling parameter the user did not set (the server keeps its defaults)', () => {
    const body = chatBody('m', { messages: [] });
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream', 'stream_options']);
    expect(chatBody('m', { messages: [], temperature: 0 }).temperature).toBe(0);
  });
  it('sends earlier replies without their reasoning, and other messages as they are', () => {
    const body = chatBody('m', {
      messages: [
        { role: 'system', content: '<think>not a reply</think>x' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: '<think>long thought</think>\n\nThe answer.' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: '<think>not a reply</think>x' },
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'The answer.' },
    ]);
  });
});

describe('replyStats', () => {
  it("uses the server's usage and measures speeds from first delta and end", () => {
    expect(replyStats({ promptTokens: 100, completionTokens: 51 }, 60, { startMs: 0, firstMs: 500, endMs: 1500 })).toEqual({
      promptTokens: 100,
      completionTokens: 51,
      prefillTokensPerSecond: 200,
      decodeTokensPerSecond: 50,
    });
  });
  it('measures from the request, not from zero', () => {
    expect(replyStats({ promptTokens: 100, completionTokens: 51 }, 60, { startMs: 1000, firstMs: 1500, endMs: 2500 })).toMatchObject({
      prefillTokensPerSecond: 200,
      decodeTokensPerSecond: 50,
    });
  });
  it("prefers the server's own timings (llama-server)", () => {
    const speeds = { prefillTokensPerSecond: 857, decodeTokensPerSecond: 66 };
    const s = replyStats({ promptTokens: 9, completionTokens: 3 }, 3, { startMs: 0, firstMs: 1, endMs: 2 }, speeds);
    expect(s).toEqual({ promptTokens: 9, completionTokens: 3, prefillTokensPerSecond: 857, decodeTokensPerSecond: 66 });
  });
  it('counts deltas when the server sends no usage, and never divides by zero', () => {
    expect(replyStats(undefined, 4, { startMs: 0, endMs: 0 })).toEqual({
      promptTokens: 0,
      completionTokens: 4,
      prefillTokensPerSecond: 0,
      decodeTokensPerSecond: 0,
    });
  });
});
