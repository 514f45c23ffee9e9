// The MD5 worker's message protocol, run in node with a stand-in for the worker's global scope.
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';

it('hashes each file from its chunks, answers on end, and forgets a dropped file', async () => {
  const posted: unknown[] = [];
  const scope = { onmessage: undefined as ((e: { data: unknown }) => void) | undefined, postMessage: (m: unknown) => posted.push(m) };
  (globalThis as { self?: unknown }).self = scope;
  await import('./md5-worker');
  const send = (data: unknown) => scope.onmessage!({ data });
  const a = new Uint8Array(100_003).map((_, i) => i * 31);
  const b = new Uint8Array(5000).map((_, i) => i * 7);
  // Two files interleaved, in uneven chunks (copies, as md5-hasher sends them).
  for (let at = 0; at < a.length; at += 4099) {
    send({ id: 1, chunk: a.slice(at, at + 4099).buffer });
    if (at < b.length) send({ id: 2, chunk: b.slice(at, at + 4099).buffer });
  }
  send({ id: 3, chunk: b.slice().buffer });
  send({ id: 3, drop: true });
  send({ id: 2, end: true });
  send({ id: 1, end: true });
  send({ id: 3, end: true });
  const md5 = (x: Uint8Array) => createHash('md5').update(x).digest('hex');
  expect(posted).toEqual([
    { id: 2, hex: md5(b) },
    { id: 1, hex: md5(a) },
    { id: 3, hex: md5(new Uint8Array(0)) },
  ]);
  delete (globalThis as { self?: unknown }).self;
});
