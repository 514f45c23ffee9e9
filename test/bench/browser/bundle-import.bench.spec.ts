// Import of a large model bundle (32 shards × 32 MiB, about 1 GiB) into Cache Storage (or another backend): wall time
// from picking the file to "done", and the browser's memory while it runs (the summed RSS of the
// Chromium processes this test started, sampled with ps), against its memory before the import.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_URL } from '../../e2e/fixtures/browser';
import { pickModel } from '../../e2e/fixtures/app';
import { ModelServer } from '../../e2e/fixtures/model-server';
import { BUNDLE_FORMAT, BUNDLE_VERSION, INDEX_ENTRY, TAR_BLOCK, type BundleFile, type BundleIndex } from '../../../src/lib/bundle/format';
import { encodeHeader, padding } from '../../../src/lib/bundle/tar-header';

const MIB = 1024 * 1024;
const SHARDS = 32;
const SHARD_BYTES = 32 * MIB;
const ID = 'bench-import-q4f32_1-MLC';
/** AIRGAP_BENCH_BACKEND=indexeddb|opfs measures another storage backend (default: Cache Storage). */
const BACKEND = (process.env.AIRGAP_BENCH_BACKEND ?? 'cache') as 'cache' | 'indexeddb' | 'opfs';

/** Shard i: one random block with its first bytes set to i (distinct files, cheap to make twice). */
const base = randomBytes(SHARD_BYTES);
function shard(i: number): Buffer {
  base.writeUInt32LE(i, 0);
  return base;
}

/** Writes the bundle to `path` one file at a time (hashes first, then the archive). */
function writeBundle(path: string): number {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const shards = Array.from({ length: SHARDS }, (_, i) => {
    const b = shard(i);
    return { sha256: sha(b), md5: createHash('md5').update(b).digest('hex') };
  });
  const small = new Map<string, Buffer>([
    ['model/mlc-chat-config.json', Buffer.from(JSON.stringify({ tokenizer_files: ['tokenizer.json'], context_window_size: 1024 }))],
    [
      'model/tensor-cache.json',
      Buffer.from(
        JSON.stringify({
          records: shards.map((s, i) => ({
            dataPath: `params_shard_${i}.bin`,
            format: 'raw-shard',
            nbytes: SHARD_BYTES,
            records: [],
            md5sum: s.md5,
          })),
        }),
      ),
    ],
    [`lib/${ID}.wasm`, Buffer.from('placeholder model library')],
    ['model/tokenizer.json', Buffer.from(JSON.stringify({ model: { vocab: {} } }))],
  ]);
  const entry = (p: string, kind: BundleFile['kind'], bytes: number, sha256: string): BundleFile => {
    const [b, ...rest] = p.split('/');
    return { path: p, base: b as 'model' | 'lib', key: rest.join('/'), kind, bytes, sha256 };
  };
  const of = (p: string, kind: BundleFile['kind']) => entry(p, kind, small.get(p)!.length, sha(small.get(p)!));
  const files = [
    of('model/mlc-chat-config.json', 'config'),
    of('model/tensor-cache.json', 'manifest'),
    of(`lib/${ID}.wasm`, 'wasm'),
    ...shards.map((s, i) => entry(`model/params_shard_${i}.bin`, 'shard', SHARD_BYTES, s.sha256)),
    of('model/tokenizer.json', 'tokenizer'),
  ];
  const index: BundleIndex = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdBy: 'Airgap bench',
    createdAt: new Date(0).toISOString(),
    record: { model_id: ID, model: `http://127.0.0.1:9/${ID}/resolve/main/`, model_lib: `http://127.0.0.1:9/libs/${ID}.wasm` },
    files,
    totalBytes: files.reduce((n, f) => n + f.bytes, 0),
  };
  const fd = openSync(path, 'w');
  const add = (name: string, body: Buffer) => {
    writeSync(fd, encodeHeader({ name, size: body.length, mtime: 0 }));
    writeSync(fd, body);
    writeSync(fd, Buffer.alloc(padding(body.length)));
  };
  add(INDEX_ENTRY, Buffer.from(JSON.stringify(index, null, 2)));
  for (const f of files) add(f.path, f.kind === 'shard' ? shard(Number(/\d+/.exec(f.key)![0])) : small.get(f.path)!);
  writeSync(fd, Buffer.alloc(2 * TAR_BLOCK));
  closeSync(fd);
  return index.totalBytes;
}

/** RSS (bytes) of the Chromium processes this test launched (the processes below this one), by process type. */
function browserRss(): Map<string, number> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l)!)
    .map(([, pid, ppid, rss, args]) => ({ pid: Number(pid), ppid: Number(ppid), rss: Number(rss) * 1024, args: args! }));
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) {
      if (mine.has(r.pid) || !mine.has(r.ppid)) continue;
      mine.add(r.pid);
      grew = true;
    }
  }
  const byType = new Map<string, number>();
  for (const r of rows) {
    if (!mine.has(r.pid) || r.pid === process.pid || !/chrom/i.test(r.args.split(' ')[0]!)) continue;
    const type = /--type=(\S+)/.exec(r.args)?.[1] ?? 'browser';
    byType.set(type, (byType.get(type) ?? 0) + r.rss);
  }
  return byType;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const fmt = (m: Map<string, number>) => [...m].map(([t, b]) => `${t} ${(b / MIB).toFixed(0)}`).join(', ');

/** Runs `work` while sampling the browser's RSS; returns its time and the RSS before, at the peak and after. */
async function measured(work: () => Promise<void>) {
  const before = browserRss();
  let peak = before;
  const timer = setInterval(() => {
    const now = browserRss();
    if (sum(now) > sum(peak)) peak = now;
  }, 250);
  const t0 = Date.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { ms: Date.now() - t0, before, peak, after: browserRss() };
}

function table(title: string, total: number, m: Awaited<ReturnType<typeof measured>>): string {
  return (
    `\n| ${title}, ${(total / MIB).toFixed(0)} MiB (${SHARDS} × ${SHARD_BYTES / MIB} MiB shards), ${BACKEND} backend | |\n|---|---:|\n` +
    `| wall time | ${(m.ms / 1000).toFixed(1)} s (${(total / MIB / (m.ms / 1000)).toFixed(0)} MiB/s) |\n` +
    `| browser RSS before | ${(sum(m.before) / MIB).toFixed(0)} MiB (${fmt(m.before)}) |\n` +
    `| browser RSS at its peak | ${(sum(m.peak) / MIB).toFixed(0)} MiB (${fmt(m.peak)}) |\n` +
    `| browser RSS once offline-ready | ${(sum(m.after) / MIB).toFixed(0)} MiB (${fmt(m.after)}) |`
  );
}

/**
 * Runs `work` in a browser whose profile is on disk: a test's default (incognito) context keeps
 * storage in memory, which would count the stored model as browser RSS.
 */
async function onDisk(work: (page: Page) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'airgap-bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, baseURL: PREVIEW_URL });
  try {
    await work(context.pages()[0] ?? (await context.newPage()));
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('storage-open').click();
  if (BACKEND !== 'cache') {
    await page.getByTestId('storage-backend').selectOption(BACKEND);
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  }
}

test('import of a 1 GiB bundle: time and the browser’s peak memory', async () => {
  test.setTimeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'airgap-bench-bundle-'));
  try {
    await onDisk(async (page) => {
      const path = join(dir, `${ID}.airgap.tar`);
      const total = writeBundle(path);
      await open(page, '/');
      const m = await measured(async () => {
        await page.getByTestId('bundle-import-input').setInputFiles(path);
        await expect(page.getByTestId('bundle-progress')).toHaveAttribute('data-state', 'done', { timeout: 540_000 });
      });
      await expect(page.locator(`[data-testid="cached-model"][data-model-id="${ID}"]`)).toHaveAttribute('data-offline-ready', 'true');
      console.log(table('bundle import', total, m));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('for comparison, a download of a model of the same size from a local server', async () => {
  test.setTimeout(600_000);
  const id = 'bench-dl-q4f32_1-MLC';
  const server = new ModelServer([{ id, shards: SHARDS, shardBytes: SHARD_BYTES }]);
  await server.start();
  try {
    await onDisk(async (page) => {
      await open(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
      // Downloaded in the tab, as the import runs (not handed to Background Fetch).
      await page.getByTestId('download-background').uncheck();
      await page.getByTestId('storage-close').click();
      await pickModel(page, id);
      const m = await measured(async () => {
        await page.getByTestId('download-model').click();
        await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 540_000 });
      });
      console.log(table('download (ours)', server.modelBytes(server.models[0]!), m));
    });
  } finally {
    await server.stop();
  }
});
