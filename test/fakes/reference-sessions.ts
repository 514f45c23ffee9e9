// Shared fixtures for the speculative tests and benchmarks: reference target and draft sessions,
// prompts with the repetition real conversations have (so prompt lookup finds matches), and a model
// over a tiny vocabulary whose exact output distribution can be enumerated.

import type { StepModel } from '../../src/lib/decoding';
import { createRng, type Rng } from '../../src/lib/rng';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from '../../src/lib/reference/model';
import { ReferenceSession } from '../../src/lib/reference/session';
import { renderPrompt } from '../../src/lib/reference/template';
import { WORD_TOKENS } from '../../src/lib/reference/vocab';

export const targetModel = new ReferenceModel(REFERENCE_TINY);
export const draftModel = new ReferenceModel(REFERENCE_DRAFT);

export const newTarget = (contextWindow = 4096) =>
  new ReferenceSession(contextWindow === 4096 ? targetModel : new ReferenceModel({ ...REFERENCE_TINY, contextWindow }));
export const newDraft = () => new ReferenceSession(draftModel);

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** A user message of random words with a phrase repeated, rendered with the chat template. */
export function randomPrompt(seed: number): number[] {
  const rng = createRng(seed);
  const words = Array.from({ length: 4 + Math.floor(rng() * 20) }, () => pick(rng, WORD_TOKENS));
  const phrase = words.slice(0, Math.max(2, Math.floor(words.length / 2))).join('');
  const text = `${words.join('')}${rng() < 0.7 ? phrase + words.slice(1, 4).join('') : ''}`;
  return renderPrompt([{ role: 'user', content: text }]);
}

/**
 * A model over a tiny vocabulary whose logits depend on the whole prefix (a hash of it seeds the
 * row), so every position of a verify pass has its own distribution and a row read at the wrong
 * position shows up in the output distribution. `logits` is pure: the same prefix, the same row.
 */
export class TinyModel implements StepModel {
  readonly #tokens: number[] = [];
  /** Every call, for tests of what a drafter feeds and pops. */
  readonly calls: string[] = [];

  constructor(
    readonly vocabSize: number,
    readonly logits: (prefix: readonly number[]) => Float32Array,
    readonly contextWindow = 4096,
  ) {}

  get length(): number {
    return this.#tokens.length;
  }

  get tokens(): readonly number[] {
    return this.#tokens;
  }

  prefill(tokens: readonly number[]): Float32Array {
    this.calls.push(`feed ${tokens.join(' ')}`);
    if (this.#tokens.length + tokens.length > this.contextWindow) throw new RangeError('context window exceeded');
    this.#tokens.push(...tokens);
    return this.logits(this.#tokens);
  }

  decodeOne(token: number): Float32Array {
    return this.prefill([token]);
  }

  verify(tokens: readonly number[]): Float32Array {
    this.calls.push(`verify ${tokens.join(' ')}`);
    if (this.#tokens.length + tokens.length > this.contextWindow) throw new RangeError('context window exceeded');
    const v = this.vocabSize;
    const out = new Float32Array(tokens.length * v);
    for (const [i, t] of tokens.entries()) {
      this.#tokens.push(t);
      out.set(this.logits(this.#tokens), i * v);
    }
    return out;
  }

  rollback(n: number): void {
    this.calls.push(`pop ${n}`);
    if (!Number.isInteger(n) || n < 0 || n > this.#tokens.length) throw new RangeError(`bad rollback ${n}`);
    this.#tokens.length -= n;
  }
}

/** Logits in [−spread, spread] drawn from a generator seeded by the prefix (FNV-1a over its tokens). */
export function prefixLogits(vocab: number, seed: number, spread: number): (prefix: readonly number[]) => Float32Array {
  return (prefix) => {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (const t of prefix) h = Math.imul(h ^ (t + 1), 0x01000193) >>> 0;
    const rng = createRng(h);
    return Float32Array.from({ length: vocab }, () => (2 * rng() - 1) * spread);
  };
}
