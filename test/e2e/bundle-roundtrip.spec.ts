// A model carried across the air gap with the app's own files: downloaded, exported as a bundle,
// every model deleted, then imported with the network off, in each storage backend. The model is
// offline-ready, WebLLM's own reload reads it, and nothing is requested once the network is off.
import type { Page } from '@playwright/test';
import { bundleFileName } from '../../src/lib/bundle/format';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, openReady, pickModel, test } from './fixtures/app';
import { FIXTURE_SHARD_BYTES, ModelServer, type FixtureModel } from './fixtures/model-server';
import { pickedFile, pickerGivesOpfsFile } from './fixtures/save-dialog';

const MODEL: FixtureModel = { id: 'carry-a-q4f32_1-MLC', shards: 4, shardBytes: FIXTURE_SHARD_BYTES, withHashes: true };

let server: ModelServer;
test.beforeEach(async () => {
  server = new ModelServer([MODEL]);
  await server.start();
});
test.afterEach(async () => server.stop());

const row = (page: Page) => page.locator(`[data-testid="cached-model"][data-model-id="${MODEL.id}"]`);

for (const backend of ['cache', 'indexeddb', 'opfs'] as const) {
  test(`export, delete every model, import offline: the ${backend} store has the model back and WebLLM loads it`, async ({
    page,
    context,
  }) => {
    await pickerGivesOpfsFile(page);
    await openReady(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
    await page.getByTestId('storage-open').click();
    if (backend !== 'cache') {
      await page.getByTestId('storage-backend').selectOption(backend);
      await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    }
    await page.getByTestId('download-background').uncheck();
    await page.getByTestId('storage-close').click();
    await pickModel(page, MODEL.id);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();

    await page.getByTestId('storage-open').click();
    await row(page).getByTestId('bundle-export').click();
    await expect(row(page).getByTestId('bundle-progress')).toHaveAttribute('data-state', 'done');
    const bundle = (await pickedFile(page, MODEL))!;
    expect(bundle.length).toBeGreaterThan(server.modelBytes(MODEL));

    await page.getByTestId('storage-clear').click();
    await expect(page.getByTestId('cached-model')).toHaveCount(0);

    const served = JSON.stringify(Object.fromEntries(server.requests));
    await context.setOffline(true);
    await page
      .getByTestId('bundle-import-input')
      .setInputFiles({ name: bundleFileName(MODEL.id), mimeType: 'application/x-tar', buffer: bundle });
    await expect(page.locator('[data-testid="bundle-progress"][data-operation="import"]')).toHaveAttribute('data-state', 'done');
    await expect(row(page)).toHaveAttribute('data-offline-ready', 'true');
    await expect(row(page)).toHaveAttribute('data-webllm-cached', 'true');
    await expect(row(page)).toHaveAttribute('data-bytes', String(server.modelBytes(MODEL)));
    await expectNoSeriousA11yViolations(page, 'storage after a bundle import');
    await page.getByTestId('storage-close').click();
    await pickModel(page, MODEL.id);
    await page.getByTestId('model-load').click();
    // The fixture's model library is a placeholder: WebLLM reaches compiling it only after finding
    // the config and the library in the store without the network.
    await expect(page.getByTestId('error-banner')).toContainText('WebAssembly');
    expect(JSON.stringify(Object.fromEntries(server.requests))).toBe(served);
    await context.setOffline(false);
  });
}
