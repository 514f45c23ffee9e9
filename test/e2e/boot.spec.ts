import { expect, openReady, test } from './fixtures/app';

test("boots with WebLLM's catalog in the picker and no page errors", async ({ page }) => {
  await openReady(page, '/');
  await expect(page.getByTestId('app')).toHaveAttribute('data-engine', 'webllm');
  const options = page.getByTestId('model-option');
  expect(await options.count()).toBeGreaterThanOrEqual(100);
  // Entries carry what a user needs to choose: quantisation, context, f16 badge.
  const f16 = page.locator('[data-testid="model-option"][data-model-id="Llama-3.2-1B-Instruct-q4f16_1-MLC"]');
  await expect(f16).toHaveAttribute('data-needs-f16', 'true');
  await expect(f16).toContainText('needs shader-f16');
  await expect(f16).toHaveAttribute('data-context', '4096');
  const f32 = page.locator('[data-testid="model-option"][data-model-id="Llama-3.2-1B-Instruct-q4f32_1-MLC"]');
  await expect(f32).toHaveAttribute('data-needs-f16', 'false');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'idle');
});

test('the reference engine never loads the WebLLM chunk', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname);
  });
  await openReady(page);
  await expect(page.getByTestId('model-option')).toHaveCount(2);
  expect(scripts.some((s) => s.includes('worker-entry'))).toBe(true);
  expect(scripts.filter((s) => s.includes('webllm'))).toEqual([]);
});

test('without WebGPU the page explains what to do', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('/');
  const notice = page.getByTestId('no-webgpu');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('data-reason', 'missing');
  await expect(notice).toContainText('Chrome');
  await expect(notice).toContainText('enable-unsafe-webgpu');
  await expect(page.getByTestId('app')).toHaveCount(0);
});
