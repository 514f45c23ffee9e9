import type { Page } from '@playwright/test';
import { expect, lastAssistant, loadModel, openReady, pickModel, send, test } from './fixtures/app';
import { DIST, jsAssets } from './fixtures/dist';
import { FIXTURE_SHARD_BYTES, ModelServer } from './fixtures/model-server';
import { buildNextVersion, entryScript } from './fixtures/next-build';
import { StaticServer } from './fixtures/static-server';

test.use({ serviceWorkers: 'allow' });

async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
    return reg.active?.state;
  });
}

test('the web app manifest is complete and its icons exist', async ({ page, request }) => {
  await openReady(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ name: expect.stringContaining('Airgap'), short_name: 'Airgap', display: 'standalone', start_url: '/' });
  expect(manifest.theme_color).toMatch(/^#/);
  expect(manifest.background_color).toMatch(/^#/);
  const sizes = new Set<string>();
  for (const icon of manifest.icons as { src: string; sizes: string; purpose?: string }[]) {
    const res = await request.get(`/${icon.src}`);
    expect(res.status()).toBe(200);
    const png = await res.body();
    // PNG IHDR: width and height at bytes 16..24.
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    sizes.add(`${icon.sizes}${icon.purpose === 'maskable' ? ' maskable' : ''}`);
  }
  expect([...sizes].sort()).toEqual(['192x192', '512x512', '512x512 maskable']);
});

test('the service worker precaches the app shell and the engine worker, and leaves webllm caches alone', async ({ page }) => {
  await page.goto('/?engine=reference');
  // Weights a previous WebLLM load left behind must survive the service worker's install and activate.
  await page.evaluate(async () => {
    const cache = await caches.open('webllm/model');
    await cache.put('https://models.example/shard-0.bin', new Response('weights'));
  });
  await serviceWorkerReady(page);
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls: string[] = [];
    for (const n of names.filter((n) => n.startsWith('workbox-precache'))) {
      for (const req of await (await caches.open(n)).keys()) urls.push(new URL(req.url).pathname);
    }
    const webllm = await (await caches.open('webllm/model')).match('https://models.example/shard-0.bin');
    return { names, urls, webllm: webllm ? await webllm.text() : null };
  });
  expect(cached.webllm).toBe('weights');
  expect(cached.urls).toContain('/index.html');
  for (const f of jsAssets()) expect(cached.urls).toContain(`/assets/${f}`);
  expect(cached.names).toContain('webllm/model');
});

test('with the network off, the app starts from the service worker and chats', async ({ page, context }) => {
  const failed: string[] = [];
  await page.goto('/?engine=reference&tps=200');
  await serviceWorkerReady(page);
  await context.setOffline(true);
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('offline-indicator')).toBeVisible();
  await loadModel(page);
  await send(page, '/echo offline and fine');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('offline and fine');
  expect(failed).toEqual([]);
  await context.setOffline(false);
  await expect(page.getByTestId('offline-indicator')).toHaveCount(0);
});

test('offline, the WebLLM engine still boots with its catalog', async ({ page, context }) => {
  await openReady(page, '/');
  await serviceWorkerReady(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  expect(await page.getByTestId('model-option').count()).toBeGreaterThanOrEqual(100);
});

test('an update waits for the reply in progress, then activates and reloads', async ({ page }) => {
  const site = new StaticServer(DIST);
  await site.start();
  try {
    await page.goto(`${site.origin}/?engine=reference&tps=12`);
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await serviceWorkerReady(page);
    await expect(page.getByTestId('update-available')).toHaveCount(0);
    site.swSuffix = '\n// a new version';
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByTestId('update-available')).toBeVisible();

    await loadModel(page);
    const text = 'this reply must finish before the app updates itself and reloads';
    await send(page, `/echo ${text}`);
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'streaming');
    let reloaded = false;
    page.on('load', () => (reloaded = true));
    await page.getByTestId('update-apply').click();
    await expect(page.getByTestId('update-apply')).toContainText('after this reply');
    await page.waitForTimeout(500);
    expect(reloaded).toBe(false);
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'streaming');
    await page.waitForEvent('load', { timeout: 30_000 });
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    // The reply finished and was saved before the reload; the new version is in control.
    await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(text);
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('update-available')).toHaveCount(0);
    const script = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return reg?.waiting ? 'still waiting' : 'active';
    });
    expect(script).toBe('active');
  } finally {
    await site.stop();
  }
});

/** The entry script this tab runs: names the version it was loaded from. */
const runningEntry = (page: Page) =>
  page.evaluate(() => new URL(document.querySelector<HTMLScriptElement>('script[type="module"][src]')!.src).pathname);

/** Opens `path` in two tabs of one browser context, both controlled by the service worker; the
 *  second tab's uncaught errors go to `pageErrors` too. */
async function twoTabs(page: Page, path: string, pageErrors: string[]): Promise<[Page, Page]> {
  const other = await page.context().newPage();
  other.on('pageerror', (err) => pageErrors.push(`second tab: ${err.message}`));
  for (const tab of [page, other]) {
    await tab.goto(path);
    await expect(tab.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await serviceWorkerReady(tab);
    expect(await runningEntry(tab)).toBe(entryScript(DIST));
  }
  return [page, other];
}

/** Publishes `dir` as the new version, lets `tab` find it, and applies it there. */
async function applyNewVersion(site: StaticServer, dir: string, tab: Page): Promise<void> {
  site.root = dir;
  await tab.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await tab.getByTestId('update-apply').click();
}

test('an update applied in one tab reloads an idle tab onto the new version, which works offline', async ({
  page,
  context,
  pageErrors,
}) => {
  const next = await buildNextVersion();
  expect(entryScript(next)).not.toBe(entryScript(DIST));
  const site = new StaticServer(DIST);
  await site.start();
  try {
    const [tabA, tabB] = await twoTabs(page, `${site.origin}/?engine=reference&tps=200`, pageErrors);
    await tabA.evaluate(async () => {
      for (const name of ['webllm/model', 'webllm/config'])
        await (await caches.open(name)).put(`https://models.example/${name}`, new Response(name));
    });
    // Text typed but not sent is not a reply in progress: the tab reloads, and the text survives.
    await tabB.getByTestId('chat-input').fill('a message typed but not sent yet');
    const reloaded = [tabA, tabB].map((tab) => tab.waitForEvent('load', { timeout: 20_000 }));
    await applyNewVersion(site, next, tabA);
    await Promise.all(reloaded);
    for (const tab of [tabA, tabB]) {
      await expect(tab.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      expect(await runningEntry(tab)).toBe(entryScript(next));
    }
    await expect(tabB.getByTestId('chat-input')).toHaveValue('a message typed but not sent yet');
    await expect(tabB.getByTestId('update-available')).toHaveCount(0);
    // The new version's cleanup removed the old chunks but left WebLLM's caches alone.
    const webllm = await tabB.evaluate(async () => {
      const texts: (string | null)[] = [];
      for (const name of ['webllm/model', 'webllm/config']) {
        const hit = await (await caches.open(name)).match(`https://models.example/${name}`);
        texts.push(hit ? await hit.text() : null);
      }
      return texts;
    });
    expect(webllm).toEqual(['webllm/model', 'webllm/config']);
    // The old version's chunks are gone; the reloaded tab's engine worker comes from the new precache.
    const precached = await tabB.evaluate(async () => {
      const urls: string[] = [];
      for (const n of (await caches.keys()).filter((n) => n.startsWith('workbox-precache'))) {
        for (const req of await (await caches.open(n)).keys()) urls.push(new URL(req.url).pathname);
      }
      return urls;
    });
    expect(precached).toContain(entryScript(next));
    expect(precached).not.toContain(entryScript(DIST));
    await context.setOffline(true);
    await loadModel(tabB);
    await send(tabB, '/echo still working offline');
    await expect(lastAssistant(tabB).getByTestId('message-content')).toHaveText('still working offline');
  } finally {
    await context.setOffline(false);
    await site.stop();
  }
});

test('a tab in the middle of a reply finishes it before it reloads onto the version another tab applied', async ({ page, pageErrors }) => {
  const next = await buildNextVersion();
  const site = new StaticServer(DIST);
  await site.start();
  try {
    const [tabA, tabB] = await twoTabs(page, `${site.origin}/?engine=reference&tps=5`, pageErrors);
    await loadModel(tabB);
    const text =
      'this long reply keeps streaming while another tab applies the new version, and only when the very last word has arrived does this tab reload itself onto the new build';
    await send(tabB, `/echo ${text}`);
    await expect(lastAssistant(tabB)).toHaveAttribute('data-state', 'streaming');

    await applyNewVersion(site, next, tabA);
    // Tab B learns that the new version controls it, and keeps streaming.
    await expect(tabB.getByTestId('update-available')).toHaveAttribute('data-version', 'active');
    await expect(lastAssistant(tabB)).toHaveAttribute('data-state', 'streaming');
    await expect(tabB.getByTestId('update-apply')).toContainText('after this reply');
    // Its own Update button agrees: it waits for the reply, then the tab reloads.
    const bReloaded = tabB.waitForEvent('load', { timeout: 40_000 });
    await tabB.getByTestId('update-apply').click();
    await expect(tabB.getByTestId('update-apply')).toContainText('after this reply');
    await bReloaded;
    await expect(tabB.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    expect(await runningEntry(tabB)).toBe(entryScript(next));
    // The whole reply arrived and was saved before the reload.
    await expect(lastAssistant(tabB).getByTestId('message-content')).toHaveText(text);
    await expect(lastAssistant(tabB)).toHaveAttribute('data-state', 'done');
    await expect(tabB.getByTestId('update-available')).toHaveCount(0);
  } finally {
    await site.stop();
  }
});

test('a tab waits for its download before it reloads onto a new version, and reloads once its engine crashed', async ({
  page,
  pageErrors,
}) => {
  test.setTimeout(120_000);
  const next = await buildNextVersion();
  const models = new ModelServer([{ id: 'fixture-c-q4f32_1-MLC', shards: 4, shardBytes: FIXTURE_SHARD_BYTES }]);
  await models.start();
  const site = new StaticServer(DIST);
  await site.start();
  // A browser without Background Fetch: the engine worker downloads, so a reload would cut it off.
  await page.context().addInitScript(() => delete (ServiceWorkerRegistration.prototype as { backgroundFetch?: unknown }).backgroundFetch);
  try {
    const [tabA, tabB] = await twoTabs(page, `${site.origin}/?models=${encodeURIComponent(models.appConfigUrl)}`, pageErrors);
    // Slow enough that the download outlasts the update (a shard takes tens of seconds).
    models.slowChunkMs = 2_000;
    models.slowAll = true;
    await pickModel(tabB, 'fixture-c-q4f32_1-MLC');
    await tabB.getByTestId('download-model').click();
    await expect(tabB.getByTestId('download-progress')).toHaveAttribute('data-state', 'downloading');

    await applyNewVersion(site, next, tabA);
    // Activation waits for the new version's precache (fonts and lazy chunks included): slow on a busy machine.
    await expect(tabB.getByTestId('update-available')).toHaveAttribute('data-version', 'active', { timeout: 45_000 });
    await expect(tabB.getByTestId('update-apply')).toContainText('after the download');
    await expect(tabB.getByTestId('download-progress')).toHaveAttribute('data-state', 'downloading');
    // The old worker chunk is gone, so this page could not restart a crashed engine; the crash
    // ends the download, and the tab reloads onto the new version instead.
    const bReloaded = tabB.waitForEvent('load', { timeout: 20_000 });
    const engineWorker = tabB.workers().find((w) => w.url().includes('/worker-entry-'));
    await engineWorker!.evaluate(() => {
      setTimeout(() => {
        throw new Error('the engine worker crashed');
      });
    });
    await bReloaded;
    await expect(tabB.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    expect(await runningEntry(tabB)).toBe(entryScript(next));
  } finally {
    models.slowAll = false;
    await site.stop();
    await models.stop();
  }
});

test('the install button appears when the browser offers installation', async ({ page }) => {
  await openReady(page);
  await expect(page.getByTestId('install-button')).toHaveCount(0);
  await page.evaluate(() => {
    const ev = new Event('beforeinstallprompt', { cancelable: true }) as Event & { prompt(): Promise<void>; userChoice: Promise<unknown> };
    ev.prompt = async () => void ((window as unknown as { prompted: boolean }).prompted = true);
    ev.userChoice = Promise.resolve({ outcome: 'accepted' });
    window.dispatchEvent(ev);
  });
  await page.getByTestId('install-button').click();
  expect(await page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true);
  await expect(page.getByTestId('install-button')).toHaveCount(0);
});

test('an offline cold start makes no network request and lists the cached model', async ({ page, context }) => {
  const models = new ModelServer([{ id: 'fixture-b-q4f32_1-MLC', shards: 2, shardBytes: FIXTURE_SHARD_BYTES, localhostLib: true }]);
  await models.start();
  try {
    const url = `/?models=${encodeURIComponent(models.appConfigUrl)}`;
    await openReady(page, url);
    await serviceWorkerReady(page);
    await pickModel(page, 'fixture-b-q4f32_1-MLC');
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    const served = [...models.requests.values()].reduce((a, b) => a + b, 0);

    await context.setOffline(true);
    const failed: string[] = [];
    const requests: string[] = [];
    context.on('requestfailed', (r) => failed.push(r.url()));
    context.on('request', (r) => requests.push(r.url()));
    const t0 = Date.now();
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    console.log(`offline cold start: ${Date.now() - t0} ms to data-ready, ${requests.length} requests, ${failed.length} failed`);
    await expect(page.getByTestId('offline-indicator')).toBeVisible();
    await expect(page.locator('[data-testid="model-option"][data-model-id="fixture-b-q4f32_1-MLC"]')).toHaveAttribute(
      'data-cached',
      'true',
    );
    // The model library WebLLM never caches (a "localhost" URL) is served offline too.
    const libStatus = await page.evaluate(
      (u) => fetch(u).then((r) => r.status),
      `http://localhost:${models.port}/libs/fixture-b-q4f32_1-MLC.wasm`,
    );
    expect(libStatus).toBe(200);
    expect(failed).toEqual([]);
    expect([...models.requests.values()].reduce((a, b) => a + b, 0)).toBe(served);
  } finally {
    await context.setOffline(false);
    await models.stop();
  }
});
