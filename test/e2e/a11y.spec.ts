// Keyboard and screen-reader use: every dialog keeps focus inside, closes on Escape and returns focus
// to its opener; the shortcuts; one live-region announcement per reply; headings; the error-state
// bugs (a dismissed error, network failures in words); and axe on every main screen, both color
// schemes and a phone-sized window.
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { REFERENCE, expect, lastAssistant, loadModel, openReady, pickModel, send, test } from './fixtures/app';
import { FIXTURE_SHARD_BYTES, ModelServer } from './fixtures/model-server';

const F16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';

/** The test id of the focused element, or its tag when it has none ("BODY" when focus was dropped). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('data-testid') ?? el?.tagName ?? '';
  });
const focusInside = (page: Page, testid: string) =>
  page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement) === true, testid);

/** Opens a panel from its header button with the keyboard alone. */
async function openWithKeyboard(page: Page, opener: string, panel: string) {
  await page.getByTestId(opener).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(panel)).toBeVisible();
  expect(await focusInside(page, panel)).toBe(true);
}

test('Settings by keyboard: a changed select keeps focus inside, Escape closes, focus is back on the opener', async ({ page }) => {
  await openReady(page);
  await pickModel(page, 'reference-tiny');
  await openWithKeyboard(page, 'settings-open', 'settings-panel');
  const mode = page.getByTestId('setting-spec-mode');
  await mode.focus();
  await page.keyboard.press('ArrowDown');
  await expect(mode).not.toHaveValue('auto');
  await mode.selectOption('off');
  await page.getByTestId('setting-draft-model').selectOption('none');
  expect(await focusInside(page, 'settings-panel')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings-panel')).toHaveCount(0);
  expect(await focused(page)).toBe('settings-open');
  // Escape closes again and again, not only the first time, and even with focus nowhere (blurred).
  await openWithKeyboard(page, 'settings-open', 'settings-panel');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings-panel')).toHaveCount(0);
  expect(await focused(page)).toBe('settings-open');
});

test('Storage by keyboard: switching the backend (the engine restarts) keeps focus inside; Escape closes', async ({ page }) => {
  await openReady(page);
  await openWithKeyboard(page, 'storage-open', 'storage-panel');
  await page.getByTestId('storage-backend').selectOption('indexeddb');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  expect(await focusInside(page, 'storage-panel')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('storage-panel')).toHaveCount(0);
  expect(await focused(page)).toBe('storage-open');
});

test('Tab and Shift+Tab stay inside an open dialog; the page behind is inert', async ({ page }) => {
  await openReady(page);
  await openWithKeyboard(page, 'shortcuts-open', 'shortcuts-dialog');
  const count = await page
    .getByTestId('shortcuts-dialog')
    .evaluate((d) => d.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])').length);
  for (let i = 0; i < count + 2; i++) {
    await page.keyboard.press('Tab');
    expect(await focusInside(page, 'shortcuts-dialog')).toBe(true);
  }
  for (let i = 0; i < count + 2; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await focusInside(page, 'shortcuts-dialog')).toBe(true);
  }
  // A click on the page behind does nothing while the dialog is open.
  await page.getByTestId('settings-open').click({ force: true });
  await expect(page.getByTestId('settings-panel')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-dialog')).toHaveCount(0);
  expect(await focused(page)).toBe('shortcuts-open');
});

test('"Load anyway" starts on Cancel, closes with Escape, and focus never drops to the page', async ({ page }) => {
  await openReady(page, '/');
  await pickModel(page, F16);
  await page.getByTestId('model-load').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('load-confirm')).toBeVisible();
  expect(await focused(page)).toBe('load-confirm-cancel');
  await expectNoSeriousA11yViolations(page, 'load confirm');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('load-confirm')).toHaveCount(0);
  expect(await focused(page)).toBe('model-load');
});

test('after pressing Load, focus stays on the Load button', async ({ page }) => {
  await openReady(page);
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('model-load').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  expect(await focused(page)).toBe('model-load');
});

test('shortcuts: help, new chat, focus composer, stop, edit last message', async ({ page }) => {
  await openReady(page, `${REFERENCE}&tps=10`);
  await loadModel(page);
  // Help on "?" (outside text fields) and on Ctrl+/ (anywhere), listing every shortcut.
  await page.locator('body').press('?');
  await expect(page.getByTestId('shortcuts-dialog')).toBeVisible();
  await expect(page.getByTestId('shortcut')).toHaveCount(5);
  await expectNoSeriousA11yViolations(page, 'help dialog');
  await page.keyboard.press('Escape');
  await page.getByTestId('chat-input').press('Control+/');
  await expect(page.getByTestId('shortcuts-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-dialog')).toHaveCount(0);
  expect(await focused(page)).toBe('chat-input');

  // Shift+Esc from anywhere focuses the composer.
  await page.getByTestId('settings-open').focus();
  await page.keyboard.press('Shift+Escape');
  expect(await focused(page)).toBe('chat-input');

  // Esc from the page (not only from the composer) stops a reply.
  await send(page, `/echo ${'a long reply that keeps streaming for a while '.repeat(4)}`);
  await expect(lastAssistant(page).getByTestId('message-content')).not.toHaveText('');
  await page.getByTestId('new-conversation').focus();
  await page.keyboard.press('Escape');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'stopped');

  // ArrowUp in an empty composer opens the last user message for editing; with text in the composer it is the caret's.
  const lastUser = page.locator('[data-testid="message"][data-role="user"]').last();
  await page.getByTestId('chat-input').fill('not empty');
  await page.getByTestId('chat-input').press('ArrowUp');
  await expect(lastUser.getByTestId('edit-input')).toHaveCount(0);
  await page.getByTestId('chat-input').fill('');
  await page.getByTestId('chat-input').press('ArrowUp');
  await expect(lastUser.getByTestId('edit-input')).toBeVisible();
  await lastUser.getByTestId('edit-cancel').click();

  // Ctrl+Shift+O starts a new conversation and puts the cursor in the composer.
  await page.getByTestId('settings-open').focus();
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);
  await expect(page.getByTestId('message')).toHaveCount(0);
  expect(await focused(page)).toBe('chat-input');
});

test('the live region announces each reply once, complete; the message list is not live', async ({ page }) => {
  await openReady(page, `${REFERENCE}&tps=200`);
  await loadModel(page);
  // (The model picker's result count is live too, but only while the picker is open.)
  await expect(page.locator('[aria-live]:not([data-testid="live-region"])').filter({ visible: true })).toHaveCount(0);
  await page.getByTestId('live-region').evaluate((region) => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver(() => region.textContent && said.push(region.textContent)).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  const said = () => page.evaluate(() => (window as unknown as { said: string[] }).said);
  await send(page, '/echo Hello **brave** new world, streamed in many small tokens.');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect.poll(said).toEqual(['Generating a reply…', 'Reply: Hello brave new world, streamed in many small tokens.']);
  await expectNoSeriousA11yViolations(page, 'chatting');
});

test('headings: one h1, and h2 for the conversation list and the chat', async ({ page }) => {
  await openReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 2, name: 'Conversations' })).toHaveCount(1);
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveCount(1);
});

test('a dismissed error leaves the header saying what is true, not "error"', async ({ page }) => {
  await openReady(page, `${REFERENCE}&devicelost=after-load`);
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('error-banner')).toHaveAttribute('data-error-name', 'DeviceLostError');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'error');
  await page.getByTestId('error-banner').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'idle');
});

test.describe('network failures in words', () => {
  const MODEL = 'fixture-a-q4f32_1-MLC';
  let server: ModelServer;
  test.beforeEach(async () => {
    server = new ModelServer([{ id: MODEL, shards: 4, shardBytes: FIXTURE_SHARD_BYTES, withHashes: true }]);
    await server.start();
  });
  test.afterEach(async () => server.stop());

  test('offline: the download says so and that stored models still work', async ({ page, context }) => {
    // Dark, where danger-coloured text (the offline indicator) was below AA contrast.
    await page.emulateMedia({ colorScheme: 'dark' });
    await openReady(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
    await pickModel(page, MODEL);
    await context.setOffline(true);
    await page.getByTestId('download-model').click();
    const banner = page.getByTestId('error-banner');
    await expect(banner).toHaveAttribute('data-error-name', 'OfflineError');
    await expect(banner).toContainText('You are offline');
    await expect(banner).toContainText('Stored (offline-ready) models still work');
    await expect(banner).not.toContainText('Failed to fetch');
    await expect(page.getByTestId('offline-indicator')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'offline with an error (dark)');
  });

  test('an unreachable model host is named, with what to check', async ({ page }) => {
    await openReady(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
    await pickModel(page, MODEL);
    const host = new URL(server.origin).host;
    await server.stop();
    await page.getByTestId('download-model').click();
    const banner = page.getByTestId('error-banner');
    // The downloader retries a few times with backoff before it gives up.
    await expect(banner).toHaveAttribute('data-error-name', 'HostUnreachableError', { timeout: 40_000 });
    await expect(banner).toContainText(`${host} could not be reached`);
    await expect(banner).not.toContainText('Failed to fetch');
  });
});

test.describe('axe on every main screen', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`empty, chatting, settings and storage in the ${scheme} scheme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openReady(page, `${REFERENCE}&tps=1000`);
      await expectNoSeriousA11yViolations(page, `empty (${scheme})`);
      await loadModel(page);
      await send(page, '/echo A reply with `code` and more text.');
      await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
      await expectNoSeriousA11yViolations(page, `chatting (${scheme})`);
      await page.getByTestId('settings-open').click();
      await expectNoSeriousA11yViolations(page, `settings (${scheme})`);
      await page.keyboard.press('Escape');
      await page.getByTestId('storage-open').click();
      await expectNoSeriousA11yViolations(page, `storage (${scheme})`);
      await page.keyboard.press('Escape');
      await page.getByTestId('shortcuts-open').click();
      await expectNoSeriousA11yViolations(page, `help (${scheme})`);
    });
  }

  test('phone width 390 × 844: empty, chatting, settings', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openReady(page, `${REFERENCE}&tps=1000`);
    await expectNoSeriousA11yViolations(page, 'phone empty');
    await loadModel(page);
    await send(page, '/echo A short reply.');
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    await expectNoSeriousA11yViolations(page, 'phone chatting');
    await page.getByTestId('settings-open').click();
    await expectNoSeriousA11yViolations(page, 'phone settings');
  });
});
