// A site's own server (npm run package): the app and a model bundle in one folder, served by a
// plain static server. The app offers the site's model with no ?models=, downloads it from its
// own origin, and after that starts offline with the model still listed and ready.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openReady, pickModel, test } from './fixtures/app';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { makeBundle } from './fixtures/bundle-file';
import { DIST } from './fixtures/dist';
import { FIXTURE_SHARD_BYTES, ModelServer, type FixtureModel } from './fixtures/model-server';
import { StaticServer } from './fixtures/static-server';

test.use({ serviceWorkers: 'allow' });

const MODEL: FixtureModel = { id: 'fixture-site-q4f32_1-MLC', shards: 3, shardBytes: FIXTURE_SHARD_BYTES };
const SCRIPT = join(import.meta.dirname, '../../scripts/package-site.mjs');

let work: string;
let models: ModelServer;

test.beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'airgap-site-e2e-'));
  models = new ModelServer([MODEL]);
  await models.start();
});
test.afterEach(async () => {
  await models.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `npm run package -- --no-build` on the built app and the given bundle files. */
function packageSite(out: string, ...bundles: string[]) {
  return spawnSync(process.execPath, [SCRIPT, '--no-build', '--dist', DIST, '--out', out, ...bundles], { encoding: 'utf8' });
}

async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

test("the site's server offers its model with no configuration, serves it, and the app starts offline with it", async ({
  page,
  context,
}) => {
  const bundle = join(work, `${MODEL.id}.airgap.tar`);
  writeFileSync(bundle, makeBundle(models, MODEL));
  const out = join(work, 'site');
  const r = packageSite(out, bundle);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  // From here on the model exists only in the site folder.
  await models.stop();
  const site = new StaticServer(out);
  await site.start();
  const requests: string[] = [];
  context.on('request', (req) => requests.push(req.url()));
  try {
    await openReady(page, `${site.origin}/`);
    await serviceWorkerReady(page);
    await pickModel(page, MODEL.id);
    const option = page.locator(`[data-testid="model-option"][data-model-id="${MODEL.id}"]`);
    await expect(option).toHaveAttribute('data-cached', 'false');
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    expect(requests.filter((u) => !u.startsWith(`${site.origin}/`))).toEqual([]);
    // The site's own server served every file (to the engine worker, or to the browser's Background Fetch).
    for (const p of models.pathsOf(MODEL)) expect(site.served, p).toContain(`/models${p}`);
    expect([...models.requests.values()].reduce((a, b) => a + b, 0)).toBe(0);

    await page.getByTestId('storage-open').click();
    const source = page.locator('[data-testid="model-source"][data-site="true"]');
    await expect(source).toHaveAttribute('data-url', `${site.origin}/models/app-config.json`);
    await expect(source).toContainText('From this site');
    await expect(source).toContainText('1 models');
    await expect(source.getByRole('button')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, "storage with the site's model source");
    await page.getByTestId('storage-close').click();

    await context.setOffline(true);
    const failed: string[] = [];
    context.on('requestfailed', (req) => failed.push(req.url()));
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('offline-indicator')).toBeVisible();
    await expect(option).toHaveAttribute('data-cached', 'true');
    await page.getByTestId('storage-open').click();
    await expect(page.locator(`[data-testid="cached-model"][data-model-id="${MODEL.id}"]`)).toHaveAttribute('data-offline-ready', 'true');
    await expect(source).toContainText('1 models');
    expect(failed).toEqual([]);
  } finally {
    await context.setOffline(false);
    await site.stop();
  }
});

test('an ordinary deployment (no site file) shows no site source and no error', async ({ page }) => {
  const site = new StaticServer(DIST);
  await site.start();
  try {
    await openReady(page, `${site.origin}/`);
    await page.getByTestId('storage-open').click();
    await expect(page.getByTestId('model-source')).toHaveCount(0);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  } finally {
    await site.stop();
  }
});

test('a damaged bundle: the script exits non-zero with the reason and writes no site folder', async () => {
  const bundle = join(work, 'damaged.airgap.tar');
  writeFileSync(bundle, makeBundle(models, MODEL, { corruptPath: 'model/params_shard_2.bin' }));
  const out = join(work, 'site');
  const r = packageSite(out, bundle);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('damaged.airgap.tar: model/params_shard_2.bin fails its SHA-256 check');
  expect(existsSync(out)).toBe(false);
});
