// Reads a POSIX ustar archive entry by entry without holding more than the entry being read: from a
// File or Blob (read by slices; skipping an entry is a seek) or from a ReadableStream (skipping
// reads and drops). Pure; runs in any context. Invariants: an archive that ends before its
// end-of-archive marker is refused as cut short; an entry's data is read at most once.

import { TAR_BLOCK } from './format';
import { decodeHeader, isZeroBlock, padding, type TarEntry } from './tar-header';
import { concatBytes } from '../bytes';

/** Bytes read in order from a position that only moves forward. */
export interface ByteSource {
  readonly position: number;
  /** Up to n bytes; fewer only at the end. */
  read(n: number): Promise<Uint8Array>;
  /** Moves past up to n bytes; returns how many there were. */
  skip(n: number): Promise<number>;
}

/** What a File or Blob offers (structural: lib knows no DOM). */
export interface SliceableBytes {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export function blobSource(blob: SliceableBytes, start = 0): ByteSource {
  let at = start;
  return {
    get position() {
      return at;
    },
    async read(n) {
      const end = Math.min(blob.size, at + n);
      const bytes = new Uint8Array(await blob.slice(at, end).arrayBuffer());
      at += bytes.byteLength;
      return bytes;
    },
    async skip(n) {
      const moved = Math.max(0, Math.min(n, blob.size - at));
      at += moved;
      return moved;
    },
  };
}

export function streamSource(stream: ReadableStream<Uint8Array>): ByteSource {
  const reader = stream.getReader();
  let held: Uint8Array = new Uint8Array(0);
  let ended = false;
  let at = 0;
  /** Up to n bytes from the held chunk or the stream, as received (no copy). */
  const take = async (n: number): Promise<Uint8Array> => {
    if (!held.byteLength && !ended) {
      const { done, value } = await reader.read();
      // Stryker disable next-line BooleanLiteral: a finished reader answers done again; the flag spares the call
      if (done) ended = true;
      else held = value;
    }
    const out = held.subarray(0, n);
    held = held.subarray(out.byteLength);
    at += out.byteLength;
    return out;
  };
  return {
    get position() {
      return at;
    },
    async read(n) {
      const parts: Uint8Array[] = [];
      for (let got = 0; got < n;) {
        const part = await take(n - got);
        if (!part.byteLength) break;
        parts.push(part);
        got += part.byteLength;
      }
      return concatBytes(parts);
    },
    async skip(n) {
      let moved = 0;
      while (moved < n) {
        const part = await take(n - moved);
        if (!part.byteLength) break;
        moved += part.byteLength;
      }
      return moved;
    },
  };
}

export interface TarItem extends TarEntry {
  /** Where the entry's header starts in the archive. */
  headerOffset: number;
}

export class TarReader {
  readonly #src: ByteSource;
  #current: TarItem | undefined;
  #unread = 0;

  constructor(src: ByteSource) {
    this.#src = src;
  }

  get position(): number {
    return this.#src.position;
  }

  /** The next entry's header (skipping the rest of the current one), or undefined at the end marker. */
  async next(): Promise<TarItem | undefined> {
    if (this.#current) {
      const rest = this.#unread + padding(this.#current.size);
      if ((await this.#src.skip(rest)) < rest) throw cutShort(this.#current.name);
      this.#current = undefined;
    }
    const headerOffset = this.#src.position;
    const block = await this.#src.read(TAR_BLOCK);
    if (block.byteLength < TAR_BLOCK) throw new Error('the archive is cut short: it ends without its end-of-archive marker');
    if (isZeroBlock(block)) {
      const second = await this.#src.read(TAR_BLOCK);
      // Some writers omit the second zero block; data after the marker is not ours to judge.
      if (second.byteLength === TAR_BLOCK && !isZeroBlock(second)) throw new Error('the archive has a stray zero block between entries');
      return undefined;
    }
    const entry = decodeHeader(block);
    this.#current = { ...entry, headerOffset };
    this.#unread = entry.size;
    return this.#current;
  }

  /** The current entry's whole data (read once). */
  async data(): Promise<Uint8Array> {
    const e = this.#current;
    if (!e || this.#unread !== e.size) throw new Error('no entry data to read');
    const bytes = await this.#src.read(e.size);
    this.#unread = e.size - bytes.byteLength;
    if (bytes.byteLength < e.size) throw cutShort(e.name);
    return bytes;
  }

  async *entries(): AsyncGenerator<TarItem> {
    for (let e = await this.next(); e; e = await this.next()) yield e;
  }
}

function cutShort(name: string): Error {
  return new Error(`the archive is cut short in ${name}`);
}
