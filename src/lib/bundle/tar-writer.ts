// Writes a bundle's POSIX ustar archive as a stream: each entry is a header, its bytes and zero
// padding to the next 512-byte block; two zero blocks end the archive. The sink is anything with an
// async write (a FileSystemWritableFileStream, a WritableStream's writer, a test's buffer). Pure:
// no DOM. Invariant: an entry's bytes add up to the size its header states, or the entry throws.

import { TAR_BLOCK } from './format';
import { encodeHeader, padding } from './tar-header';

export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

/** Bytes of an archive holding entries of these sizes, end blocks included. */
export function archiveBytes(sizes: readonly number[]): number {
  return sizes.reduce((n, size) => n + TAR_BLOCK + size + padding(size), 2 * TAR_BLOCK);
}

export class TarWriter {
  readonly #sink: ByteSink;
  readonly #mtime: number;
  #written = 0;
  #ended = false;

  /** `mtime` in seconds since the epoch, the same for every entry. */
  constructor(sink: ByteSink, mtime: number) {
    this.#sink = sink;
    this.#mtime = mtime;
  }

  /** Archive bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.#written;
  }

  /** One entry; `data` may come in chunks (they must add up to `size`). */
  async add(name: string, size: number, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    if (this.#ended) throw new Error('the archive is already ended');
    await this.#put(encodeHeader({ name, size, mtime: this.#mtime }));
    let seen = 0;
    for await (const chunk of data instanceof Uint8Array ? [data] : data) {
      seen += chunk.byteLength;
      if (seen > size) throw new Error(`${name}: more than the ${size} bytes its header states`);
      await this.#put(chunk);
    }
    if (seen !== size) throw new Error(`${name}: ${seen} bytes where its header states ${size}`);
    await this.#put(new Uint8Array(padding(size)));
  }

  /** The two zero blocks that end a tar archive. */
  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#put(new Uint8Array(2 * TAR_BLOCK));
  }

  async #put(chunk: Uint8Array): Promise<void> {
    await this.#sink.write(chunk);
    this.#written += chunk.byteLength;
  }
}
