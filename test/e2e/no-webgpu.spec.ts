// The page for browsers without WebGPU still gives a person their data: saved conversations to
// read (no composer), export, import and delete, and the Storage panel. Chromium runs here without
// --enable-unsafe-webgpu, so neither the page nor the engine worker has a GPU.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { expect, openReady, pickModel, test } from './fixtures/app';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_URL } from './fixtures/browser';
import { FIXTURE_SHARD_BYTES, ModelServer } from './fixtures/model-server';
import { downloadOf, exportFile, importSeed, item, listedIds, seedConversations } from './fixtures/conversations';

const NO_WEBGPU_ARGS = CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu');
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: NO_WEBGPU_ARGS } });

test('without WebGPU: read, export, import and delete saved conversations, and open Storage', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('no-webgpu')).toBeVisible();
  await expect(page.getByTestId('saved-conversations')).toHaveAttribute('data-loaded', 'true');
  await importSeed(page);
  await page.reload();
  await expect(page.getByTestId('saved-conversations')).toHaveAttribute('data-loaded', 'true');
  await expect(listedIds(page)).resolves.toEqual(['conv-cafe', 'conv-rust', 'conv-garden']);

  // Read: the visible path, no composer, no "new conversation".
  await item(page, 'conv-cafe').click();
  const reader = page.getByTestId('conversation-reader');
  // (toContainText: the reply is shown as rendered Markdown, "bica" without its asterisks.)
  await expect(reader.getByTestId('message-content')).toContainText([
    'Where should I drink coffee?',
    'bica',
    'And to eat?',
    'Pastéis de nata.',
  ]);
  await expect(page.getByTestId('chat-input')).toHaveCount(0);
  await expect(page.getByTestId('new-conversation')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'no-WebGPU page with saved conversations');

  // Export both ways.
  const json = await downloadOf(page, page.getByTestId('export-button'));
  expect(JSON.parse(json.text).conversations).toEqual(seedConversations());
  const md = await downloadOf(page, page.getByTestId('export-conversation'));
  expect(md.text).toContain('## Assistant\n\nPastéis de nata.');

  // Delete (with its undo offer), and the deletion holds across a reload.
  await item(page, 'conv-rust').getByTestId('conversation-delete').click();
  await expect(page.getByTestId('conversation-undo')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('saved-conversations')).toHaveAttribute('data-loaded', 'true');
  await expect(listedIds(page)).resolves.toEqual(['conv-cafe', 'conv-garden']);

  // Importing the same file again brings back only what is missing.
  await page
    .getByTestId('import-input')
    .setInputFiles({ name: 'c.json', mimeType: 'application/json', buffer: Buffer.from(exportFile(seedConversations())) });
  await expect(page.getByTestId('import-status')).toHaveText('Imported: 1 conversation added, 2 already here.');

  // Storage: the panel opens and reports usage (the worker starts without a GPU).
  await page.getByTestId('storage-open').click();
  await expect(page.getByTestId('storage-panel')).toBeVisible();
  await expect(page.getByTestId('storage-usage')).toHaveAttribute('data-quota', /\d+/);
  await expectNoSeriousA11yViolations(page, 'no-WebGPU page, storage panel');
  await page.getByTestId('storage-close').click();
  await expect(page.getByTestId('storage-panel')).toHaveCount(0);
});

test('without WebGPU: a model stored earlier (with WebGPU) is listed in Storage and can be deleted', async () => {
  const MODEL = 'fixture-a-q4f32_1-MLC';
  const server = new ModelServer([{ id: MODEL, shards: 2, shardBytes: FIXTURE_SHARD_BYTES }]);
  await server.start();
  const profile = await mkdtemp(join(tmpdir(), 'airgap-no-webgpu-'));
  const url = `${PREVIEW_URL}/?models=${encodeURIComponent(server.appConfigUrl)}`;
  const launch = (args: string[]) =>
    chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args, serviceWorkers: 'block', baseURL: PREVIEW_URL });
  try {
    // One profile: first with WebGPU to download the model, then without.
    const withGpu = await launch(CHROMIUM_ARGS);
    const page = withGpu.pages()[0] ?? (await withGpu.newPage());
    await openReady(page, url);
    await pickModel(page, MODEL);
    await page.getByTestId('download-model').click();
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    await withGpu.close();

    const noGpu = await launch(NO_WEBGPU_ARGS);
    const plain = noGpu.pages()[0] ?? (await noGpu.newPage());
    await plain.goto(url);
    await expect(plain.getByTestId('no-webgpu')).toBeVisible();
    await plain.getByTestId('storage-open').click();
    const row = plain.locator(`[data-testid="cached-model"][data-model-id="${MODEL}"]`);
    await expect(row).toHaveAttribute('data-offline-ready', 'true');
    await row.getByTestId('cached-model-delete').click();
    await expect(row).toHaveCount(0);
    await noGpu.close();
  } finally {
    await server.stop();
    await rm(profile, { recursive: true, force: true });
  }
});
