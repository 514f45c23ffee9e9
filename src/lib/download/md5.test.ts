import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5 } from './md5';

const md5 = (s: string) => new Md5().update(new TextEncoder().encode(s)).hex();

describe('md5', () => {
  it('matches the RFC 1321 test suite', () => {
    expect(md5('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5('a')).toBe('0cc175b9c0f1b6a831c399e269772661');
    expect(md5('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(md5('abcdefghijklmnopqrstuvwxyz')).toBe('c3fcd3d76192e4007dfb496cca67e13b');
    expect(md5('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe(
      '57edf4a22be3c955ac49da2e2107b67a',
    );
  });

  it('gives the same digest whatever the chunking, at every padding boundary', () => {
    const data = new Uint8Array(70_001).map((_, i) => (i * 2654435761) >>> 24);
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 70_001]) {
      const slice = data.subarray(0, n);
      const want = createHash('md5').update(slice).digest('hex');
      expect(new Md5().update(slice).hex(), `${n} bytes`).toBe(want);
      const chunked = new Md5();
      for (let at = 0; at < n; at += 37) chunked.update(slice.subarray(at, Math.min(n, at + 37)));
      expect(chunked.hex(), `${n} bytes in 37-byte chunks`).toBe(want);
    }
  });

  it('hashes a 32 MiB shard quickly enough to run while it downloads', () => {
    const shard = new Uint8Array(32 * 1024 * 1024).map((_, i) => i & 0xff);
    const t0 = performance.now();
    const h = new Md5().update(shard).hex();
    const ms = performance.now() - t0;
    expect(h).toBe(createHash('md5').update(shard).digest('hex'));
    console.log(`md5: 32 MiB in ${ms.toFixed(0)} ms (${(32 / (ms / 1000)).toFixed(0)} MiB/s)`);
  });
});
