// The model picker and the first minutes: search, keyboard, groups, chat models only, long names,
// the last model loaded again after a reload, the first-run screen, and the per-reply numbers
// (tokens/s, speed-up against plain decoding) with speculation.
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';
import { FIXTURE_SHARD_BYTES, ModelServer } from './fixtures/model-server';

const option = (id: string) => `[data-testid="model-option"][data-model-id="${id}"]`;
const visibleOptions = (page: Page) => page.locator('[data-testid="model-option"]:visible');

test.describe('with a custom source holding a chat and an embedding model', () => {
  let server: ModelServer;
  test.beforeEach(async () => {
    server = new ModelServer([
      { id: 'fixture-chat-1B-q4f32_1-MLC', shards: 1, shardBytes: FIXTURE_SHARD_BYTES },
      { id: 'fixture-embed-q0f32-MLC', shards: 1, shardBytes: FIXTURE_SHARD_BYTES, modelType: 1 },
    ]);
    await server.start();
  });
  test.afterEach(async () => server.stop());

  test('search narrows the list, groups are shown, embedding models are absent, keys choose', async ({ page }) => {
    await openReady(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
    await expect(page.locator(option('fixture-chat-1B-q4f32_1-MLC'))).toHaveCount(1);
    await expect(page.locator(option('fixture-embed-q0f32-MLC'))).toHaveCount(0);
    await expect(page.locator('[data-testid="model-option"][data-model-id*="embed"]')).toHaveCount(0);
    expect(await page.getByTestId('model-group').count()).toBeGreaterThan(10);
    await expect(page.locator('[data-testid="model-group"][data-family="Llama 3.2"] [data-testid="model-option"]')).toHaveCount(6);

    const picker = page.getByTestId('model-select');
    await picker.focus();
    await page.keyboard.press('ArrowDown');
    const search = page.getByTestId('model-search');
    await expect(search).toBeFocused();
    await expect(search).toHaveAttribute('aria-expanded', 'true');
    const all = await visibleOptions(page).count();
    expect(all).toBeGreaterThan(100);
    await expectNoSeriousA11yViolations(page, 'model picker open');

    await search.fill('qwen3 0.6b');
    const hits = await visibleOptions(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')!));
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThan(all);
    for (const id of hits) expect(id).toMatch(/^Qwen3-0\.6B-/);
    // Each entry says its download size, the context it would load with here, and its fit.
    await expect(visibleOptions(page).first()).toContainText(/≈ [\d.]+ (MB|GB) download · \d+k context · (✓|⚠|✗)/);

    await search.fill('llama 3.2 3b');
    const ids = await visibleOptions(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')!));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    await search.press('ArrowDown');
    await expect(search).toHaveAttribute('aria-activedescendant', /.+/);
    await search.press('Enter');
    await expect(picker).toHaveAttribute('data-value', ids[1]!);
    await expect(search).toBeHidden();
    await expect(picker).toBeFocused();

    // Escape closes without choosing.
    await picker.press('ArrowDown');
    await search.fill('smollm2');
    await search.press('Escape');
    await expect(search).toBeHidden();
    await expect(picker).toHaveAttribute('data-value', ids[1]!);
  });
});

test('a long model name is truncated with the full id in its title, and the page does not widen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openReady(page, '/');
  const id = 'Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC';
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-search').fill(id);
  await page.locator(option(id)).click();
  await expect(page.getByTestId('model-select')).toHaveAttribute('title', id);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the last used model is loaded again after a reload, so the next send works', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page, 'reference-draft');
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('engine-status')).toContainText('reference-draft');
  await expect(page.getByTestId('engine-status')).toContainText('4k context');
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-value', 'reference-draft');
  await send(page, '/echo still here');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('still here');
});

test('the first-run screen recommends a model, explains offline-ready, and goes once a model is loaded', async ({ page }) => {
  await openReady(page);
  const first = page.getByTestId('first-run');
  await expect(first).toBeVisible();
  await expect(page.getByTestId('first-run-recommended')).toHaveAttribute('data-model-id', 'reference-tiny');
  await expect(page.getByTestId('first-run-recommended')).toContainText('no download needed');
  await expect(first).toContainText('Offline-ready');
  await expectNoSeriousA11yViolations(page, 'first run');
  await page.getByTestId('first-run-load').click();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await expect(first).toHaveCount(0);
});

test('the first-run screen recommends the best-fitting model for this GPU with its download size, and goes with a conversation', async ({
  page,
}) => {
  await openReady(page, '/');
  const recommended = page.getByTestId('first-run-recommended');
  const id = await recommended.getAttribute('data-model-id');
  await expect(page.locator(option(id!))).toHaveAttribute('data-fit', 'fits');
  await expect(page.locator('[data-testid="model-option"]').first()).toHaveAttribute('data-model-id', id!);
  expect(Number(await recommended.getAttribute('data-download-bytes'))).toBeGreaterThan(0);
  await expect(recommended).toContainText(/about [\d.]+ (MB|GB) to download once/);
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('first-run')).toHaveCount(0);
});

test('message stats show tokens/s and the speed-up against plain decoding measured in the reply', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=200');
  await page.getByTestId('settings-open').click();
  await page.getByTestId('setting-spec-mode').selectOption('prompt-lookup');
  await page.getByTestId('setting-temperature').fill('0');
  await page.getByTestId('setting-temperature').press('Tab');
  await page.getByTestId('settings-close').click();
  await loadModel(page);
  await send(
    page,
    'Please repeat: the cache file for the model is saved in the browser. The cache file for the model is saved in the browser.',
  );
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'done');
  const stats = reply.getByTestId('message-stats');
  expect(Number(await stats.getAttribute('data-decode-tps'))).toBeGreaterThan(0);
  await expect(stats).toContainText(/decode [\d.]+ tok\/s/);
  expect(Number(await stats.getAttribute('data-drafted'))).toBeGreaterThan(0);
  // The controller times one plain step before it drafts: the speed-up is measured, not assumed.
  const speedup = Number(await stats.getAttribute('data-speedup'));
  expect(speedup).toBeGreaterThan(0);
  await expect(stats.getByTestId('message-speedup')).toHaveText(`${speedup.toFixed(1)}× vs plain`);
  const spec = page.getByTestId('spec-stats');
  expect(Number(await spec.getAttribute('data-tokens-per-pass'))).toBeGreaterThanOrEqual(1);
  await expectNoSeriousA11yViolations(page, 'chatting with speculation stats');
});
