import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, openReady, pickModel, test } from './fixtures/app';

const F16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const SMALL_F32 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const option = (id: string) => `[data-testid="model-option"][data-model-id="${id}"]`;

test('sizes the catalog for the real SwiftShader adapter', async ({ page }) => {
  await openReady(page, '/');
  await page.getByTestId('settings-open').click();
  const adapter = page.getByTestId('gpu-adapter');
  await expect(adapter).toContainText(/swiftshader/i);
  await expect(adapter).toHaveAttribute('data-f16', 'false');
  expect(Number(await adapter.getAttribute('data-max-binding'))).toBeGreaterThanOrEqual(128 * 1024 * 1024);
  await expect(adapter).toHaveAttribute('data-class', 'software');

  // f16 builds cannot run here, and the reason says so; a small f32 model fits.
  await expect(page.locator(option(F16))).toHaveAttribute('data-fit', 'no');
  await expect(page.locator(option(F16))).toHaveAttribute('data-fit-reason', /shader-f16/);
  await expect(page.locator(option(SMALL_F32))).toHaveAttribute('data-fit', 'fits');
  // Families with a model that fits come first (the picker groups by family, each family's sizes together),
  // and the picker starts on one that fits.
  await expect(page.getByTestId('model-option').first()).toHaveAttribute('data-fit', 'fits');
  const rank = { fits: 0, tight: 1, no: 2 } as Record<string, number>;
  const best = await page
    .getByTestId('model-group')
    .evaluateAll((groups) =>
      groups.map((g) => [...g.querySelectorAll('[data-testid="model-option"]')].map((o) => o.getAttribute('data-fit')!)),
    );
  const bestRank = best.map((fits) => Math.min(...fits.map((f) => rank[f]!)));
  expect(bestRank).toEqual([...bestRank].sort((a, b) => a - b));
  const selected = await page.getByTestId('model-select').getAttribute('data-value');
  await expect(page.locator(option(selected!))).toHaveAttribute('data-fit', 'fits');
  const explain = page.getByTestId('settings-explain');
  await expect(explain).toContainText('software');
  await expect(explain).toContainText('shader-f16');
  await expectNoSeriousA11yViolations(page, 'settings');
});

test('context override: auto value shown, bad input clamped with a message, kept across reloads', async ({ page }) => {
  await openReady(page, '/');
  await pickModel(page, SMALL_F32);
  await page.getByTestId('settings-open').click();
  const ctx = page.getByTestId('setting-context-size');
  const auto = Number(await ctx.getAttribute('data-auto'));
  expect(auto).toBeGreaterThanOrEqual(1024);
  expect(auto).toBeLessThanOrEqual(4096);

  await ctx.fill('100000');
  await ctx.press('Tab');
  await expect(ctx).toHaveValue('4096');
  await expect(page.getByTestId('setting-context-size-message')).toContainText('at most 4096');

  await ctx.fill('-3');
  await ctx.press('Tab');
  await expect(ctx).toHaveValue('256');
  await expect(page.getByTestId('setting-context-size-message')).toContainText('at least 256');

  await ctx.fill('lots');
  await ctx.press('Tab');
  await expect(ctx).toHaveValue('');
  await expect(page.getByTestId('setting-context-size-message')).toContainText('not a number');

  await ctx.fill('2048');
  await ctx.press('Tab');
  await expect(page.getByTestId('setting-context-size-message')).toHaveCount(0);
  const draft = page.getByTestId('setting-draft-tokens');
  expect(Number(await draft.getAttribute('data-auto'))).toBeGreaterThanOrEqual(0);
  await draft.fill('12');
  await draft.press('Tab');
  await expect(draft).toHaveValue('8');
  await expect(page.getByTestId('setting-draft-tokens-message')).toContainText('at most 8');

  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await pickModel(page, SMALL_F32);
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('setting-context-size')).toHaveValue('2048');
  await expect(page.getByTestId('setting-draft-tokens')).toHaveValue('8');
});

test("the user's GPU memory figure changes the fits", async ({ page }) => {
  await openReady(page, '/');
  const big = option('Llama-3.1-8B-Instruct-q4f32_1-MLC');
  await expect(page.locator(big)).toHaveAttribute('data-fit', 'no');
  await page.getByTestId('settings-open').click();
  // A software adapter runs on system RAM; a user may say how much it may use.
  await page.getByTestId('setting-gpu-memory').fill('24');
  await page.getByTestId('setting-gpu-memory').press('Tab');
  await expect(page.locator(big)).toHaveAttribute('data-fit', 'fits');
  await page.getByTestId('setting-gpu-memory').fill('zero');
  await page.getByTestId('setting-gpu-memory').press('Tab');
  await expect(page.getByTestId('setting-gpu-memory-message')).toContainText('not a GPU memory size');
  await expect(page.locator(big)).toHaveAttribute('data-fit', 'no');
});

test('loading a model that will not fit asks first and names the reason', async ({ page }) => {
  await openReady(page, '/');
  await pickModel(page, F16);
  await expect(page.getByTestId('model-fit')).toContainText('shader-f16');
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('load-confirm')).toBeVisible();
  await expect(page.getByTestId('load-confirm-reason')).toContainText('shader-f16');
  await page.getByTestId('load-confirm-cancel').click();
  await expect(page.getByTestId('load-confirm')).toHaveCount(0);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'idle');
  // The suggested f32 variant is one click away.
  await page.getByTestId('use-variant').click();
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-value', 'Llama-3.2-1B-Instruct-q4f32_1-MLC');
  await expect(page.getByTestId('model-fit')).toHaveCount(0);
});

test('the context window chosen in settings is the one the model loads with', async ({ page }) => {
  await openReady(page, '/?engine=reference');
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('setting-context-size')).toHaveAttribute('data-auto', '4096');
  await page.getByTestId('setting-context-size').fill('1024');
  await page.getByTestId('setting-context-size').press('Tab');
  await page.getByTestId('settings-close').click();
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('engine-status')).toContainText('1k context');
});
