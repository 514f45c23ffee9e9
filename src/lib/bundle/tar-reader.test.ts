import { describe, expect, it } from 'vitest';
import { TAR_BLOCK } from './format';
import { encodeHeader, padding } from './tar-header';
import { blobSource, streamSource, TarReader, type ByteSource } from './tar-reader';

function tar(entries: { name: string; data: Uint8Array; type?: string }[], end = true): Uint8Array {
  const parts: number[] = [];
  for (const e of entries) {
    const h = encodeHeader({ name: e.name, size: e.data.length, mtime: 0 });
    if (e.type) {
      h[156] = e.type.charCodeAt(0);
      // Re-sum the header for the changed type byte.
      h.fill(0x20, 148, 156);
      const sum = h.reduce((n, b) => n + b, 0);
      h.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    }
    parts.push(...h, ...e.data, ...new Uint8Array(padding(e.data.length)));
  }
  if (end) parts.push(...new Uint8Array(2 * TAR_BLOCK));
  return new Uint8Array(parts);
}

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * seed) & 0xff);
const asBlob = (u: Uint8Array) => blobSource(new Blob([u as Uint8Array<ArrayBuffer>]));
/** A stream of the bytes in small, unaligned chunks. */
function asStream(u: Uint8Array, chunk = 300): ByteSource {
  let at = 0;
  return streamSource(
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= u.length) return c.close();
        c.enqueue(u.slice(at, at + chunk));
        at += chunk;
      },
    }),
  );
}

for (const [label, open] of [
  ['a Blob', asBlob],
  ['a stream', asStream],
] as const) {
  describe(`TarReader over ${label}`, () => {
    const a = bytes(700, 3);
    const b = bytes(1024, 5);
    const c = bytes(0);

    it('reads each entry, reading or skipping data, and stops at the end marker', async () => {
      const r = new TarReader(
        open(
          tar([
            { name: 'a', data: a },
            { name: 'dir/b', data: b },
            { name: 'c', data: c },
          ]),
        ),
      );
      const seen: string[] = [];
      for await (const e of r.entries()) {
        seen.push(`${e.name}:${e.size}@${e.headerOffset}`);
        if (e.name === 'a') expect(await r.data()).toEqual(a);
        if (e.name === 'c') expect(await r.data()).toEqual(c);
      }
      expect(seen).toEqual(['a:700@0', 'dir/b:1024@1536', 'c:0@3072']);
    });

    it('refuses an archive cut short inside data, inside a header, or before the end marker', async () => {
      const whole = tar([{ name: 'a', data: a }]);
      const inData = new TarReader(open(whole.slice(0, 600)));
      await inData.next();
      await expect(inData.data()).rejects.toThrow('cut short in a');
      const skipped = new TarReader(open(whole.slice(0, 600)));
      await skipped.next();
      await expect(skipped.next()).rejects.toThrow('cut short in a');
      const noEnd = new TarReader(open(tar([{ name: 'a', data: a }], false)));
      await noEnd.next();
      await expect(noEnd.next()).rejects.toThrow('end-of-archive marker');
      const inHeader = new TarReader(open(whole.slice(0, 1536 + 100)));
      await inHeader.next();
      await expect(inHeader.next()).rejects.toThrow('cut short');
    });

    it('reports non-regular entries by type and refuses a header that fails its checksum', async () => {
      const r = new TarReader(open(tar([{ name: 'link', data: c, type: '2' }])));
      expect((await r.next())?.type).toBe('2');
      const bad = tar([{ name: 'a', data: a }]);
      bad[10]! ^= 1;
      await expect(new TarReader(open(bad)).next()).rejects.toThrow('checksum');
    });
  });
}

describe('blobSource', () => {
  it('starts at an offset without reading what is before it', async () => {
    const src = blobSource(new Blob([bytes(2000) as Uint8Array<ArrayBuffer>]), 1536);
    expect(src.position).toBe(1536);
    expect((await src.read(1000)).byteLength).toBe(464);
    expect(await src.skip(10)).toBe(0);
  });
});

describe('TarReader at the edges of an archive', () => {
  const a = bytes(700, 3);

  it('knows where it is, and ends at one zero block when a writer left out the second', async () => {
    const r = new TarReader(asBlob(tar([{ name: 'a', data: a }])));
    await r.next();
    expect(r.position).toBe(TAR_BLOCK);
    await r.data();
    expect(r.position).toBe(TAR_BLOCK + 700);
    expect(await r.next()).toBeUndefined();
    const oneZero = tar([{ name: 'a', data: a }]).slice(0, -TAR_BLOCK);
    for (const tail of [new Uint8Array(0), new Uint8Array(100).fill(7)]) {
      const short = new TarReader(asBlob(new Uint8Array([...oneZero, ...tail])));
      await short.next();
      expect(await short.next()).toBeUndefined();
    }
  });

  it('refuses a zero block followed by another entry', async () => {
    const ab = tar([{ name: 'a', data: a }], false);
    const stray = new Uint8Array([...ab, ...new Uint8Array(TAR_BLOCK), ...tar([{ name: 'b', data: a }])]);
    const r = new TarReader(asBlob(stray));
    await r.next();
    await expect(r.next()).rejects.toThrow('the archive has a stray zero block between entries');
  });

  it('gives an entry its data once, and none before the first entry or after the end', async () => {
    const r = new TarReader(asBlob(tar([{ name: 'a', data: a }])));
    await expect(r.data()).rejects.toThrow('no entry data to read');
    await r.next();
    expect(await r.data()).toEqual(a);
    await expect(r.data()).rejects.toThrow('no entry data to read');
    expect(await r.next()).toBeUndefined();
    await expect(r.data()).rejects.toThrow('no entry data to read');
  });

  it('says which entry a cut archive ends in', async () => {
    const r = new TarReader(asBlob(tar([{ name: 'dir/a', data: a }]).slice(0, 600)));
    await r.next();
    const err = await r.data().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('the archive is cut short in dir/a');
  });
});

describe('streamSource', () => {
  /** A stream of 512-byte chunks that counts how often it is asked for one. */
  function counted(chunks: Uint8Array[]): { src: ByteSource; pulls: () => number } {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          const next = chunks[pulls++];
          if (next) c.enqueue(next);
          else c.close();
        },
      },
      { highWaterMark: 0 },
    );
    return { src: streamSource(stream), pulls: () => pulls };
  }

  it('does not wait on the stream for bytes it was not asked for', async () => {
    const { src, pulls } = counted([bytes(512), bytes(512, 2), bytes(512, 3)]);
    expect(await src.read(512)).toEqual(bytes(512));
    expect(pulls()).toBe(1);
    expect(await src.skip(512)).toBe(512);
    expect(pulls()).toBe(2);
    expect(src.position).toBe(1024);
  });

  it('hands out bytes of its own, not a view on the stream chunk', async () => {
    const chunk = bytes(1024);
    const { src } = counted([chunk]);
    const got = await src.read(512);
    chunk.fill(0);
    expect(got).toEqual(bytes(512));
  });
});
