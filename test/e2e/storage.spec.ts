// Downloads into WebLLM's cache layout, faults and resume, the storage dashboard, backends, quota.
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import type { Page } from '@playwright/test';
import { expect, openReady, pickModel, test } from './fixtures/app';
import { FIXTURE_SHARD_BYTES, ModelServer } from './fixtures/model-server';

const MODEL = 'fixture-a-q4f32_1-MLC';
const option = (id: string) => `[data-testid="model-option"][data-model-id="${id}"]`;

let server: ModelServer;
test.beforeEach(async () => {
  server = new ModelServer([{ id: MODEL, shards: 4, shardBytes: FIXTURE_SHARD_BYTES, withHashes: true }]);
  await server.start();
});
test.afterEach(async () => server.stop());

async function open(page: Page) {
  await openReady(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
  await pickModel(page, MODEL);
}

/** Switches the storage backend (the engine restarts) and selects the fixture model again. */
async function useBackend(page: Page, backend: 'cache' | 'indexeddb' | 'opfs') {
  if (backend === 'cache') return;
  await page.getByTestId('storage-open').click();
  await page.getByTestId('storage-backend').selectOption(backend);
  await page.getByTestId('storage-close').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await pickModel(page, MODEL);
}

async function storageRow(page: Page) {
  await page.getByTestId('storage-open').click();
  return page.locator(`[data-testid="cached-model"][data-model-id="${MODEL}"]`);
}

test('a download makes the model offline-ready, WebLLM agrees, and each file is fetched once', async ({ page }) => {
  await open(page);
  await expect(page.locator(option(MODEL))).toHaveAttribute('data-source', 'custom');
  await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'false');
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'true');
  const row = await storageRow(page);
  await expect(row).toHaveAttribute('data-offline-ready', 'true');
  await expect(row).toHaveAttribute('data-webllm-cached', 'true');
  await expect(row).toHaveAttribute('data-bytes', String(server.modelBytes(server.models[0]!)));
  await expectNoSeriousA11yViolations(page, 'storage with a stored model');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousA11yViolations(page, 'storage with a stored model (dark)');
  for (const p of server.pathsOf(server.models[0]!)) expect(server.count(p), p).toBe(1);
});

test('a dropped connection and an HTTP 500 are retried; complete files are not fetched again', async ({ page }) => {
  await open(page);
  server.fail(server.shardPath(MODEL, 1), 'drop');
  server.fail(server.shardPath(MODEL, 2), '500');
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 30_000 });
  expect(server.count(server.shardPath(MODEL, 1))).toBe(2);
  expect(server.count(server.shardPath(MODEL, 2))).toBe(2);
  for (const p of server.pathsOf(server.models[0]!).filter((p) => !/shard_[12]/.test(p))) expect(server.count(p), p).toBe(1);
  // Re-downloaded bytes: only the half shard that was cut off.
  const extra = [...server.bytesSent.values()].reduce((a, b) => a + b, 0) - server.modelBytes(server.models[0]!);
  expect(extra).toBeGreaterThan(0);
  expect(extra).toBeLessThanOrEqual(FIXTURE_SHARD_BYTES);
  console.log(`fault test: ${extra} bytes re-downloaded; requests ${JSON.stringify(Object.fromEntries(server.requests))}`);
});

test('pause and resume re-fetch at most the files that were in flight', async ({ page }) => {
  await open(page);
  server.slowAll = true;
  await page.getByTestId('download-model').click();
  const progress = page.getByTestId('download-progress');
  await expect(page.locator('[data-testid="download-file"][data-state="done"]').first()).toBeAttached({ timeout: 20_000 });
  await page.getByTestId('download-pause').click();
  await expect(progress).toHaveAttribute('data-state', 'paused');
  const doneBeforePause = await page
    .locator('[data-testid="download-file"][data-state="done"]')
    .evaluateAll((els) => els.map((e) => new URL(e.getAttribute('data-url')!).pathname));
  expect(doneBeforePause.length).toBeGreaterThan(0);
  server.slowAll = false;
  await page.getByTestId('download-resume').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 30_000 });
  for (const p of doneBeforePause) expect(server.count(p), p).toBe(1);
  const refetched = server.pathsOf(server.models[0]!).filter((p) => server.count(p) > 1);
  expect(refetched.length).toBeLessThanOrEqual(4);
  for (const p of refetched) expect(server.count(p)).toBe(2);
  const extra = [...server.bytesSent.values()].reduce((a, b) => a + b, 0) - server.modelBytes(server.models[0]!);
  console.log(`pause/resume: ${refetched.length} files re-fetched, ${extra} bytes re-downloaded`);
});

test('deleting a model frees its space', async ({ page }) => {
  await open(page);
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  const row = await storageRow(page);
  await expect(row).toBeVisible();
  const usage = page.getByTestId('storage-usage');
  const before = Number(await usage.getAttribute('data-usage'));
  expect(before).toBeGreaterThan(4 * FIXTURE_SHARD_BYTES);
  await row.getByTestId('cached-model-delete').click();
  await expect(row).toHaveCount(0);
  await expect.poll(async () => Number(await usage.getAttribute('data-usage'))).toBeLessThan(before - 3 * FIXTURE_SHARD_BYTES);
  await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'false');
});

for (const backend of ['indexeddb', 'opfs'] as const) {
  test(`the ${backend} backend stores the model where WebLLM reads it`, async ({ page }) => {
    await open(page);
    await useBackend(page, backend);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    const row = await storageRow(page);
    await expect(row).toHaveAttribute('data-offline-ready', 'true');
    await expect(row).toHaveAttribute('data-webllm-cached', 'true');
    const where = await page.evaluate(async (b) => {
      if (b === 'indexeddb') return (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('webllm/'));
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle('tvmjs-opfs-store');
      const names: string[] = [];
      for await (const [name] of (dir as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) names.push(name);
      return names;
    }, backend);
    expect(where.length).toBeGreaterThan(0);
    // Cache Storage was not used for the weights.
    expect(
      await page.evaluate(async () => (await caches.has('webllm/model')) && (await (await caches.open('webllm/model')).keys()).length),
    ).toBeFalsy();
  });
}

test('a forced small quota: the preflight warns, and a forced download registers nothing half-written', async ({ page, context }) => {
  await open(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 3 * FIXTURE_SHARD_BYTES });
  await page.getByTestId('download-model').click();
  const warning = page.getByTestId('download-quota-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('will probably not fit');
  await page.getByTestId('download-anyway').click();
  await expect(page.getByTestId('error-banner')).toHaveAttribute('data-error-name', 'StorageFullError');
  await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'false');
  const row = await storageRow(page);
  if (await row.count()) {
    await expect(row).toHaveAttribute('data-offline-ready', 'false');
    await expect(row).toHaveAttribute('data-webllm-cached', 'false');
  }
});

test('custom sources: bad URLs and bad JSON give clear errors and change nothing', async ({ page }) => {
  await openReady(page, '/');
  const count = await page.getByTestId('model-option').count();
  await page.getByTestId('storage-open').click();
  for (const [url, message] of [
    ['not a url', 'is not a URL'],
    [`${server.origin}/missing.json`, 'HTTP 404'],
    [`${server.origin}/${MODEL}/resolve/main/tensor-cache.json`, 'model_list'],
    ['http://127.0.0.1:9/app-config.json', 'could not be reached'],
  ] as const) {
    await page.getByTestId('source-url').fill(url);
    await page.getByTestId('source-add').click();
    await expect(page.getByTestId('source-error')).toContainText(message);
  }
  await expect(page.getByTestId('model-option')).toHaveCount(count);
  await page.getByTestId('source-url').fill(server.appConfigUrl);
  await page.getByTestId('source-add').click();
  await expect(page.getByTestId('source-error')).toHaveCount(0);
  await expect(page.getByTestId('model-source')).toHaveCount(1);
  await expect(page.getByTestId('model-option')).toHaveCount(count + 1);
  // Kept across reloads.
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator(option(MODEL))).toHaveCount(1);
});

test('cancel stops the download and removes what it had stored; "delete all" empties the model stores', async ({ page }) => {
  await open(page);
  server.slowAll = true;
  await page.getByTestId('download-model').click();
  await expect(page.locator('[data-testid="download-file"][data-state="done"]').first()).toBeAttached({ timeout: 20_000 });
  await page.getByTestId('download-cancel').click();
  await expect(page.getByTestId('download-progress')).toHaveCount(0);
  await expect(page.getByTestId('download-model')).toBeVisible();
  await page.getByTestId('storage-open').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  await page.getByTestId('storage-close').click();

  server.slowAll = false;
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  await page.getByTestId('storage-open').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(1);
  await page.getByTestId('storage-clear').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  expect(await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('webllm/')))).toEqual([]);
  // The model source (a setting) is still there.
  await expect(page.getByTestId('model-source')).toHaveCount(1);
});

for (const backend of ['cache', 'indexeddb', 'opfs'] as const) {
  test(`with the network off, WebLLM's own reload reads config and model library from the ${backend} store`, async ({ page, context }) => {
    await open(page);
    await useBackend(page, backend);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    const served = JSON.stringify(Object.fromEntries(server.requests));
    await context.setOffline(true);
    await page.getByTestId('model-load').click();
    // The fixture's model library is a placeholder: WebLLM gets as far as compiling it, which it
    // can only do after finding the config and the library in the store without the network.
    await expect(page.getByTestId('error-banner')).toContainText('WebAssembly');
    expect(JSON.stringify(Object.fromEntries(server.requests))).toBe(served);
    await context.setOffline(false);
  });
}

/** A second fixture server for one test; stopped with the page's test. */
async function serve(models: ConstructorParameters<typeof ModelServer>[0]): Promise<ModelServer> {
  const s = new ModelServer(models);
  await s.start();
  return s;
}

test("a model with a package manifest: the manifest is stored, and WebLLM's offline reload reads it from the store", async ({
  page,
  context,
}) => {
  const id = 'fixture-pkg-q4f32_1-MLC';
  const s = await serve([{ id, shards: 2, shardBytes: FIXTURE_SHARD_BYTES, withPackageManifest: true }]);
  try {
    await openReady(page, `/?models=${encodeURIComponent(s.appConfigUrl)}`);
    await pickModel(page, id);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    for (const p of s.pathsOf(s.models[0]!)) expect(s.count(p), p).toBe(1);
    const manifestUrl = `${s.origin}/${id}/resolve/main/mlc-model-manifest.json`;
    expect(await page.evaluate(async (u) => Boolean(await (await caches.open('webllm/config')).match(u)), manifestUrl)).toBe(true);
    const served = JSON.stringify(Object.fromEntries(s.requests));
    await context.setOffline(true);
    await page.getByTestId('model-load').click();
    // The placeholder library fails to compile: WebLLM got past the manifest, config and library without the network.
    await expect(page.getByTestId('error-banner')).toContainText('WebAssembly');
    expect(JSON.stringify(Object.fromEntries(s.requests))).toBe(served);
    await context.setOffline(false);
  } finally {
    await s.stop();
  }
});

test('two model ids with one set of files: listed as downloaded, shared bytes counted once, deleting one keeps the other', async ({
  page,
}) => {
  const a = 'fixture-s-q4f32_1-MLC';
  const b = 'fixture-s-q4f32_1-MLC-1k';
  const s = await serve([
    { id: a, shards: 3, shardBytes: FIXTURE_SHARD_BYTES },
    { id: b, shards: 0, shardBytes: 0, sameFilesAs: a },
  ]);
  const bytes = s.modelBytes(s.models[0]!);
  const row = (id: string) => page.locator(`[data-testid="cached-model"][data-model-id="${id}"]`);
  try {
    await openReady(page, `/?models=${encodeURIComponent(s.appConfigUrl)}`);
    await pickModel(page, a);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    await page.getByTestId('storage-open').click();
    await expect(page.getByTestId('cached-model')).toHaveCount(1);
    await expect(row(a)).toHaveAttribute('data-bytes', String(bytes));
    await page.getByTestId('storage-close').click();

    await pickModel(page, b);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    for (const p of s.pathsOf(s.models[0]!)) expect(s.count(p), p).toBe(1);
    await page.getByTestId('storage-open').click();
    await expect(page.getByTestId('cached-model')).toHaveCount(2);
    await expect(page.getByTestId('storage-models-total')).toHaveAttribute('data-bytes', String(bytes));
    await expect(row(a).getByTestId('cached-model-shared')).toHaveAttribute('data-shared-with', b);
    await expect(row(a).getByTestId('cached-model-shared')).toHaveAttribute('data-bytes', String(bytes));

    await row(a).getByTestId('cached-model-delete').click();
    await expect(row(a)).toHaveCount(0);
    await expect(row(b)).toHaveAttribute('data-offline-ready', 'true');
    await expect(row(b)).toHaveAttribute('data-bytes', String(bytes));
    await expect(row(b).getByTestId('cached-model-shared')).toHaveCount(0);
    await expect(page.locator(option(b))).toHaveAttribute('data-cached', 'true');
    await expect(page.locator(option(a))).toHaveAttribute('data-cached', 'false');

    await page.getByTestId('storage-clear').click();
    await expect(page.getByTestId('cached-model')).toHaveCount(0);
    expect(await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('webllm/')))).toEqual([]);
  } finally {
    await s.stop();
  }
});

test("cancel while paused removes the download's files and its progress", async ({ page }) => {
  await open(page);
  server.slowAll = true;
  await page.getByTestId('download-model').click();
  await expect(page.locator('[data-testid="download-file"][data-state="done"]').first()).toBeAttached({ timeout: 20_000 });
  await page.getByTestId('download-pause').click();
  await expect(page.getByTestId('download-progress')).toHaveAttribute('data-state', 'paused');
  await page.getByTestId('download-cancel').click();
  await expect(page.getByTestId('download-progress')).toHaveCount(0);
  await expect(page.getByTestId('download-model')).toBeVisible();
  await page.getByTestId('storage-open').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  expect(
    await page.evaluate(async () => {
      let n = 0;
      for (const k of await caches.keys()) if (k.startsWith('webllm/')) n += (await (await caches.open(k)).keys()).length;
      return n;
    }),
  ).toBe(0);
});

test('cancel at the quota warning removes the files the download had already stored', async ({ page, context }) => {
  await open(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 3 * FIXTURE_SHARD_BYTES });
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('download-quota-warning')).toBeVisible();
  await page.getByTestId('download-quota-cancel').click();
  await expect(page.getByTestId('download-quota-warning')).toHaveCount(0);
  await expect(page.getByTestId('download-model')).toBeVisible();
  await page.getByTestId('storage-open').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  expect(await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('webllm/')))).toEqual([]);
});

test('only the tokenizer WebLLM reads is fetched, and a file that fails for good stops the download at once', async ({ page }) => {
  const id = 'fixture-t-q4f32_1-MLC';
  const s = await serve([
    { id, shards: 12, shardBytes: FIXTURE_SHARD_BYTES / 4, tokenizerFiles: ['tokenizer_config.json', 'tokenizer.json'] },
  ]);
  try {
    await openReady(page, `/?models=${encodeURIComponent(s.appConfigUrl)}`);
    await pickModel(page, id);
    s.slowAll = true;
    s.fail(s.shardPath(id, 0), '404');
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('error-banner')).toContainText('params_shard_0.bin: HTTP 404');
    const requested = Array.from({ length: 12 }, (_, i) => s.count(s.shardPath(id, i))).filter((n) => n > 0).length;
    expect(requested).toBeLessThanOrEqual(4);
    // Resumed, it completes; tokenizer_config.json (absent on the server) was never asked for.
    s.slowAll = false;
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    expect(s.count(`/${id}/resolve/main/tokenizer_config.json`)).toBe(0);
  } finally {
    await s.stop();
  }
});

for (const backend of ['cache', 'indexeddb', 'opfs'] as const) {
  test(`a shard streamed into the ${backend} store that fails its MD5 is refused and never stored`, async ({ page }) => {
    // No SHA-256 in tensor-cache.json (as MLC publishes models): shards stream straight into the store.
    const id = 'fixture-s-q4f32_1-MLC';
    const s = await serve([{ id, shards: 4, shardBytes: FIXTURE_SHARD_BYTES }]);
    try {
      s.corrupt(s.shardPath(id, 1));
      await openReady(page, `/?models=${encodeURIComponent(s.appConfigUrl)}`);
      if (backend !== 'cache') {
        await page.getByTestId('storage-open').click();
        await page.getByTestId('storage-backend').selectOption(backend);
        await page.getByTestId('storage-close').click();
        await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      }
      await pickModel(page, id);
      await page.getByTestId('download-model').click();
      await expect(page.getByTestId('error-banner')).toContainText('params_shard_1.bin does not match its MD5');
      const stored = await page.evaluate(
        async ({ backend, url }) => {
          if (backend === 'cache') return (await caches.match(url, { cacheName: 'webllm/model' })) !== undefined;
          if (backend === 'indexeddb') {
            const db = await new Promise<IDBDatabase>((resolve, reject) => {
              const req = indexedDB.open('webllm/model', 1);
              req.onsuccess = () => resolve(req.result);
              req.onerror = () => reject(req.error);
            });
            const key = await new Promise((resolve) => {
              const req = db.transaction('urls').objectStore('urls').getKey(url);
              req.onsuccess = () => resolve(req.result);
            });
            db.close();
            return key !== undefined;
          }
          const dir = await (
            await (await navigator.storage.getDirectory()).getDirectoryHandle('tvmjs-opfs-store')
          ).getDirectoryHandle('webllm');
          const names: string[] = [];
          for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
          const model = names.includes('model') ? await dir.getDirectoryHandle('model') : undefined;
          if (!model) return false;
          const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(url));
          const base = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
          return model.getFileHandle(`${base}.bin`).then(
            () => true,
            () => false,
          );
        },
        { backend, url: `${s.origin}${s.shardPath(id, 1)}` },
      );
      expect(stored).toBe(false);
      expect(s.count(s.shardPath(id, 1))).toBe(1);
      // The hashing ran in the MD5 worker, off the download's thread.
      expect(page.workers().some((w) => w.url().includes('md5-worker'))).toBe(true);
    } finally {
      await s.stop();
    }
  });
}
