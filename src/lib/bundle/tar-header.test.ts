import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/** Names at ustar's limits: 100 bytes in the name field, a 155-byte prefix, a split before the last slash. */
const edgeNames = [
  'n'.repeat(100),
  `${'p'.repeat(155)}/${'r'.repeat(100)}`,
  `${'a'.repeat(100)}/${'b'.repeat(60)}/${'c'.repeat(30)}`,
  `model/${'s'.repeat(94)}`,
];

/** A header with one field rewritten and the checksum summed again, as another writer might make it. */
function withField(h: Uint8Array, at: number, text: string, len = text.length): Uint8Array {
  const out = h.slice();
  out.fill(0, at, at + len);
  out.set(new TextEncoder().encode(text), at);
  out.fill(0x20, 148, 156);
  const sum = out.reduce((n, b) => n + b, 0);
  out.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return out;
}

describe('ustar header fields', () => {
  it('match the system tar byte for byte, names at the limits included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    const files = ['f.txt', ...edgeNames];
    files.forEach((name, i) => {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), 'x'.repeat(i * 7));
    });
    writeFileSync(join(dir, 'list'), files.join('\n'));
    const gnu = ['--format=ustar', '--owner=0', '--group=0', '--numeric-owner', '--mode=644', '--mtime=@1700000000'];
    execFileSync('tar', [...gnu, '--no-recursion', '-cf', 'y.tar', '-T', 'list'], { cwd: dir });
    const theirs = new Uint8Array(readFileSync(join(dir, 'y.tar')));
    let at = 0;
    files.forEach((name, i) => {
      const size = i * 7;
      const ours = encodeHeader({ name, size, mtime: 1_700_000_000 });
      const their = theirs.subarray(at, at + TAR_BLOCK);
      // All but the checksum and the device fields (which that tar fills with zero digits, we with NULs).
      for (const [from, to] of [
        [0, 148],
        [156, 329],
        [345, TAR_BLOCK],
      ])
        expect(ours.subarray(from, to), `${name} ${from}`).toEqual(their.subarray(from, to));
      expect(decodeHeader(their)).toEqual({ name, size, mtime: 1_700_000_000, type: '0' });
      expect(decodeHeader(ours)).toEqual({ name, size, mtime: 1_700_000_000, type: '0' });
      at += TAR_BLOCK + size + padding(size);
    });
  });

  it('hold the largest size ustar can state, and the checksum as six digits, NUL and space', () => {
    const h = encodeHeader({ name: 'a', size: 8 ** 11 - 1, mtime: 0 });
    expect(new TextDecoder().decode(h.subarray(124, 136))).toBe('77777777777\0');
    expect(decodeHeader(h).size).toBe(8 ** 11 - 1);
    expect(new TextDecoder().decode(h.subarray(154, 156))).toBe('\0 ');
  });

  it('refuse sizes and times that ustar cannot state exactly', () => {
    for (const size of [8 ** 11, -1, 1.5, Number.NaN])
      expect(() => encodeHeader({ name: 'a', size, mtime: 0 }), `${size}`).toThrow(/a: size .* does not fit ustar/);
    expect(() => encodeHeader({ name: 'a', size: 0, mtime: 8 ** 11 })).toThrow('"100000000000\0" is too long for a tar header field');
  });

  it('refuse names that no split at a slash fits into prefix and name', () => {
    for (const name of [
      'x'.repeat(101),
      `/${'x'.repeat(100)}`,
      `a/${'b'.repeat(101)}`,
      `${'p'.repeat(156)}/${'f'.repeat(10)}`,
      `${'p'.repeat(155)}/${'r'.repeat(101)}`,
    ]) {
      expect(() => encodeHeader({ name, size: 0, mtime: 0 }), name).toThrow(`the name "${name}" is too long for a ustar archive`);
    }
  });

  it('read octal fields ended by a space, and refuse ones that are not octal', () => {
    const h = encodeHeader({ name: 'a', size: 5, mtime: 0 });
    expect(decodeHeader(withField(h, 124, '00000000005 ')).size).toBe(5);
    expect(decodeHeader(withField(h, 124, '     5 \0', 12)).size).toBe(5);
    for (const bad of ['0000000008\0', '1x\0', 'x1\0', '\0']) {
      expect(() => decodeHeader(withField(h, 124, bad, 12)), JSON.stringify(bad)).toThrow("the tar header's size is not an octal number");
    }
    expect(() => decodeHeader(withField(h, 136, '1x\0', 12))).toThrow("the tar header's mtime is not an octal number");
    const noSum = h.slice();
    noSum.set(new TextEncoder().encode('x\0'), 148);
    expect(() => decodeHeader(noSum)).toThrow("the tar header's checksum is not an octal number");
  });
});
