import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../bytes';
import { buildBundleIndex, encodeIndex } from './bundle-index';
import { INDEX_ENTRY, TAR_BLOCK, bundlePlace, type BundleIndex } from './format';
import { decodeHeader, isZeroBlock } from './tar-header';
import { TarWriter, archiveBytes } from './tar-writer';

const record = { model_id: 'M-MLC', model: 'https://hf.example/org/M-MLC', model_lib: 'https://libs.example/v1/M-webgpu.wasm' };
const base = 'https://hf.example/org/M-MLC/resolve/main/';

function collect(): { sink: { write(c: Uint8Array): Promise<void> }; bytes(): Buffer } {
  const parts: Buffer[] = [];
  return { sink: { write: async (c) => void parts.push(Buffer.from(c)) }, bytes: () => Buffer.concat(parts) };
}

/** A small model whose files have sizes on and off the 512-byte grid. */
async function writeBundle(): Promise<{ archive: Buffer; index: BundleIndex; data: Map<string, Buffer> }> {
  const files = [
    { url: `${base}params_shard_0.bin`, kind: 'shard' as const, body: Buffer.alloc(1500, 7) },
    { url: `${base}tokenizer.json`, kind: 'tokenizer' as const, body: Buffer.from('{"tok":1}') },
    { url: record.model_lib, kind: 'wasm' as const, body: Buffer.alloc(TAR_BLOCK, 1) },
    { url: `${base}tensor-cache.json`, kind: 'manifest' as const, body: Buffer.from('{"records":[]}') },
    { url: `${base}mlc-chat-config.json`, kind: 'config' as const, body: Buffer.from('{}') },
    { url: `${base}params_shard_1.bin`, kind: 'shard' as const, body: Buffer.alloc(0) },
  ];
  const hashed = await Promise.all(files.map(async (f) => ({ file: f, bytes: f.body.length, sha256: await sha256Hex(f.body) })));
  const index = buildBundleIndex({ record, files: hashed, createdBy: 'test', createdAt: new Date(0) });
  const data = new Map(
    files.map((f) => {
      const { base: b, key } = bundlePlace(f, record);
      return [`${b}/${key}` as string, f.body] as const;
    }),
  );
  const out = collect();
  const tar = new TarWriter(out.sink, 0);
  const json = encodeIndex(index);
  await tar.add(INDEX_ENTRY, json.length, json);
  for (const f of index.files) await tar.add(f.path, f.bytes, data.get(f.path)!);
  await tar.end();
  return { archive: out.bytes(), index, data };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('bundle index', () => {
  it('puts the JSON files first, then the library, shards in plan order, and the tokenizer', async () => {
    const { index } = await writeBundle();
    expect(index.files.map((f) => f.path)).toEqual([
      'model/mlc-chat-config.json',
      'model/tensor-cache.json',
      'lib/M-webgpu.wasm',
      'model/params_shard_0.bin',
      'model/params_shard_1.bin',
      'model/tokenizer.json',
    ]);
    expect(index.totalBytes).toBe(1500 + 9 + TAR_BLOCK + 14 + 2);
  });
});

describe('TarWriter', () => {
  it('writes header, data and padding per entry and two zero blocks at the end', async () => {
    const { archive, index } = await writeBundle();
    const json = encodeIndex(index);
    expect(archive.length).toBe(archiveBytes([json.length, ...index.files.map((f) => f.bytes)]));
    expect(archive.length % TAR_BLOCK).toBe(0);
    expect(decodeHeader(archive.subarray(0, TAR_BLOCK)).name).toBe(INDEX_ENTRY);
    expect(isZeroBlock(archive.subarray(-2 * TAR_BLOCK, -TAR_BLOCK)) && isZeroBlock(archive.subarray(-TAR_BLOCK))).toBe(true);
  });

  it('pads only entries off the block grid, with zeros, so each header starts on a block', async () => {
    const out = collect();
    const tar = new TarWriter(out.sink, 0);
    await tar.add('a', TAR_BLOCK, new Uint8Array(TAR_BLOCK).fill(1));
    await tar.add('b', 0, new Uint8Array(0));
    await tar.add('c', 3, new Uint8Array(3).fill(2));
    await tar.add('d', 1, new Uint8Array(1).fill(3));
    const a = out.bytes();
    expect([0, 2 * TAR_BLOCK, 3 * TAR_BLOCK, 5 * TAR_BLOCK].map((at) => decodeHeader(a.subarray(at, at + TAR_BLOCK)).name)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect([...a.subarray(4 * TAR_BLOCK, 5 * TAR_BLOCK)]).toEqual([2, 2, 2, ...new Array<number>(TAR_BLOCK - 3).fill(0)]);
    expect(a.length).toBe(7 * TAR_BLOCK);
  });

  it('refuses an entry whose bytes do not add up to its stated size', async () => {
    const tar = new TarWriter(collect().sink, 0);
    await expect(tar.add('a', 3, new Uint8Array(2))).rejects.toThrow(/2 bytes where its header states 3/);
    async function* chunks() {
      yield new Uint8Array(2);
      yield new Uint8Array(2);
    }
    await expect(tar.add('b', 3, chunks())).rejects.toThrow(/more than the 3 bytes/);
  });

  it('ends once: a second end adds nothing, and no entry may follow the end blocks', async () => {
    const out = collect();
    const tar = new TarWriter(out.sink, 0);
    await tar.add('a', 1, new Uint8Array([7]));
    await tar.end();
    await tar.end();
    expect(tar.bytesWritten).toBe(archiveBytes([1]));
    await expect(tar.add('b', 0, new Uint8Array(0))).rejects.toThrow('the archive is already ended');
    expect(out.bytes().length).toBe(archiveBytes([1]));
  });

  it('is listed and extracted by the system tar, each file matching its index entry', async () => {
    const { archive, index, data } = await writeBundle();
    dir = mkdtempSync(join(tmpdir(), 'airgap-bundle-'));
    const file = join(dir, 'M.airgap.tar');
    writeFileSync(file, archive);
    const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual([INDEX_ENTRY, ...index.files.map((f) => f.path)]);
    execFileSync('tar', ['-xf', file, '-C', dir]);
    const extracted = JSON.parse(readFileSync(join(dir, INDEX_ENTRY), 'utf8')) as BundleIndex;
    expect(extracted).toEqual(index);
    for (const f of extracted.files) {
      const body = readFileSync(join(dir, f.path));
      expect(body.length, f.path).toBe(f.bytes);
      expect(createHash('sha256').update(body).digest('hex'), f.path).toBe(f.sha256);
      expect(body.equals(data.get(f.path)!), f.path).toBe(true);
    }
  });
});
