import { describe, expect, it } from 'vitest';
import { REFERENCE_EMBED_DIMS, REFERENCE_EMBED_MODEL, ReferenceEmbedder, dot, referenceEmbedding } from './embedder';

const PASSAGES = [
  'Payment is due within thirty days of the invoice date; late payments carry a two percent monthly fee.',
  'The patient reported mild headaches after the second dose and was advised to rest and drink water.',
  'The build runs the unit tests in Node before the browser tests start in Chromium.',
  'Either party may terminate the agreement with ninety days written notice to the other party.',
];
const QUESTIONS: [string, number][] = [
  ['When is payment due after the invoice?', 0],
  ['What did the patient report after the dose?', 1],
  ['Which tests does the build run in Node?', 2],
  ['How much notice is needed to terminate the agreement?', 3],
];
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

describe('referenceEmbedding', () => {
  it('is deterministic: the same text gives the same vector, bit for bit', () => {
    for (const p of PASSAGES) expect(Array.from(referenceEmbedding(p))).toEqual(Array.from(referenceEmbedding(p)));
    expect(Array.from(referenceEmbedding(PASSAGES[0]!))).not.toEqual(Array.from(referenceEmbedding(PASSAGES[1]!)));
  });

  it('has unit length, an empty or symbol-only text included', () => {
    for (const t of [...PASSAGES, '', '   ', '!!! ???', 'the of and']) {
      const v = referenceEmbedding(t);
      expect(v).toHaveLength(REFERENCE_EMBED_DIMS);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('puts a question closer to the passage that answers it than to every unrelated one', () => {
    const vectors = PASSAGES.map((p) => referenceEmbedding(p));
    for (const [q, answer] of QUESTIONS) {
      const qv = referenceEmbedding(q);
      const scores = vectors.map((v) => dot(qv, v));
      const best = scores.indexOf(Math.max(...scores));
      expect(best, q).toBe(answer);
      for (let i = 0; i < scores.length; i++) if (i !== answer) expect(scores[answer]! - scores[i]!, q).toBeGreaterThan(0.05);
    }
  });

  it('sees inflections through character trigrams', () => {
    const a = referenceEmbedding('payments');
    expect(dot(a, referenceEmbedding('payment'))).toBeGreaterThan(0.5);
    expect(dot(a, referenceEmbedding('headache'))).toBeLessThan(0.3);
  });
});

describe('ReferenceEmbedder.embeddings.create', () => {
  it("answers in WebLLM's response shape, one vector per input in order", async () => {
    const e = new ReferenceEmbedder();
    const r = await e.embeddings.create({ input: PASSAGES, model: REFERENCE_EMBED_MODEL });
    expect(r.object).toBe('list');
    expect(r.model).toBe(REFERENCE_EMBED_MODEL);
    expect(r.data.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    r.data.forEach((d, i) => expect(d.embedding).toEqual(Array.from(referenceEmbedding(PASSAGES[i]!))));
    expect(r.usage.prompt_tokens).toBeGreaterThan(0);
    const one = await e.embeddings.create({ input: 'a single text' });
    expect(one.data).toHaveLength(1);
  });

  it('refuses an empty input, as WebLLM does', async () => {
    await expect(new ReferenceEmbedder().embeddings.create({ input: [] })).rejects.toThrow(/empty/);
  });
});
