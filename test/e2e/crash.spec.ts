import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';

test('a crashed worker rejects the pending reply, offers a restart, and keeps the conversation', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=10');
  await loadModel(page);
  await send(page, '/echo this reply will be cut short by a crash of the engine worker');
  const reply = lastAssistant(page);
  await expect(reply.getByTestId('message-content')).not.toHaveText('');
  await page.evaluate(() => (window as unknown as { __airgap: { crashEngine(): Promise<unknown> } }).__airgap.crashEngine());

  const banner = page.getByTestId('error-banner');
  await expect(banner).toHaveAttribute('data-error-name', 'EngineCrashedError');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'error');
  await expect(reply).toHaveAttribute('data-state', 'error');
  const partial = (await reply.getByTestId('message-content').textContent()) ?? '';
  expect(partial.length).toBeGreaterThan(0);
  await expect(page.getByTestId('send-button')).toBeDisabled();

  await page.getByTestId('engine-restart').click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'idle');
  // The conversation is intact after the restart.
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveCount(1);
  await expect(reply.getByTestId('message-content')).toHaveText(partial);

  await loadModel(page);
  await send(page, '/echo back again');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('back again');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
});
