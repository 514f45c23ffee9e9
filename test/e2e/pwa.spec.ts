import type { Page } from '@playwright/test';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';
import { jsAssets } from './fixtures/dist';

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
