import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TAR_BLOCK } from './format';
import { decodeHeader, encodeHeader, isZeroBlock, padding } from './tar-header';

const longName = `model/${'d'.repeat(120)}/${'f'.repeat(90)}.bin`;

function archive(entries: { name: string; data: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(encodeHeader({ name: e.name, size: e.data.length, mtime: 1_700_000_000 }), e.data, new Uint8Array(padding(e.data.length)));
  }
  parts.push(new Uint8Array(2 * TAR_BLOCK));
  return Buffer.concat(parts);
}

describe('ustar headers', () => {
  it('round-trip name, size, mtime and type, long names through the prefix field', () => {
    for (const name of ['airgap-bundle.json', longName]) {
      const h = decodeHeader(encodeHeader({ name, size: 123_456_789, mtime: 1_700_000_000 }));
      expect(h).toEqual({ name, size: 123_456_789, mtime: 1_700_000_000, type: '0' });
    }
  });

  it('are read by the system tar, which lists and extracts the same bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    const a = new TextEncoder().encode('{"a":1}');
    const b = new Uint8Array(1000).map((_, i) => i % 251);
    writeFileSync(
      join(dir, 'x.tar'),
      archive([
        { name: 'airgap-bundle.json', data: a },
        { name: longName, data: b },
      ]),
    );
    const listed = execFileSync('tar', ['-tf', join(dir, 'x.tar')], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(listed).toEqual(['airgap-bundle.json', longName]);
    execFileSync('tar', ['-xf', join(dir, 'x.tar'), '-C', dir]);
    expect(new Uint8Array(readFileSync(join(dir, longName)))).toEqual(b);
  });

  it('read what the system tar writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    writeFileSync(join(dir, 'f.txt'), 'hello');
    execFileSync('tar', ['--format=ustar', '-cf', 'y.tar', 'f.txt'], { cwd: dir });
    const h = decodeHeader(new Uint8Array(readFileSync(join(dir, 'y.tar'))).subarray(0, TAR_BLOCK));
    expect(h.name).toBe('f.txt');
    expect(h.size).toBe(5);
    expect(h.type).toBe('0');
  });

  it('refuse a damaged header, a non-ustar block, and sizes or names ustar cannot hold', () => {
    const h = encodeHeader({ name: 'a', size: 1, mtime: 0 });
    const bad = h.slice();
    bad[0] = 0x62;
    expect(() => decodeHeader(bad)).toThrow(/checksum/);
    const notUstar = h.slice();
    notUstar.fill(0, 257, 263);
    expect(() => decodeHeader(notUstar)).toThrow(/ustar/);
    expect(() => decodeHeader(h.subarray(0, 100))).toThrow(/cut short/);
    expect(() => encodeHeader({ name: 'a', size: 8 ** 11, mtime: 0 })).toThrow(/does not fit/);
    expect(() => encodeHeader({ name: 'x'.repeat(101), size: 0, mtime: 0 })).toThrow(/too long/);
  });

  it('pad to the block size and know the end-of-archive block', () => {
    expect([0, 1, 511, 512, 513].map(padding)).toEqual([0, 511, 1, 0, 511]);
    expect(isZeroBlock(new Uint8Array(TAR_BLOCK))).toBe(true);
    expect(isZeroBlock(encodeHeader({ name: 'a', size: 0, mtime: 0 }))).toBe(false);
  });
});
