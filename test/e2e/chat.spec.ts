import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, lastAssistant, loadModel, openReady, pickModel, send, test } from './fixtures/app';

test('streams a reply, Stop keeps the partial reply, and it survives a reload', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=20');
  await loadModel(page);
  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(6).trim();
  await send(page, `/echo ${long}`);
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'streaming');
  const content = reply.getByTestId('message-content');
  // Tokens arrive over time: the text grows while streaming.
  await expect(content).not.toHaveText('');
  const first = (await content.textContent()) ?? '';
  await expect.poll(async () => ((await content.textContent()) ?? '').length).toBeGreaterThan(first.length);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'generating');
  await page.getByTestId('stop-button').click();
  await expect(reply).toHaveAttribute('data-state', 'stopped');
  const partial = (await content.textContent()) ?? '';
  expect(partial.length).toBeGreaterThan(0);
  expect(partial.length).toBeLessThan(long.length);
  expect(long.startsWith(partial)).toBe(true);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('conversation-item')).toHaveCount(1);
  const restored = lastAssistant(page);
  await expect(restored).toHaveAttribute('data-state', 'stopped');
  await expect(restored.getByTestId('message-content')).toHaveText(partial);
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toContainText('/echo The quick brown fox');
});

test('the reference model generates a complete reply with stats', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page);
  await send(page, 'Tell me about the cache in the browser.');
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'done');
  await expect(reply.getByTestId('message-content')).not.toHaveText('');
  const stats = reply.getByTestId('message-stats');
  expect(Number(await stats.getAttribute('data-decode-tps'))).toBeGreaterThan(0);
  expect(Number(await stats.getAttribute('data-prefill-tps'))).toBeGreaterThan(0);
  await expectNoSeriousA11yViolations(page, 'chat with a reply');
  await expect(page.getByTestId('conversation-item')).toContainText('Tell me about the cache');
});

test('keyboard: Shift+Enter adds a line, Enter sends, Esc stops', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=10');
  await loadModel(page);
  const input = page.getByTestId('chat-input');
  await input.fill('/echo line one');
  await input.press('Shift+Enter');
  await input.pressSequentially('line two is a rather long line to keep streaming');
  await expect(input).toHaveValue('/echo line one\nline two is a rather long line to keep streaming');
  await input.press('Enter');
  await expect(input).toHaveValue('');
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'streaming');
  await expect(reply.getByTestId('message-content')).not.toHaveText('');
  await input.press('Escape');
  await expect(reply).toHaveAttribute('data-state', 'stopped');
});

test('sending without a loaded model explains and keeps the text', async ({ page }) => {
  await openReady(page);
  await send(page, 'hello there');
  await expect(page.getByTestId('error-banner')).toHaveAttribute('data-error-name', 'ModelNotLoadedError');
  await expect(page.getByTestId('error-banner')).toContainText('No model is loaded');
  await expect(page.getByTestId('chat-input')).toHaveValue('hello there');
  await expect(page.getByTestId('message')).toHaveCount(0);
});

test('a second load replaces the first, and conversations are separate and deletable', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page, 'reference-tiny');
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  await loadModel(page, 'reference-draft');
  await send(page, '/echo first chat');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('message')).toHaveCount(0);
  await send(page, '/echo second chat');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('second chat');
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);
  await page.getByTestId('conversation-item').filter({ hasText: 'first chat' }).click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('first chat');
  await page.getByTestId('conversation-item').filter({ hasText: 'first chat' }).getByTestId('conversation-delete').click();
  await expect(page.getByTestId('conversation-item')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('conversation-item')).toHaveCount(1);
  await expect(page.getByTestId('conversation-item')).toContainText('second chat');
});

test('load progress is shown while a model loads', async ({ page }) => {
  await openReady(page);
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('model-load').click();
  const progress = page.getByTestId('load-progress');
  await expect(progress).toBeVisible();
  const fraction = Number(await progress.getAttribute('data-progress'));
  expect(fraction).toBeGreaterThanOrEqual(0);
  expect(fraction).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await expect(progress).toHaveCount(0);
});
