// Greedy longest-match tokenizer over the reference vocabulary. Works on UTF-8 bytes so that every
// string round-trips exactly; word tokens are matched first, bytes are the fallback.

import { BYTE_BASE, VOCAB_SIZE, WORD_BASE, WORD_TOKENS } from './vocab';
import { concatBytes } from '../bytes';

const encoder = new TextEncoder();
const toKey = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

const WORD_BYTES = WORD_TOKENS.map((w) => encoder.encode(w));
const WORD_INDEX = new Map<string, number>(WORD_BYTES.map((b, i) => [toKey(b), WORD_BASE + i]));
const MAX_WORD_BYTES = Math.max(...WORD_BYTES.map((b) => b.length));

export function encode(text: string): number[] {
  const bytes = encoder.encode(text);
  const key = toKey(bytes);
  const ids: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let matched = 0;
    for (let len = Math.min(MAX_WORD_BYTES, bytes.length - i); len >= 2; len--) {
      const id = WORD_INDEX.get(key.substr(i, len));
      if (id !== undefined) {
        ids.push(id);
        matched = len;
        break;
      }
    }
    if (matched === 0) {
      ids.push(BYTE_BASE + bytes[i]!);
      matched = 1;
    }
    i += matched;
  }
  return ids;
}

/** The bytes a token stands for (special tokens decode to nothing). */
function tokenBytes(id: number): Uint8Array {
  if (id < 0 || id >= VOCAB_SIZE) throw new RangeError(`token id ${id} is outside the vocabulary`);
  if (id < BYTE_BASE) return new Uint8Array(0);
  if (id < WORD_BASE) return Uint8Array.of(id - BYTE_BASE);
  return WORD_BYTES[id - WORD_BASE]!;
}

/** Decodes a whole sequence; invalid UTF-8 from a cut-off byte sequence becomes U+FFFD. */
export function decode(ids: readonly number[]): string {
  return new TextDecoder().decode(concatBytes(ids.map(tokenBytes)));
}

/** Decodes tokens one at a time, holding back incomplete UTF-8 sequences until they complete. */
export class StreamingDecoder {
  readonly #decoder = new TextDecoder();
  push(id: number): string {
    return this.#decoder.decode(tokenBytes(id), { stream: true });
  }
  flush(): string {
    return this.#decoder.decode();
  }
}
