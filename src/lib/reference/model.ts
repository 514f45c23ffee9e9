// A deterministic tiny language model: real logits over the fixed vocabulary from hashed bigram and
// trigram tables (a few likely successors per context, over a spread of noise), an induction term
// that copies what followed the last occurrence of the current token (so repetitive text is
// predictable, as with real models), and an end-of-turn bias that grows with the reply's length.
// `reference-draft` is the same model with a weaker trigram term and its own noise, so it agrees
// with the target on most contexts but not all. `reference-reader` quotes its sources (quote.ts).

import { quoteNext } from './quote';
import { ASSISTANT_ID, BOS_ID, BYTE_BASE, END_ID, VOCAB_SIZE, WORD_BASE, isByteToken, isWordToken } from './vocab';

export interface ReferenceModelSpec {
  id: string;
  /** Seeds the hashed tables; target and draft share it so they mostly agree. */
  seed: number;
  trigramWeight: number;
  /** Extra hashed noise only this model has (0 for the target). */
  noiseWeight: number;
  noiseSeed: number;
  contextWindow: number;
  /** Added to the next token of the sentence the reply quotes (quote.ts); the reader's, absent otherwise. */
  quoteBoost?: number;
}

export const REFERENCE_TINY: ReferenceModelSpec = {
  id: 'reference-tiny',
  seed: 0x1234567,
  trigramWeight: 1.6,
  noiseWeight: 0,
  noiseSeed: 0,
  contextWindow: 4096,
};

/**
 * The target that answers from the sources: it quotes the prompt sentence that best matches the
 * question (quote.ts), then goes on as reference-tiny. For measuring drafting from retrieved passages;
 * not in the catalog.
 */
export const REFERENCE_READER: ReferenceModelSpec = { ...REFERENCE_TINY, id: 'reference-reader', quoteBoost: 25 };

export const REFERENCE_DRAFT: ReferenceModelSpec = {
  id: 'reference-draft',
  seed: 0x1234567,
  trigramWeight: 0.9,
  noiseWeight: 0.9,
  noiseSeed: 0x7f4a7c15,
  contextWindow: 4096,
};

const SPREAD_WEIGHT = 1;
const SUCCESSOR_BOOSTS = [5, 4, 3.2, 2.5];
const PAIR_SUCCESSOR_BOOST = 1.5;
const WORD_COUNT = VOCAB_SIZE - WORD_BASE;
const INDUCTION_BOOST = 6;
const INDUCTION_BIGRAM_BOOST = 4;
const END_BASE = -6;
/** End-of-turn logit grows with the square of the reply length: replies end after ~30–70 tokens. */
const END_PER_TOKEN_SQUARED = 0.004;

/** A hash of three integers mapped to [-1, 1). */
function hashUnit(seed: number, a: number, b: number): number {
  let h = seed ^ Math.imul(a + 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x297a2d39);
  h ^= h >>> 16;
  return (h >>> 0) / 2147483648 - 1;
}

/** The k-th likely successor (a word token) of context `key`. */
function successor(seed: number, key: number, k: number): number {
  return WORD_BASE + (Math.floor(((hashUnit(seed ^ 0x165667b1, key, k) + 1) / 2) * WORD_COUNT) % WORD_COUNT);
}

const PRIOR = buildPrior();

function buildPrior(): Float32Array {
  const prior = new Float32Array(VOCAB_SIZE);
  for (let id = 0; id < VOCAB_SIZE; id++) {
    if (isWordToken(id)) prior[id] = 0.8;
    else if (isByteToken(id)) {
      const b = id - BYTE_BASE;
      const letter = (b >= 97 && b <= 122) || (b >= 65 && b <= 90);
      const common = b === 32 || b === 46 || b === 44 || b === 10;
      prior[id] = letter ? -1.5 : common ? -1 : b >= 33 && b <= 126 ? -3 : -9;
    } else prior[id] = -30;
  }
  return prior;
}

export class ReferenceModel {
  readonly vocabSize = VOCAB_SIZE;

  constructor(readonly spec: ReferenceModelSpec) {}

  /**
   * Writes the logits for the token after `context[0 .. length)` into `out[offset .. offset+vocab)`.
   */
  logitsInto(context: readonly number[], length: number, out: Float32Array, offset = 0): void {
    const { seed, trigramWeight, noiseWeight, noiseSeed } = this.spec;
    const prev = length > 0 ? context[length - 1]! : BOS_ID;
    const prev2 = length > 1 ? context[length - 2]! : BOS_ID;
    const pair = prev2 * VOCAB_SIZE + prev;
    for (let v = 0; v < VOCAB_SIZE; v++) {
      let x = PRIOR[v]! + SPREAD_WEIGHT * hashUnit(seed, prev, v) + trigramWeight * hashUnit(seed ^ 0x5bd1e995, pair, v);
      if (noiseWeight !== 0) x += noiseWeight * hashUnit(noiseSeed, pair, v);
      out[offset + v] = x;
    }
    // Each token has a few likely successors, and each pair one more: peaked like a real model.
    for (let k = 0; k < SUCCESSOR_BOOSTS.length; k++) out[offset + successor(seed, prev, k)]! += SUCCESSOR_BOOSTS[k]!;
    out[offset + successor(seed ^ 0x27d4eb2f, pair, 0)]! += PAIR_SUCCESSOR_BOOST * trigramWeight;
    // Induction: continue what followed the most recent earlier occurrence of `prev`.
    for (let j = length - 2; j >= 0; j--) {
      if (context[j] !== prev) continue;
      const next = context[j + 1]!;
      if (next >= BYTE_BASE || next === END_ID) {
        const bigramMatch = j > 0 && context[j - 1] === prev2;
        out[offset + next]! += INDUCTION_BOOST + (bigramMatch ? INDUCTION_BIGRAM_BOOST : 0);
      }
      break;
    }
    if (this.spec.quoteBoost) {
      const q = quoteNext(context, length);
      if (q !== undefined) out[offset + q]! += this.spec.quoteBoost;
    }
    // End of turn grows likelier with the reply's length; only inside an assistant turn.
    let sinceAssistant = -1;
    for (let j = length - 1; j >= 0; j--) {
      if (context[j] === ASSISTANT_ID) {
        sinceAssistant = length - 1 - j;
        break;
      }
    }
    out[offset + END_ID] = sinceAssistant >= 0 ? END_BASE + END_PER_TOKEN_SQUARED * sinceAssistant * sinceAssistant : -30;
  }

  logits(context: readonly number[], length = context.length): Float32Array {
    const out = new Float32Array(VOCAB_SIZE);
    this.logitsInto(context, length, out);
    return out;
  }
}
