import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { argmax } from '../sampling';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from './model';
import { ContextOverflowError, ReferenceSession } from './session';
import { renderPrompt } from './template';
import { encode } from './tokenizer';
import { BYTE_BASE, END_ID, VOCAB_SIZE } from './vocab';

const target = new ReferenceModel(REFERENCE_TINY);
const draft = new ReferenceModel(REFERENCE_DRAFT);

function randomContext(seed: number, length: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length }, () => BYTE_BASE + Math.floor(rng() * (VOCAB_SIZE - BYTE_BASE)));
}

describe('reference model', () => {
  it('is deterministic and gives finite logits over the whole vocabulary', () => {
    const ctx = randomContext(1, 40);
    const a = target.logits(ctx);
    expect(a.length).toBe(VOCAB_SIZE);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(target.logits(ctx)).toEqual(a);
  });

  it('depends on context', () => {
    expect(target.logits(randomContext(1, 10))).not.toEqual(target.logits(randomContext(2, 10)));
  });

  it('draft agrees with the target on most but not all contexts', () => {
    let agree = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const ctx = randomContext(100 + i, 1 + (i % 50));
      if (argmax(target.logits(ctx)) === argmax(draft.logits(ctx))) agree++;
    }
    expect(agree / n).toBeGreaterThan(0.5);
    expect(agree / n).toBeLessThan(0.98);
  });

  it('copies what followed an earlier occurrence (induction), as real models do', () => {
    const phrase = encode(' the cache file for the model is saved in the browser');
    const ctx = [...randomContext(3, 20), ...phrase, ...randomContext(4, 10), ...phrase.slice(0, 3)];
    expect(argmax(target.logits(ctx))).toBe(phrase[3]);
  });

  it('ends an assistant turn eventually', () => {
    const ctx = renderPrompt([{ role: 'user', content: 'hi' }]);
    const early = target.logits(ctx);
    const late = target.logits([...ctx, ...randomContext(5, 120)]);
    expect(argmax(early)).not.toBe(END_ID);
    expect(late[END_ID]!).toBeGreaterThan(early[END_ID]! + 20);
  });
});

describe('reference session (KV-like state)', () => {
  it('verify returns, per position, the logits sequential decoding would', () => {
    const s = new ReferenceSession(target);
    const prompt = randomContext(7, 30);
    s.prefill(prompt);
    const run = randomContext(8, 5);
    const rows = s.verify(run);
    expect(s.length).toBe(35);
    const seq = new ReferenceSession(target);
    seq.prefill(prompt);
    for (let i = 0; i < run.length; i++) {
      const row = seq.decodeOne(run[i]!);
      expect(rows.subarray(i * VOCAB_SIZE, (i + 1) * VOCAB_SIZE)).toEqual(row);
    }
  });

  it('rolls back exactly and enforces bounds', () => {
    const s = new ReferenceSession(target);
    const prompt = randomContext(9, 20);
    const before = s.prefill(prompt);
    s.verify(randomContext(10, 4));
    s.rollback(4);
    expect(s.length).toBe(20);
    expect(target.logits(s.tokens)).toEqual(before);
    expect(() => s.rollback(21)).toThrow(RangeError);
    expect(() => s.rollback(-1)).toThrow(RangeError);
    expect(() => s.rollback(1.5)).toThrow(RangeError);
  });

  it('refuses to grow past its context window', () => {
    const s = new ReferenceSession(new ReferenceModel({ ...REFERENCE_TINY, contextWindow: 16 }));
    s.prefill(randomContext(1, 15));
    s.decodeOne(BYTE_BASE);
    expect(() => s.decodeOne(BYTE_BASE)).toThrow(ContextOverflowError);
    expect(s.length).toBe(16);
  });
});
