// Importing a model without the network: an Airgap bundle (made by the tests from the fixture
// server's files, whole or damaged) or a model folder in its publisher's layout. Checks where the
// files land (WebLLM's reload finds them offline), and that a refused import leaves nothing behind.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, openReady, pickModel, test } from './fixtures/app';
import { makeBundle, type BundleDamage } from './fixtures/bundle-file';
import { FIXTURE_SHARD_BYTES, ModelServer } from './fixtures/model-server';

const MODEL = 'fixture-a-q4f32_1-MLC';
const option = (id: string) => `[data-testid="model-option"][data-model-id="${id}"]`;
const row = (page: Page, id = MODEL) => page.locator(`[data-testid="cached-model"][data-model-id="${id}"]`);

let server: ModelServer;
test.beforeEach(async () => {
  server = new ModelServer([{ id: MODEL, shards: 4, shardBytes: FIXTURE_SHARD_BYTES, withHashes: true }]);
  await server.start();
});
test.afterEach(async () => server.stop());

const bundle = (damage: BundleDamage = {}) => ({
  name: `${MODEL}.airgap.tar`,
  mimeType: 'application/x-tar',
  buffer: makeBundle(server, server.models[0]!, damage),
});
const requestsNow = () => JSON.stringify(Object.fromEntries(server.requests));

/** Model files in every store an import may write: Cache Storage, WebLLM's IndexedDB databases, the OPFS store. */
async function storedFiles(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let n = 0;
    for (const k of await caches.keys())
      if (k.startsWith('webllm/') || k === 'airgap-model-libs') n += (await (await caches.open(k)).keys()).length;
    for (const d of await indexedDB.databases()) {
      if (!d.name?.startsWith('webllm/')) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(d.name!);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of db.objectStoreNames)
        n += await new Promise<number>((resolve) => {
          const c = db.transaction(store).objectStore(store).count();
          c.onsuccess = () => resolve(c.result);
        });
      db.close();
    }
    const count = async (dir: FileSystemDirectoryHandle): Promise<number> => {
      let k = 0;
      for await (const [, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries())
        k += h.kind === 'file' ? 1 : await count(h as FileSystemDirectoryHandle);
      return k;
    };
    const root = await navigator.storage.getDirectory();
    const opfs = await root.getDirectoryHandle('tvmjs-opfs-store').catch(() => undefined);
    return n + (opfs ? await count(opfs) : 0);
  });
}

async function openStorage(page: Page, path = `/?models=${encodeURIComponent(server.appConfigUrl)}`) {
  await openReady(page, path);
  await page.getByTestId('storage-open').click();
}

async function useBackend(page: Page, backend: 'cache' | 'indexeddb' | 'opfs') {
  if (backend === 'cache') return;
  await page.getByTestId('storage-backend').selectOption(backend);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}

for (const backend of ['cache', 'indexeddb', 'opfs'] as const) {
  test(`a bundle imported offline into the ${backend} store is offline-ready, and WebLLM's own reload reads it`, async ({
    page,
    context,
  }) => {
    await openStorage(page);
    await useBackend(page, backend);
    const served = requestsNow();
    await context.setOffline(true);
    await page.getByTestId('bundle-import-input').setInputFiles(bundle());
    const progress = page.getByTestId('bundle-progress');
    await expect(progress).toHaveAttribute('data-state', 'done');
    await expect(progress).toHaveAttribute('data-bytes-done', String(server.modelBytes(server.models[0]!)));
    await expect(row(page)).toHaveAttribute('data-offline-ready', 'true');
    await expect(row(page)).toHaveAttribute('data-webllm-cached', 'true');
    await expect(page.getByTestId('bundle-error')).toHaveCount(0);
    await page.getByTestId('storage-close').click();
    await pickModel(page, MODEL);
    await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'true');
    await page.getByTestId('model-load').click();
    // The fixture's model library is a placeholder: WebLLM gets as far as compiling it, which it
    // can only do after finding the config and the library in the store without the network.
    await expect(page.getByTestId('error-banner')).toContainText('WebAssembly');
    expect(requestsNow()).toBe(served);
    await context.setOffline(false);
  });
}

test.describe('with the service worker', () => {
  test.use({ serviceWorkers: 'allow' });
  test('a bundle of a model no catalog has adds it to the picker, still there after an offline reload, and deleting it forgets it', async ({
    page,
    context,
  }) => {
    await openStorage(page, '/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise<void>((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r(), { once: true }));
    });
    await expect(page.locator(option(MODEL))).toHaveCount(0);
    await context.setOffline(true);
    await page.getByTestId('bundle-import-input').setInputFiles(bundle());
    await expect(page.getByTestId('bundle-progress')).toHaveAttribute('data-state', 'done');
    await expect(row(page)).toHaveAttribute('data-offline-ready', 'true');
    await expect(page.locator(option(MODEL))).toHaveAttribute('data-source', 'imported');
    await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'true');
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'true');
    await expect(page.locator(option(MODEL))).toHaveAttribute('data-source', 'imported');
    expect(server.requests.size).toBe(0);
    // Deleting it forgets the model too: its record came only with its files.
    await page.getByTestId('storage-open').click();
    await row(page).getByTestId('cached-model-delete').click();
    await expect(row(page)).toHaveCount(0);
    await expect(page.locator(option(MODEL))).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await expect(page.locator(option(MODEL))).toHaveCount(0);
    await context.setOffline(false);
  });
});

test('truncated, corrupt, wrong-version and oversized bundles are refused with the reason and leave nothing behind', async ({ page }) => {
  await openStorage(page);
  const whole = makeBundle(server, server.models[0]!);
  const shard = 'model/params_shard_2.bin';
  const cases: [string, BundleDamage, string | RegExp][] = [
    ['truncated', { truncateTo: whole.length - 3000 }, 'cut short'],
    ['corrupt', { corruptPath: shard }, `${shard} does not match its SHA-256`],
    ['wrong version', { editIndex: (i) => ((i as { version: number }).version = 2) }, 'this bundle is version 2; this app reads version 1'],
    [
      'an entry larger than indexed',
      {
        editIndex: (i) => {
          const t = i.files.find((f) => f.kind === 'tokenizer')!;
          t.bytes -= 1;
          i.totalBytes -= 1;
        },
      },
      /tokenizer\.json is \d+ bytes in the archive but \d+ in the index \(oversized\)/,
    ],
    [
      'an extra entry',
      { extra: [{ name: 'model/extra.bin', data: Buffer.alloc(1000, 7) }] },
      'data beyond its index (an entry model/extra.bin)',
    ],
  ];
  for (const [what, damage, reason] of cases) {
    await page.getByTestId('bundle-import-input').setInputFiles(bundle(damage));
    await expect(page.getByTestId('bundle-error'), what).toContainText(reason);
    await expect(page.getByTestId('bundle-error')).toContainText('Nothing of it was kept');
    await expect(page.getByTestId('bundle-progress')).toHaveCount(0);
    await expect(page.getByTestId('cached-model'), what).toHaveCount(0);
    expect(await storedFiles(page), what).toBe(0);
  }
  await expectNoSeriousA11yViolations(page, 'storage panel with an import refused');
  await page.getByTestId('storage-close').click();
  await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'false');
});

test('a forced small quota: the import warns first, and importing anyway fails with nothing left behind', async ({ page, context }) => {
  await openStorage(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 3 * FIXTURE_SHARD_BYTES });
  await page.getByTestId('bundle-import-input').setInputFiles(bundle());
  await expect(page.getByTestId('bundle-quota-warning')).toContainText('will probably not fit');
  expect(await storedFiles(page)).toBe(0);
  await page.getByTestId('bundle-import-anyway').click();
  await expect(page.getByTestId('bundle-error')).toContainText('ran out of storage');
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  expect(await storedFiles(page)).toBe(0);
});

test('pause, then resume with the same file, completes the import; cancel leaves nothing', async ({ page }) => {
  await openStorage(page, `/?models=${encodeURIComponent(server.appConfigUrl)}&importdelay=400`);
  const progress = page.getByTestId('bundle-progress');
  await page.getByTestId('bundle-import-input').setInputFiles(bundle());
  await expect(progress).toHaveAttribute('data-state', 'importing');
  await expect.poll(async () => Number(await progress.getAttribute('data-bytes-done'))).toBeGreaterThan(0);
  await page.getByTestId('bundle-pause').click();
  await expect(progress).toHaveAttribute('data-state', 'paused');
  const done = Number(await progress.getAttribute('data-bytes-done'));
  expect(done).toBeLessThan(Number(await progress.getAttribute('data-bytes-total')));
  await expectNoSeriousA11yViolations(page, 'storage panel with an import paused');
  await page.getByTestId('bundle-resume').click();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(row(page)).toHaveAttribute('data-offline-ready', 'true');

  await page.getByTestId('cached-model-delete').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  await page.getByTestId('bundle-import-input').setInputFiles(bundle());
  await expect.poll(async () => Number(await progress.getAttribute('data-bytes-done'))).toBeGreaterThan(0);
  await page.getByTestId('bundle-cancel').click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  expect(await storedFiles(page)).toBe(0);
});

test.describe('model folders', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'airgap-folder-'));
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The fixture model as its publisher hosts it, with its model library inside. */
  function writeFolder(skip?: string): string {
    const root = join(dir, MODEL);
    for (const p of server.pathsOf(server.models[0]!)) {
      const name = p.split('/').pop()!;
      if (name === skip) continue;
      const to = p.endsWith('.wasm') ? join(root, 'libs', name) : join(root, name);
      mkdirSync(join(to, '..'), { recursive: true });
      writeFileSync(to, server.body(p));
    }
    writeFileSync(join(root, 'README.md'), '# a model\n');
    return root;
  }

  test('a folder in the publisher layout imports offline as a new model', async ({ page, context }) => {
    await openStorage(page, '/');
    await context.setOffline(true);
    await page.getByTestId('folder-import-input').setInputFiles(writeFolder());
    await expect(page.getByTestId('bundle-progress')).toHaveAttribute('data-state', 'done');
    await expect(row(page)).toHaveAttribute('data-offline-ready', 'true');
    await expect(page.locator(option(MODEL))).toHaveAttribute('data-source', 'imported');
    await expect(page.locator(option(MODEL))).toHaveAttribute('data-cached', 'true');
    await page.getByTestId('storage-close').click();
    await pickModel(page, MODEL);
    await page.getByTestId('model-load').click();
    await expect(page.getByTestId('error-banner')).toContainText('WebAssembly');
    expect(server.requests.size).toBe(0);
    await context.setOffline(false);
  });

  test('a folder missing a shard is refused, naming the shard', async ({ page }) => {
    await openStorage(page);
    await page.getByTestId('folder-import-input').setInputFiles(writeFolder('params_shard_1.bin'));
    await expect(page.getByTestId('bundle-error')).toContainText('the folder lacks params_shard_1.bin, which tensor-cache.json lists');
    await expect(page.getByTestId('cached-model')).toHaveCount(0);
    expect(await storedFiles(page)).toBe(0);
  });
});
