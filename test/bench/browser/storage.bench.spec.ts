// Download throughput, side by side in one run on the same files from the same local server, for
// each storage backend: a plain 4-parallel fetch that only reads the bodies, WebLLM 0.2.86's own
// download-and-cache path as its reload runs it (its own classes, webllm-artifact-cache.ts), and
// our download manager through the UI. Also the offline cold start (service worker) to data-ready.
import { expect, test, type Page } from '@playwright/test';
import { pickModel } from '../../e2e/fixtures/app';
import { ModelServer } from '../../e2e/fixtures/model-server';
import { webllmArtifactCacheSource } from '../webllm-artifact-cache';

const MIB = 1024 * 1024;
const MODEL = 'bench-q4f32_1-MLC';
const BACKENDS = ['cache', 'indexeddb', 'opfs'] as const;
type Backend = (typeof BACKENDS)[number];
/** `BENCH_RUNS` and `BENCH_BACKENDS` (comma-separated) narrow a run while working on one backend. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.env.BENCH_BACKENDS?.split(',') ?? BACKENDS;
/** Where WebLLM's own path stores in the bench: apart from the app's webllm/* scopes. */
const BENCH_SCOPE = 'bench-webllm';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// WebLLM's classes are evaluated in the page; the app's CSP (rightly) forbids that.
test.use({ bypassCSP: true });

async function useBackend(page: Page, backend: Backend) {
  await page.getByTestId('storage-open').click();
  await page.getByTestId('storage-backend').selectOption(backend);
  await page.getByTestId('storage-close').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await pickModel(page, MODEL);
}

function plainFetch(page: Page, urls: string[]): Promise<number> {
  return page.evaluate(async (list) => {
    const t0 = performance.now();
    const queue = [...list];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let u = queue.shift(); u; u = queue.shift()) await (await fetch(u, { cache: 'no-store' })).arrayBuffer();
      }),
    );
    return performance.now() - t0;
  }, urls);
}

interface WebllmFiles {
  config: string;
  wasm: string;
  tokenizer: string;
  tensorCache: string;
}

/**
 * WebLLM's reload (bundle lines ~18225-18313): config and model library through fetchWithCache,
 * the tokenizer (asyncLoadTokenizer, ~14916), then tvmjs fetchTensorCache (~8107): tensor-cache.json,
 * and the shards through addToCache in four loops over contiguous quarters of the list (~8230).
 * The loading-onto-the-GPU phase after it is not part of a download and is left out.
 */
function webllmPath(page: Page, source: string, files: WebllmFiles, backend: Backend): Promise<number> {
  return page.evaluate(
    async ({ source, files, backend, scope }) => {
      type Cache = {
        fetchWithCache(url: string, type: string): Promise<unknown>;
        addToCache(url: string, type: string): Promise<void>;
        db?: IDBDatabase;
      };
      type Ctor = new (scope: string) => Cache;
      const classes = new Function(source)() as Record<'ArtifactCache' | 'ArtifactIndexedDBCache' | 'ArtifactOPFSCache', Ctor>;
      const Make = { cache: classes.ArtifactCache, indexeddb: classes.ArtifactIndexedDBCache, opfs: classes.ArtifactOPFSCache }[backend];
      const config = new Make(`${scope}/config`);
      const wasm = new Make(`${scope}/wasm`);
      const model = new Make(`${scope}/model`);
      const t0 = performance.now();
      await config.fetchWithCache(files.config, 'arraybuffer');
      await wasm.fetchWithCache(files.wasm, 'arraybuffer');
      await model.fetchWithCache(files.tokenizer, 'arraybuffer');
      const list = ((await model.fetchWithCache(files.tensorCache, 'json')) as { records: { dataPath: string }[] }).records;
      const urls = list.map((r) => new URL(r.dataPath, files.tensorCache).href);
      const q = Math.floor(urls.length / 4);
      const loop = async (a: number, b: number) => {
        for (let i = a; i < b; i++) await model.addToCache(urls[i]!, 'arraybuffer');
      };
      await Promise.all([loop(0, q), loop(q, 2 * q), loop(2 * q, 3 * q), loop(3 * q, urls.length)]);
      const ms = performance.now() - t0;
      for (const c of [config, wasm, model]) c.db?.close();
      return ms;
    },
    { source, files, backend, scope: BENCH_SCOPE },
  );
}

/** Removes what WebLLM's path stored, in every backend. */
function clearWebllmPath(page: Page): Promise<void> {
  return page.evaluate(async (scope) => {
    for (const name of await caches.keys()) if (name.startsWith(`${scope}/`)) await caches.delete(name);
    for (const db of await indexedDB.databases())
      if (db.name?.startsWith(`${scope}/`))
        await new Promise((resolve, reject) => {
          const req = indexedDB.deleteDatabase(db.name!);
          req.onsuccess = resolve;
          req.onerror = () => reject(req.error);
          req.onblocked = () => reject(new Error(`${db.name} is still open`));
        });
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('tvmjs-opfs-store', { create: true });
    await root.removeEntry(encodeURIComponent(scope), { recursive: true }).catch(() => {});
  }, BENCH_SCOPE);
}

/** Our download from the click to offline-ready, in the tab or handed to Background Fetch (the setting). */
async function ours(page: Page, background: boolean): Promise<number> {
  await page.getByTestId('storage-open').click();
  await page.getByTestId('download-background').setChecked(background);
  await page.getByTestId('storage-close').click();
  const t0 = Date.now();
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 120_000 });
  const ms = Date.now() - t0;
  await page.getByTestId('storage-open').click();
  await page.locator(`[data-testid="cached-model"][data-model-id="${MODEL}"]`).getByTestId('cached-model-delete').click();
  await expect(page.locator(`[data-testid="cached-model"][data-model-id="${MODEL}"]`)).toHaveCount(0, { timeout: 60_000 });
  await page.getByTestId('storage-close').click();
  await pickModel(page, MODEL);
  return ms;
}

test('download throughput: plain fetch, WebLLM own path and ours, per storage backend', async ({ page }) => {
  test.setTimeout(900_000);
  const source = webllmArtifactCacheSource();
  const server = new ModelServer([{ id: MODEL, shards: 48, shardBytes: 8 * MIB }]);
  await server.start();
  try {
    const paths = server.pathsOf(server.models[0]!);
    const url = (end: string) => `${server.origin}${paths.find((p) => p.endsWith(end))!}`;
    const files = {
      config: url('mlc-chat-config.json'),
      wasm: url('.wasm'),
      tokenizer: url('tokenizer.json'),
      tensorCache: url('tensor-cache.json'),
    };
    const total = server.modelBytes(server.models[0]!);
    await page.goto(`/?models=${encodeURIComponent(server.appConfigUrl)}`);
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    const rows: string[] = [];
    for (const backend of BACKENDS.filter((b) => ONLY.includes(b))) {
      await useBackend(page, backend);
      const t = { plain: [] as number[], webllm: [] as number[], ours: [] as number[], background: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        t.plain.push(
          await plainFetch(
            page,
            paths.map((p) => `${server.origin}${p}`),
          ),
        );
        t.webllm.push(await webllmPath(page, source, files, backend));
        await clearWebllmPath(page);
        t.ours.push(await ours(page, false));
        t.background.push(await ours(page, true));
      }
      const mbps = (xs: number[]) => (total / MIB / (median(xs) / 1000)).toFixed(1);
      rows.push(
        `| ${backend} | ${mbps(t.plain)} | ${mbps(t.webllm)} | ${mbps(t.ours)} | ${mbps(t.background)} | ${((median(t.plain) / median(t.ours)) * 100).toFixed(0)}% |`,
      );
    }
    console.log(
      [
        `\n${(total / MIB).toFixed(0)} MiB (${paths.length} files) from the local server, MiB/s, median of ${RUNS}:`,
        '| backend | plain fetch, 4 parallel, no storing | WebLLM 0.2.86 own path | ours (verify + store) | ours, Background Fetch on | ours / plain |',
        '|---|---:|---:|---:|---:|---:|',
        ...rows,
      ].join('\n'),
    );
  } finally {
    await server.stop();
  }
});

test('offline cold start to data-ready', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  await context.setOffline(true);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = Date.now();
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    times.push(Date.now() - t0);
  }
  console.log(
    `\noffline cold start (WebLLM engine, service worker, 7 runs): median ${median(times)} ms, min ${Math.min(...times)}, max ${Math.max(...times)} (budget 1500 ms)`,
  );
});
