import { describe, expect, it } from 'vitest';
import { WebLLMDeltaStream, trailingReplacementChars } from './stream-deltas';

const run = (messages: [string, boolean][]) => {
  const s = new WebLLMDeltaStream();
  const out = messages.map(([m, d]) => s.push(m, d));
  return { out, text: s.text };
};

describe("WebLLM's streaming hold-back", () => {
  it('counts trailing U+FFFD only', () => {
    expect(trailingReplacementChars('a\uFFFDb\uFFFD\uFFFD')).toBe(2);
    expect(trailingReplacementChars('ab')).toBe(0);
  });
  it('holds a cut character back until it is whole, then sends it once', () => {
    const { out, text } = run([
      ['x', false],
      ['x\uFFFD', false],
      ['x\uFFFD', false],
      ['x好', false],
    ]);
    expect(out.map((o) => o?.delta)).toEqual(['x', undefined, undefined, '好']);
    expect(text).toBe('x好');
  });
  it('sends a run of four U+FFFD as WebLLM does (4 is a multiple of 4)', () => {
    expect(run([['a\uFFFD\uFFFD\uFFFD\uFFFD', false]]).out[0]?.delta).toBe('a\uFFFD\uFFFD\uFFFD\uFFFD');
  });
  it('cuts by length: a message that shrinks (stop string) sends nothing more', () => {
    const { out, text } = run([
      ['Hello ST', false],
      ['Hello ', false],
    ]);
    expect(out[1]).toBeUndefined();
    expect(text).toBe('Hello ST');
  });
  it('a held-back delta counts as drafted only when every token in it was', () => {
    const mixed = run([
      ['\uFFFD', true],
      ['好', false],
    ]);
    expect(mixed.out[1]).toEqual({ delta: '好', fromDraft: false });
    const drafted = run([
      ['\uFFFD', true],
      ['好', true],
      ['好x', false],
    ]);
    expect(drafted.out.slice(1)).toEqual([
      { delta: '好', fromDraft: true },
      { delta: 'x', fromDraft: false },
    ]);
  });
});
