// Where the engine worker writes an exported bundle: a file the person picked (File System Access;
// its writable writes to a swap file that only close() makes the file, so abort() leaves nothing),
// or a transferred stream the service worker serves as a download. Runs in the engine worker.
// Invariant: a failed or cancelled export closes neither; abort discards the file or errors the stream.

import type { ByteSink } from '../../../lib/bundle/tar-writer';
import type { BundleTarget } from '../../protocol';

/** Chunks cross threads as copies (a view would clone its whole buffer): small ones bound the memory in flight. */
const STREAM_CHUNK = 1 << 20;

export interface BundleSink extends ByteSink {
  close(): Promise<void>;
  abort(reason: unknown): Promise<void>;
}

type RemovableHandle = FileSystemFileHandle & { remove?: () => Promise<void> };

export async function openSink(target: BundleTarget): Promise<BundleSink> {
  if (target.kind === 'file') {
    const handle: RemovableHandle = target.handle;
    const writable = await handle.createWritable();
    return {
      write: (chunk) => writable.write(chunk as Uint8Array<ArrayBuffer>),
      close: () => writable.close(),
      async abort() {
        await writable.abort();
        // The save dialog made an empty file: remove it (Chromium offers remove()), never a file with data.
        if ((await handle.getFile()).size === 0) await handle.remove?.();
      },
    };
  }
  const writer = target.stream.getWriter();
  return {
    async write(chunk) {
      for (let at = 0; at < chunk.byteLength; at += STREAM_CHUNK) await writer.write(chunk.slice(at, at + STREAM_CHUNK));
    },
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason),
  };
}
