import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy, type DecodeOptions } from './decoding';
import { REFERENCE_TINY, ReferenceModel } from './reference/model';
import { ReferenceSession } from './reference/session';
import { renderPrompt } from './reference/template';
import { END_ID } from './reference/vocab';
import { createRng } from './rng';

const prompt = renderPrompt([{ role: 'user', content: 'Explain the draft model and the cache.' }]);
const session = (ctx = 4096) => new ReferenceSession(new ReferenceModel({ ...REFERENCE_TINY, contextWindow: ctx }));
const opts = (
  o: Partial<DecodeOptions> & { maxTokens?: number; stopTokenIds?: number[]; onToken?: (t: number) => void } = {},
): DecodeOptions => ({
  sampling: { temperature: 0.8, topP: 0.9 },
  rng: createRng(1),
  commit: stopPolicy({ stopTokenIds: o.stopTokenIds ?? [END_ID], maxTokens: o.maxTokens ?? 200, onToken: o.onToken }),
  ...o,
});

describe('plain decoding', () => {
  it('is reproducible for a seed and varies across seeds', async () => {
    const a = await decodePlain(session(), prompt, opts({ rng: createRng(3) }));
    const b = await decodePlain(session(), prompt, opts({ rng: createRng(3) }));
    const c = await decodePlain(session(), prompt, opts({ rng: createRng(4) }));
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens).not.toEqual(c.tokens);
  });

  it('ends on the stop token without emitting it, with every emitted token in the state', async () => {
    const s = session();
    const r = await decodePlain(s, prompt, opts({ maxTokens: 1000, sampling: { temperature: 0, topP: 1 } }));
    expect(r.finishReason).toBe('stop');
    expect(r.tokens).not.toContain(END_ID);
    expect(s.length).toBe(prompt.length + r.tokens.length);
  });

  it('stops at max_tokens and at the end of the context window', async () => {
    const r = await decodePlain(session(), prompt, opts({ maxTokens: 5 }));
    expect(r.tokens.length).toBe(5);
    expect(r.finishReason).toBe('length');
    const s = session(prompt.length + 3);
    const full = await decodePlain(s, prompt, opts({ maxTokens: 100, stopTokenIds: [] }));
    expect(full.finishReason).toBe('length');
    expect(s.length).toBe(s.contextWindow);
    expect(full.tokens.length).toBe(4);
  });

  it('aborts between tokens and keeps what it had', async () => {
    const seen: number[] = [];
    const r = await decodePlain(session(), prompt, opts({ aborted: () => seen.length >= 3, onToken: (t) => void seen.push(t) }));
    expect(r.finishReason).toBe('abort');
    expect(r.tokens).toEqual(seen);
    expect(r.tokens.length).toBe(3);
  });
});
