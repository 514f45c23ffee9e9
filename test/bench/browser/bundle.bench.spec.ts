// Bundle export of a ~1 GiB model (32 shards × 32 MiB from the fixture model server): time and the
// browser's peak memory, for the save-dialog path (an OPFS file stands in for the picked file) and
// the download streamed through the service worker. Memory: RSS of the browser's process tree,
// sampled with `ps` while the export runs (a model held in memory would show as ~1 GiB over the base).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Locator, type Page } from '@playwright/test';
import { bundleFileName } from '../../../src/lib/bundle/format';
import { pickModel } from '../../e2e/fixtures/app';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_URL } from '../../e2e/fixtures/browser';
import { ModelServer } from '../../e2e/fixtures/model-server';

const MIB = 1024 * 1024;
const MODEL = { id: 'bench-export-q4f32_1-MLC', shards: 32, shardBytes: 32 * MIB };

/** RSS (bytes) of a process's descendants: for this test worker, the browser it launched. */
function treeRss(root: number): number {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
  const inTree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of rows) if (inTree.has(ppid) && !inTree.has(pid)) grew = inTree.add(pid) !== undefined;
  }
  inTree.delete(root);
  return rows.filter(([pid]) => inTree.has(pid)).reduce((n, [, , rss]) => n + rss * 1024, 0);
}

/** Runs `work`, sampling the tree's RSS every 100 ms: base before, peak during. */
async function sampled(pid: number, work: () => Promise<void>): Promise<{ ms: number; base: number; peak: number }> {
  const base = treeRss(pid);
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), 100);
  const t0 = Date.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { ms: Date.now() - t0, base, peak: Math.max(peak, treeRss(pid)) };
}

async function exportRow(page: Page): Promise<Locator> {
  await page.getByTestId('storage-open').click();
  return page.locator(`[data-testid="cached-model"][data-model-id="${MODEL.id}"]`);
}

test('bundle export of a 1 GiB model: time and peak browser memory', async () => {
  test.setTimeout(600_000);
  const pid = process.pid;
  const server = new ModelServer([MODEL]);
  await server.start();
  const dir = mkdtempSync(join(tmpdir(), 'airgap-bench-export-'));
  // A profile on disk: a test's default (incognito) context keeps storage in memory, which would count the stored model as browser RSS.
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    serviceWorkers: 'allow',
    baseURL: PREVIEW_URL,
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    const total = server.modelBytes(server.models[0]!);
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('bench-no-picker'))
        (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async (o: { suggestedName: string }) =>
          (await navigator.storage.getDirectory()).getFileHandle(o.suggestedName, { create: true });
      else delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    });
    await page.goto(`/?models=${encodeURIComponent(server.appConfigUrl)}`);
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await pickModel(page, MODEL.id);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 300_000 });

    await page.evaluate(() => sessionStorage.setItem('bench-no-picker', '1'));
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    let row = await exportRow(page);
    const file = join(dir, 'bundle.tar');
    const streamed = await sampled(pid, async () => {
      const started = page.waitForEvent('download');
      await row.getByTestId('bundle-export').click();
      await (await started).saveAs(file);
      await expect(row.getByTestId('bundle-progress')).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
    });

    await page.evaluate(() => sessionStorage.removeItem('bench-no-picker'));
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    row = await exportRow(page);
    const toFile = await sampled(pid, async () => {
      await row.getByTestId('bundle-export').click();
      await expect
        .poll(
          async () =>
            (await row.getByTestId('bundle-error').count()) ? 'failed' : row.getByTestId('bundle-progress').getAttribute('data-state'),
          {
            timeout: 300_000,
          },
        )
        .toMatch(/done|failed/);
    });
    const failed = (await row.getByTestId('bundle-error').count()) > 0;
    const fileNote = !failed ? '' : `save-dialog path failed: ${await row.getByTestId('bundle-error').textContent()}`;
    const fileBytes = !failed
      ? await page.evaluate(
          async (name) => (await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile()).size,
          bundleFileName(MODEL.id),
        )
      : 0;
    const downloaded = statSync(file).size;
    const line = (name: string, bytes: number, r: { ms: number; base: number; peak: number }) =>
      `| ${name} | ${(bytes / MIB).toFixed(0)} | ${(r.ms / 1000).toFixed(1)} | ${(bytes / MIB / (r.ms / 1000)).toFixed(0)} | ${(r.base / MIB).toFixed(0)} | ${(r.peak / MIB).toFixed(0)} | +${((r.peak - r.base) / MIB).toFixed(0)} |`;
    console.log(
      `\nbundle export, model of ${(total / MIB).toFixed(0)} MiB (${MODEL.shards} × ${MODEL.shardBytes / MIB} MiB shards, Cache Storage backend)\n` +
        `| path | bundle MiB | s | MiB/s | browser RSS before MiB | peak MiB | peak − before MiB |\n|---|---:|---:|---:|---:|---:|---:|\n` +
        `${!failed ? line('save dialog (file written by the worker)', fileBytes, toFile) : fileNote}\n${line('download through the service worker', downloaded, streamed)}`,
    );
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
});
