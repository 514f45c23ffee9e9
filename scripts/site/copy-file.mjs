// Streams one file's bytes from an open file (at an offset) to a new file, hashing as it goes, so
// a multi-GB shard is never held in memory. The caller compares the digests with what the bundle
// index or tensor-cache.json promised. Node only.

import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

const CHUNK = 4 * 1024 * 1024;

/**
 * Copies `bytes` bytes of `src` (a FileHandle) from `at` to `dest`; resolves with the number of
 * bytes copied (fewer when the source ends early) and the digests asked for, as lowercase hex.
 */
export async function copyRange(src, at, bytes, dest, algorithms = ['sha256']) {
  await mkdir(dirname(dest), { recursive: true });
  const hashes = algorithms.map((a) => createHash(a));
  const out = await open(dest, 'w');
  const buf = Buffer.alloc(Math.min(CHUNK, Math.max(bytes, 1)));
  let done = 0;
  try {
    while (done < bytes) {
      const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, bytes - done), at + done);
      if (bytesRead === 0) break;
      const piece = buf.subarray(0, bytesRead);
      for (const h of hashes) h.update(piece);
      await out.write(piece);
      done += bytesRead;
    }
  } finally {
    await out.close();
  }
  return { copied: done, digests: Object.fromEntries(algorithms.map((a, i) => [a, hashes[i].digest('hex')])) };
}
