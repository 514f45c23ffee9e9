// Downloads that outlive the tab: one running when the page went away starts again by itself on the
// next start (skipping complete files); one the user paused does not; one cut off by going offline
// waits for the connection. The fixture model server's slow responses keep a download in flight.
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, openReady, pickModel, test } from './fixtures/app';
import { FIXTURE_SHARD_BYTES, ModelServer } from './fixtures/model-server';

const MODEL = 'fixture-a-q4f32_1-MLC';

let server: ModelServer;
test.beforeEach(async () => {
  server = new ModelServer([{ id: MODEL, shards: 4, shardBytes: FIXTURE_SHARD_BYTES, withHashes: true }]);
  await server.start();
});
test.afterEach(async () => server.stop());

const appUrl = () => `/?models=${encodeURIComponent(server.appConfigUrl)}`;

async function open(page: Page) {
  await openReady(page, appUrl());
  await pickModel(page, MODEL);
}

/** The downloads the app keeps for its next start (user-data/pending-downloads.ts). */
function pending(page: Page): Promise<{ modelId: string }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('airgap-downloads');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const get = req.result.transaction('downloads').objectStore('downloads').get('pending');
          get.onsuccess = () => resolve(get.result ?? []);
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/** Starts a slow download and waits until some files are complete; returns their paths. */
async function startSlowDownload(page: Page): Promise<string[]> {
  server.slowAll = true;
  await page.getByTestId('download-model').click();
  const done = page.locator('[data-testid="download-file"][data-state="done"]');
  await expect(done.first()).toBeAttached({ timeout: 20_000 });
  await expect.poll(() => pending(page)).toEqual([{ modelId: MODEL, backend: 'cache', force: false }]);
  return done.evaluateAll((els) => els.map((e) => new URL(e.getAttribute('data-url')!).pathname));
}

/** The resumed download shows as running with its note, then completes; complete files were fetched once. */
async function expectResumed(page: Page, doneBefore: string[]) {
  await pickModel(page, MODEL);
  const progress = page.getByTestId('download-progress');
  await expect(progress).toContainText('resumed where it stopped');
  await expectNoSeriousA11yViolations(page, 'a download resumed on start');
  server.slowAll = false;
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 30_000 });
  expect(doneBefore.length).toBeGreaterThan(0);
  for (const p of doneBefore) expect(server.count(p), p).toBe(1);
  // At most the files in flight when the tab went away were fetched again, each once more.
  const refetched = server.pathsOf(server.models[0]!).filter((p) => server.count(p) > 1);
  expect(refetched.length).toBeLessThanOrEqual(4);
  for (const p of refetched) expect(server.count(p), p).toBe(2);
  await expect.poll(() => pending(page)).toEqual([]);
  const sent = server.pathsOf(server.models[0]!).reduce((n, p) => n + (server.bytesSent.get(p) ?? 0), 0);
  const extra = sent - server.modelBytes(server.models[0]!);
  console.log(`resume on start: ${refetched.length} files re-fetched, ${extra} bytes re-downloaded`);
}

test('a download running when the page reloads resumes by itself and completes', async ({ page }) => {
  await open(page);
  const doneBefore = await startSlowDownload(page);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expectResumed(page, doneBefore);
});

test('a download running when the tab closes resumes when the app opens in a new tab', async ({ page, context }) => {
  await open(page);
  const doneBefore = await startSlowDownload(page);
  await page.close();
  const next = await context.newPage();
  await openReady(next, appUrl());
  await expectResumed(next, doneBefore);
});

test('a download the user paused does not resume on reopen', async ({ page }) => {
  await open(page);
  await startSlowDownload(page);
  await page.getByTestId('download-pause').click();
  await expect(page.getByTestId('download-progress')).toHaveAttribute('data-state', 'paused');
  await expect.poll(() => pending(page)).toEqual([]);
  server.slowAll = false;
  const before = new Map(server.requests);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await pickModel(page, MODEL);
  await expect(page.getByTestId('download-model')).toBeVisible();
  await expect(page.getByTestId('download-progress')).toHaveCount(0);
  for (const p of server.pathsOf(server.models[0]!)) expect(server.count(p), p).toBe(before.get(p) ?? 0);
  // It continues when the user asks.
  await page.getByTestId('download-model').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 30_000 });
});

test('a model gone from the catalog is not resumed, and the user is told once', async ({ page }) => {
  await open(page);
  await startSlowDownload(page);
  // Reopened without the source that offered the model.
  await page.goto('/?engine=reference');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('error-banner')).toContainText(`The download of ${MODEL} was not resumed`);
  await expect.poll(() => pending(page)).toEqual([]);
});

async function serviceWorkerControls(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

/** Opens the app under its service worker, reloaded so that the engine worker is controlled too. */
async function openControlled(page: Page) {
  await open(page);
  await serviceWorkerControls(page);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}

test.describe('with the service worker', () => {
  test.use({ serviceWorkers: 'allow' });

  test('Background Fetch goes on with no tab open; the next start stores what it fetched, each file fetched once', async ({
    page,
    context,
  }) => {
    await openControlled(page);
    await pickModel(page, MODEL);
    server.slowAll = true;
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('download-progress')).toContainText('downloading in the background');
    await page.close();
    server.slowAll = false;
    const total = server.modelBytes(server.models[0]!);
    const sent = () => server.pathsOf(server.models[0]!).reduce((n, p) => n + (server.bytesSent.get(p) ?? 0), 0);
    // Every byte arrives while no tab of the app is open.
    await expect.poll(sent, { timeout: 30_000 }).toBe(total);
    const next = await context.newPage();
    await openReady(next, appUrl());
    await pickModel(next, MODEL);
    await expect(next.getByTestId('offline-ready')).toBeVisible({ timeout: 30_000 });
    for (const p of server.pathsOf(server.models[0]!)) expect(server.count(p), p).toBe(1);
    expect(sent()).toBe(total);
    await next.getByTestId('storage-open').click();
    const row = next.locator(`[data-testid="cached-model"][data-model-id="${MODEL}"]`);
    await expect(row).toHaveAttribute('data-offline-ready', 'true');
    await expect(row).toHaveAttribute('data-webllm-cached', 'true');
    expect(await next.evaluate(async () => (await (await caches.open('airgap-bgfetch')).keys()).length)).toBe(0);
    await expect.poll(() => pending(next)).toEqual([]);
  });

  test('pausing a background fetch stops it; resuming downloads the rest', async ({ page }) => {
    await openControlled(page);
    await pickModel(page, MODEL);
    server.slowAll = true;
    await page.getByTestId('download-model').click();
    const progress = page.getByTestId('download-progress');
    await expect(progress).toContainText('downloading in the background');
    await page.getByTestId('download-pause').click();
    await expect(progress).toHaveAttribute('data-state', 'paused');
    await expect.poll(() => pending(page)).toEqual([]);
    expect(
      await page.evaluate(async () =>
        ((await navigator.serviceWorker.ready) as unknown as { backgroundFetch: { getIds(): Promise<string[]> } }).backgroundFetch.getIds(),
      ),
    ).toEqual([]);
    server.slowAll = false;
    await page.getByTestId('download-resume').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 30_000 });
  });

  test('with "keep downloading when the tab is closed" off, the download runs in the tab and starts no Background Fetch', async ({
    page,
  }) => {
    await openControlled(page);
    await page.getByTestId('storage-open').click();
    const toggle = page.getByTestId('download-background');
    await expect(toggle).toBeChecked();
    await toggle.uncheck();
    await expectNoSeriousA11yViolations(page, 'storage with the Background Fetch setting');
    await page.getByTestId('storage-close').click();
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await pickModel(page, MODEL);
    server.slowAll = true;
    await page.getByTestId('download-model').click();
    const progress = page.getByTestId('download-progress');
    await expect(progress).toHaveAttribute('data-state', 'downloading');
    await expect(progress).not.toContainText('in the background');
    expect(
      await page.evaluate(async () =>
        ((await navigator.serviceWorker.ready) as unknown as { backgroundFetch: { getIds(): Promise<string[]> } }).backgroundFetch.getIds(),
      ),
    ).toEqual([]);
    server.slowAll = false;
    await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 30_000 });
    for (const p of server.pathsOf(server.models[0]!)) expect(server.count(p), p).toBe(1);
  });

  for (const background of [false, true]) {
    test(`a reopen while offline resumes the download once back online (${background ? 'with' : 'without'} Background Fetch)`, async ({
      page,
      context,
    }) => {
      // A browser without Background Fetch: the resume on start is all there is.
      if (!background)
        await context.addInitScript(() => delete (ServiceWorkerRegistration.prototype as { backgroundFetch?: unknown }).backgroundFetch);
      await open(page);
      await serviceWorkerControls(page);
      expect(await page.evaluate(async () => 'backgroundFetch' in (await navigator.serviceWorker.ready))).toBe(background);
      const doneBefore = await startSlowDownload(page);
      await context.setOffline(true);
      await page.reload();
      await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      await expect(page.getByTestId('offline-indicator')).toBeVisible();
      await pickModel(page, MODEL);
      await expect(page.getByTestId('download-progress')).toHaveCount(0);
      expect(await pending(page)).toEqual([{ modelId: MODEL, backend: 'cache', force: false }]);
      await context.setOffline(false);
      await expectResumed(page, doneBefore);
    });
  }
});
