import { expect, lastAssistant, loadModel, openReady, pickModel, send, test } from './fixtures/app';

// &devicelost=after-load (reference engine only) loses the simulated GPU device right after the
// first load, as WebLLM does when an allocation does not fit: every model is unloaded.
test('a GPU device lost after load says so, no model stays "loaded", and Load works again', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=200&devicelost=after-load');
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('model-load').click();

  const banner = page.getByTestId('error-banner');
  await expect(banner).toHaveAttribute('data-error-name', 'DeviceLostError');
  await expect(banner).toContainText('GPU device was lost');
  const status = page.getByTestId('engine-status');
  await expect(status).toHaveAttribute('data-state', 'error');
  await expect(status).not.toContainText('reference-tiny');
  await expect(page.getByTestId('model-load')).toBeEnabled();

  await loadModel(page);
  await expect(banner).toHaveCount(0);
  await send(page, '/echo back on a fresh device');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('back on a fresh device');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
});
