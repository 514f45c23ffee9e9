import type { Page } from '@playwright/test';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';

const PROMPT = 'Please repeat: the cache file for the model is saved in the browser. The cache file for the model is saved in the browser.';

async function setting(page: Page, testId: string, value: string) {
  await page.getByTestId('settings-open').click();
  const el = page.getByTestId(testId);
  if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
  else {
    await el.fill(value);
    await el.press('Tab');
  }
  await page.getByTestId('settings-close').click();
}

async function reply(page: Page, text: string): Promise<string> {
  await send(page, text);
  const r = lastAssistant(page);
  await expect(r).toHaveAttribute('data-state', 'done');
  return (await r.getByTestId('message-content').textContent()) ?? '';
}

test('at temperature 0 speculation gives exactly the plain text, with prompt lookup and with a draft model', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=400');
  await setting(page, 'setting-temperature', '0');
  await setting(page, 'setting-spec-mode', 'off');
  await loadModel(page);
  const plain = await reply(page, PROMPT);
  expect(plain.length).toBeGreaterThan(10);
  await expect(page.getByTestId('spec-stats')).toHaveAttribute('data-used', 'off');
  await expect(lastAssistant(page).getByTestId('message-stats')).toHaveAttribute('data-drafted', '0');

  await setting(page, 'setting-spec-mode', 'prompt-lookup');
  await page.getByTestId('new-conversation').click();
  expect(await reply(page, PROMPT)).toBe(plain);
  const stats = page.getByTestId('spec-stats');
  await expect(stats).toHaveAttribute('data-used', 'prompt-lookup');
  expect(Number(await stats.getAttribute('data-acceptance'))).toBeGreaterThan(0);
  expect(Number(await stats.getAttribute('data-tokens-per-pass'))).toBeGreaterThan(1);
  const msgStats = lastAssistant(page).getByTestId('message-stats');
  expect(Number(await msgStats.getAttribute('data-drafted'))).toBeGreaterThan(0);
  expect(Number(await msgStats.getAttribute('data-accepted'))).toBeGreaterThan(0);

  // The draft model is loaded beside the target at the next load.
  await setting(page, 'setting-spec-mode', 'draft-model');
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('draft-model-option')).toHaveCount(1);
  await expect(page.getByTestId('draft-model-option')).toHaveText('reference-draft');
  await page.getByTestId('settings-close').click();
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('load-note')).toContainText('reference-draft');
  await page.getByTestId('new-conversation').click();
  expect(await reply(page, PROMPT)).toBe(plain);
  await expect(stats).toHaveAttribute('data-used', 'draft-model');
  expect(Number(await stats.getAttribute('data-acceptance'))).toBeGreaterThan(0);
});

test('accepted draft tokens can be highlighted', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=400');
  await setting(page, 'setting-spec-mode', 'prompt-lookup');
  await setting(page, 'setting-temperature', '0');
  await loadModel(page);
  await reply(page, PROMPT);
  await expect(page.getByTestId('draft-token')).toHaveCount(0);
  await page.getByTestId('settings-open').click();
  await page.getByTestId('setting-highlight-drafts').check();
  await page.getByTestId('settings-close').click();
  expect(await page.getByTestId('draft-token').count()).toBeGreaterThan(0);
  // Highlighting changes the look, not the text.
  const whole = (await lastAssistant(page).getByTestId('message-content').textContent()) ?? '';
  const drafted = (await page.getByTestId('draft-token').allTextContents()).join('');
  expect(drafted.length).toBeGreaterThan(0);
  expect(drafted.length).toBeLessThan(whole.length);
});

test('when the self-check finds a mismatch, speculation stays off for the model and says why', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=400&selfcheck=corrupt');
  await setting(page, 'setting-spec-mode', 'prompt-lookup');
  await loadModel(page);
  await reply(page, PROMPT);
  const stats = page.getByTestId('spec-stats');
  await expect(stats).toHaveAttribute('data-used', 'off');
  await expect(stats).toContainText('self-check');
  await expect(lastAssistant(page).getByTestId('message-stats')).toHaveAttribute('data-drafted', '0');
});
