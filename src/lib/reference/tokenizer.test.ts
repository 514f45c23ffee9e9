import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { StreamingDecoder, decode, encode } from './tokenizer';
import { VOCAB_SIZE, WORD_BASE } from './vocab';

describe('reference tokenizer', () => {
  it('round-trips any text exactly, including non-ASCII', () => {
    const samples = ['', 'hello', 'The model loads the cache.\n\nconst x = 1;', 'naïve café — 東京 🚀', '\u0000\u007f tabs\tand\r\n'];
    const rng = createRng(11);
    for (let i = 0; i < 200; i++) {
      samples.push(String.fromCodePoint(...Array.from({ length: 1 + Math.floor(rng() * 30) }, () => Math.floor(rng() * 0x2ffff) % 0xd7ff)));
    }
    for (const s of samples) {
      const ids = encode(s);
      for (const id of ids) expect(id).toBeLessThan(VOCAB_SIZE);
      expect(decode(ids)).toBe(s);
    }
  });

  it('uses word tokens for ordinary text', () => {
    const text = 'the model runs in the browser with the cache';
    const ids = encode(text);
    expect(ids.length).toBeLessThan(text.length / 3);
    expect(ids.every((id) => id >= WORD_BASE)).toBe(true);
  });

  it('streams multi-byte characters only once they are complete', () => {
    const ids = encode('é🚀');
    expect(ids.length).toBe(6);
    const d = new StreamingDecoder();
    const deltas = ids.map((id) => d.push(id));
    expect(deltas[0]).toBe('');
    expect(deltas.join('') + d.flush()).toBe('é🚀');
  });
});
