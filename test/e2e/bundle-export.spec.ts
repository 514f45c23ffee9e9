// Exporting a stored model as one bundle file: into a file from the save dialog (an OPFS file stands
// in for the person's choice), or as a download streamed through the service worker; refusal of a
// model that is not offline-ready, and cancel. Bundles are checked against the fixture server's files.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { INDEX_ENTRY, TAR_BLOCK, bundleFileName, type BundleIndex } from '../../src/lib/bundle/format';
import { decodeHeader, isZeroBlock, padding } from '../../src/lib/bundle/tar-header';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, openReady, pickModel, test } from './fixtures/app';
import { bundleParts } from './fixtures/bundle-file';
import { ModelServer, type FixtureModel } from './fixtures/model-server';
import { pickedFile, pickerGivesOpfsFile } from './fixtures/save-dialog';

test.use({ serviceWorkers: 'allow' });

const SMALL: FixtureModel = { id: 'export-a-q4f32_1-MLC', shards: 3, shardBytes: 100_000 };
const BIG: FixtureModel = { id: 'export-big-q4f32_1-MLC', shards: 64, shardBytes: 4 * 1024 * 1024 };

let server: ModelServer;
test.beforeEach(async () => {
  server = new ModelServer([SMALL, BIG]);
  await server.start();
});
test.afterEach(async () => server.stop());

/** Walks a ustar archive: its entries in order, and that it ends with two zero blocks. */
function entries(tar: Buffer): { name: string; data: Buffer }[] {
  const out: { name: string; data: Buffer }[] = [];
  let at = 0;
  while (!isZeroBlock(tar.subarray(at, at + TAR_BLOCK))) {
    const h = decodeHeader(tar.subarray(at, at + TAR_BLOCK));
    out.push({ name: h.name, data: tar.subarray(at + TAR_BLOCK, at + TAR_BLOCK + h.size) });
    at += TAR_BLOCK + h.size + padding(h.size);
  }
  expect(tar.length - at).toBe(2 * TAR_BLOCK);
  expect(isZeroBlock(tar.subarray(at + TAR_BLOCK))).toBe(true);
  return out;
}

/** The bundle is the fixture bundle apart from createdAt/createdBy and the headers' mtime. */
function expectFixtureBundle(tar: Buffer, model: FixtureModel) {
  const expected = bundleParts(server, model);
  const [first, ...files] = entries(tar);
  expect(first!.name).toBe(INDEX_ENTRY);
  const index = JSON.parse(first!.data.toString()) as BundleIndex;
  expect({ ...index, createdAt: 0, createdBy: '' }).toEqual({ ...expected.index, createdAt: 0, createdBy: '', record: index.record });
  expect(index.record).toMatchObject(expected.index.record);
  expect(files.map((f) => f.name)).toEqual(expected.index.files.map((f) => f.path));
  for (const f of files) expect(f.data.equals(expected.data.get(f.name)!), f.name).toBe(true);
}

async function download(page: Page, model: FixtureModel, backend: 'cache' | 'indexeddb' | 'opfs' = 'cache'): Promise<Locator> {
  await openReady(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
  if (backend !== 'cache') {
    await page.getByTestId('storage-open').click();
    await page.getByTestId('storage-backend').selectOption(backend);
    await page.getByTestId('storage-close').click();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  }
  await pickModel(page, model.id);
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('storage-open').click();
  const row = page.locator(`[data-testid="cached-model"][data-model-id="${model.id}"]`);
  await expect(row).toHaveAttribute('data-offline-ready', 'true');
  return row;
}

for (const backend of ['cache', 'opfs'] as const) {
  test(`export from the ${backend} backend into the file the save dialog gave`, async ({ page }) => {
    await pickerGivesOpfsFile(page);
    const row = await download(page, SMALL, backend);
    await row.getByTestId('bundle-export').click();
    const progress = row.getByTestId('bundle-progress');
    await expect(progress).toHaveAttribute('data-state', 'done');
    expect(await page.evaluate(() => (window as unknown as { pickedName: string }).pickedName)).toBe(bundleFileName(SMALL.id));
    const tar = (await pickedFile(page, SMALL))!;
    await expect(progress).toHaveAttribute('data-bytes-done', String(tar.length));
    await expect(progress).toHaveAttribute('data-bytes-total', String(tar.length));
    expectFixtureBundle(tar, SMALL);
    await expect(row.getByTestId('bundle-error')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'storage with a bundle exported');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousA11yViolations(page, 'storage with a bundle exported (dark)');
  });
}

async function noSaveDialog(page: Page) {
  await page.addInitScript(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    delete (Window.prototype as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
}

test('without a save dialog the bundle downloads through the service worker; tar lists and extracts it', async ({ page }) => {
  await noSaveDialog(page);
  const row = await download(page, SMALL);
  const started = page.waitForEvent('download');
  await row.getByTestId('bundle-export').click();
  const dl = await started;
  expect(dl.suggestedFilename()).toBe(bundleFileName(SMALL.id));
  const dir = mkdtempSync(join(tmpdir(), 'airgap-export-'));
  try {
    const file = join(dir, dl.suggestedFilename());
    await dl.saveAs(file);
    await expect(row.getByTestId('bundle-progress')).toHaveAttribute('data-state', 'done');
    const { index: expected } = bundleParts(server, SMALL);
    const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual([INDEX_ENTRY, ...expected.files.map((f) => f.path)]);
    execFileSync('tar', ['-xf', file, '-C', dir]);
    const index = JSON.parse(readFileSync(join(dir, INDEX_ENTRY), 'utf8')) as BundleIndex;
    expect(index.files).toEqual(expected.files);
    for (const [i, f] of index.files.entries()) {
      const body = readFileSync(join(dir, f.path));
      expect(createHash('sha256').update(body).digest('hex'), f.path).toBe(f.sha256);
      expect(body.equals(server.body(server.pathsOf(SMALL).find((p) => p.endsWith(`/${f.key}`))!)), f.path).toBe(true);
      expect(f.path).toBe(expected.files[i]!.path);
    }
    expectFixtureBundle(readFileSync(file), SMALL);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model that is no longer offline-ready is refused with the missing file named, and no file is left', async ({ page }) => {
  await pickerGivesOpfsFile(page);
  const row = await download(page, SMALL);
  // The browser evicted a shard behind the app's back: the row still says offline-ready.
  await page.evaluate(
    async (url) => void (await (await caches.open('webllm/model')).delete(url)),
    `${server.origin}${server.shardPath(SMALL.id, 1)}`,
  );
  await row.getByTestId('bundle-export').click();
  await expect(row.getByTestId('bundle-error')).toContainText('not offline-ready');
  await expect(row.getByTestId('bundle-error')).toContainText('params_shard_1.bin');
  await expect(row.getByTestId('bundle-error')).toHaveAttribute('role', 'alert');
  expect(await pickedFile(page, SMALL)).toBeNull();
  await expectNoSeriousA11yViolations(page, 'storage with a refused export');
});

test('cancelling an export leaves no file', async ({ page }) => {
  test.setTimeout(120_000);
  await pickerGivesOpfsFile(page);
  const row = await download(page, BIG);
  await row.getByTestId('bundle-export').click();
  const progress = row.getByTestId('bundle-progress');
  await expect(progress).toHaveAttribute('data-state', /hashing|writing/);
  await row.getByTestId('bundle-cancel').click();
  await expect(progress).toHaveAttribute('data-state', 'cancelled');
  expect(await pickedFile(page, BIG)).toBeNull();
  await expect(row.getByTestId('bundle-export')).toBeEnabled();
});

test('cancelling a streamed download errors it: the browser keeps no file', async ({ page }) => {
  test.setTimeout(120_000);
  await noSaveDialog(page);
  const row = await download(page, BIG);
  const started = page.waitForEvent('download');
  await row.getByTestId('bundle-export').click();
  const dl = await started;
  const progress = row.getByTestId('bundle-progress');
  await expect(progress).toHaveAttribute('data-state', /hashing|writing/);
  await row.getByTestId('bundle-cancel').click();
  await expect(progress).toHaveAttribute('data-state', 'cancelled');
  expect(await dl.failure()).not.toBeNull();
  expect(await dl.path().catch(() => null)).toBeNull();
});
