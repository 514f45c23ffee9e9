// Streams one model file from the network straight into the store, without holding it whole in
// memory or copying it into one buffer. The body is teed: one branch goes to the store, the other is
// hashed (MD5) and counted, so hashing never holds up the transfer. The store's branch ends only
// once the size and MD5 are checked, and errors otherwise, so a store (whose putStream commits a
// file only when its stream ends cleanly) never shows a file that is short or corrupt. Worker only.

import type { ModelFile } from '../../../lib/download/files';
import { Md5 } from '../../../lib/download/md5';
import type { DownloadFileProgress } from '../../protocol';
import { checkMd5, checkReceived, openFile, type OpenFile } from './fetch-file';

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
  try {
    const expected = open.expected;
    if (expected === undefined) throw new Error('the size of a streamed file must be known before it starts');
    const [toStore, toHash] = open.res.body!.tee();
    const hashed = hashBranch(toHash, f, t, open, onBytes);
    hashed.catch(() => {}); // awaited below; this only keeps a failed transfer from reading as unhandled
    // Why the file was refused, kept apart: the store rejects with its own error when its stream errors.
    let refusal: unknown;
    const gate = new TransformStream<Uint8Array, Uint8Array>({
      async flush() {
        try {
          const { received, md5 } = await hashed;
          checkReceived(received, expected);
          checkMd5(f, md5);
        } catch (err) {
          refusal = err;
          throw err;
        }
      },
    });
    try {
      await put(toStore.pipeThrough(gate), expected);
    } catch (err) {
      open.abort();
      await hashed.catch(() => {});
      throw (
        refusal ??
        (await hashed.then(
          () => err,
          (hashErr: unknown) => hashErr,
        ))
      );
    }
    return (await hashed).received;
  } finally {
    open.end();
  }
}

async function hashBranch(
  body: ReadableStream<Uint8Array>,
  f: ModelFile,
  t: DownloadFileProgress,
  open: OpenFile,
  onBytes: (n: number) => void,
): Promise<{ received: number; md5?: string }> {
  const reader = body.getReader();
  const hash = f.md5 ? new Md5() : undefined;
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash?.update(value);
    received += value.byteLength;
    t.bytesDone = received;
    onBytes(value.byteLength);
    open.tick();
  }
  return hash ? { received, md5: hash.hex() } : { received };
}
