// Download throughput of the download manager against a plain fetch of the same files from the
// same local server, and the offline cold start (service worker) to data-ready.
import { expect, test } from '@playwright/test';
import { pickModel } from '../../e2e/fixtures/app';
import { ModelServer } from '../../e2e/fixtures/model-server';

const MIB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('download throughput versus a plain fetch', async ({ page }) => {
  const server = new ModelServer([{ id: 'bench-q4f32_1-MLC', shards: 12, shardBytes: 8 * MIB }]);
  await server.start();
  try {
    const urls = server.pathsOf(server.models[0]!).map((p) => `${server.origin}${p}`);
    const total = server.modelBytes(server.models[0]!);
    await page.goto(`/?models=${encodeURIComponent(server.appConfigUrl)}`);
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    const plain: number[] = [];
    for (let i = 0; i < 3; i++) {
      plain.push(
        await page.evaluate(async (list) => {
          const t0 = performance.now();
          const queue = [...list];
          await Promise.all(
            Array.from({ length: 4 }, async () => {
              for (let u = queue.shift(); u; u = queue.shift()) await (await fetch(u, { cache: 'no-store' })).arrayBuffer();
            }),
          );
          return performance.now() - t0;
        }, urls),
      );
    }
    const ours: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pickModel(page, 'bench-q4f32_1-MLC');
      const t0 = Date.now();
      await page.getByTestId('download-model').click();
      await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 120_000 });
      ours.push(Date.now() - t0);
      await page.getByTestId('storage-open').click();
      await page.locator('[data-testid="cached-model"][data-model-id="bench-q4f32_1-MLC"]').getByTestId('cached-model-delete').click();
      await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      await page
        .getByTestId('storage-close')
        .click()
        .catch(() => {});
    }
    const mbps = (ms: number) => (total / MIB / (ms / 1000)).toFixed(1);
    console.log(
      `\n| ${(total / MIB).toFixed(0)} MiB from the local server | median ms | MiB/s |\n|---|---:|---:|\n| plain fetch, 4 parallel, no storing | ${median(plain).toFixed(0)} | ${mbps(median(plain))} |\n| download manager (verify + store in Cache Storage) | ${median(ours)} | ${mbps(median(ours))} |`,
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
