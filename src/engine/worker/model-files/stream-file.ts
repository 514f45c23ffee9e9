// Streams one model file from the network straight into the store, without holding it whole in
// memory or copying it into one buffer. Each chunk passes on to the store as it arrives, while a copy
// goes to the MD5 worker (md5-hasher.ts), so hashing never holds up the transfer. The store's stream
// ends only once the size and MD5 check, and errors otherwise, so a store (whose putStream commits a
// file only when its stream ends cleanly) never shows a file that is short or corrupt. Worker only.

import type { ModelFile } from '../../../lib/download/files';
import type { DownloadFileProgress } from '../../protocol';
import { checkMd5, checkReceived, openFile } from './fetch-file';
import { streamMd5 } from './md5-hasher';

/** Hands the store a file's body to write; resolves once it is stored (all of it or nothing). */
export type StreamPut = (body: ReadableStream<Uint8Array>, bytes: number) => Promise<void>;

/** Fetches `f` into the store through `put`; throws what fetchFile and verifyFile would. */
export async function streamFile(
  f: ModelFile,
  t: DownloadFileProgress,
  signal: AbortSignal,
  onBytes: (n: number) => void,
  put: StreamPut,
): Promise<number> {
  const open = await openFile(f, t, signal);
  const hash = f.md5 ? streamMd5() : undefined;
  try {
    const expected = open.expected;
    if (expected === undefined) throw new Error('the size of a streamed file must be known before it starts');
    let received = 0;
    // Why the file was refused, kept apart: the store rejects with its own error when its stream errors.
    let refusal: unknown;
    const gate = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash?.update(chunk);
        received += chunk.byteLength;
        t.bytesDone = received;
        onBytes(chunk.byteLength);
        open.tick();
        controller.enqueue(chunk);
      },
      async flush() {
        try {
          checkReceived(received, expected);
          if (hash) checkMd5(f, await hash.hex());
        } catch (err) {
          refusal = err;
          throw err;
        }
      },
    });
    try {
      await put(open.res.body!.pipeThrough(gate), expected);
    } catch (err) {
      open.abort();
      hash?.drop();
      throw refusal ?? err;
    }
    return received;
  } finally {
    open.end();
  }
}
