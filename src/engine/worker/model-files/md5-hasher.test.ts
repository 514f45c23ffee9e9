// The MD5 hasher's client side against the real MD5 worker code, joined by a stand-in Worker class
// (node has none): batches, digests of files hashed side by side, a failed worker, the in-place path.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

type Scope = { onmessage?: (e: { data: unknown }) => void; postMessage(m: unknown): void };
const md5 = (x: Uint8Array) => createHash('md5').update(x).digest('hex');
const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * seed) >>> 3);

/** Loads md5-hasher with a Worker that runs md5-worker.ts in this thread; counts the messages sent to it. */
async function withWorker() {
  vi.resetModules();
  const sent: unknown[] = [];
  const worker = {
    onmessage: undefined as ((e: { data: unknown }) => void) | undefined,
    onerror: undefined as (() => void) | undefined,
    postMessage(m: unknown) {
      sent.push(m);
      queueMicrotask(() => scope.onmessage!({ data: m }));
    },
  };
  const scope: Scope = { postMessage: (m) => queueMicrotask(() => worker.onmessage?.({ data: m })) };
  // `new Worker(...)` gives back this one worker.
  const FakeWorker = function () {
    return worker;
  };
  vi.stubGlobal('self', scope);
  vi.stubGlobal('Worker', FakeWorker);
  await import('./md5-worker');
  const hasher = await import('./md5-hasher');
  return { hasher, sent, fail: () => worker.onerror!() };
}

afterEach(() => vi.unstubAllGlobals());

describe('streamMd5', () => {
  it('hashes files side by side in the worker, in batches rather than one message per chunk', async () => {
    const { hasher, sent } = await withWorker();
    const a = bytes(3 * 1024 * 1024 + 17, 13);
    const b = bytes(70_000, 7);
    const ha = hasher.streamMd5();
    const hb = hasher.streamMd5();
    for (let at = 0; at < a.length; at += 65_536) {
      ha.update(a.subarray(at, at + 65_536));
      if (at < b.length) hb.update(b.subarray(at, at + 65_536));
    }
    expect(await Promise.all([ha.hex(), hb.hex()])).toEqual([md5(a), md5(b)]);
    // 4 batches for a (3 MiB + 17 bytes), 1 for b, and one end each.
    expect(sent).toHaveLength(7);
  });

  it('a worker that fails fails the digests it owed, and later files hash in place', async () => {
    const { hasher, fail } = await withWorker();
    const h = hasher.streamMd5();
    h.update(bytes(1000, 3));
    fail();
    await expect(h.hex()).rejects.toThrow('MD5 worker');
    const again = hasher.streamMd5();
    const data = bytes(5000, 5);
    again.update(data);
    expect(await again.hex()).toBe(md5(data));
  });

  it('hashes in place where there is no Worker', async () => {
    vi.resetModules();
    vi.stubGlobal('Worker', undefined);
    const { streamMd5 } = await import('./md5-hasher');
    const h = streamMd5();
    const data = bytes(200_001, 9);
    h.update(data.subarray(0, 100_000));
    h.update(data.subarray(100_000));
    expect(await h.hex()).toBe(md5(data));
  });
});
