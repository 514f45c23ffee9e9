// Context overflow, the context meter and per-conversation settings, with the reference engine in a
// 256-token window (the smallest context Settings allows). Expected figures come from the reference
// model's own template (what its worker counts with) and the fitting policy.
import type { Page } from '@playwright/test';
import { fitToWindow } from '../../src/lib/context-fit';
import type { ChatMessage } from '../../src/lib/conversation';
import { renderPrompt } from '../../src/lib/reference/template';
import { contextLabel } from '../../src/lib/model-groups';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, lastAssistant, openReady, pickModel, send, test } from './fixtures/app';

const WINDOW = 256;
const count = (ms: readonly ChatMessage[]) => renderPrompt(ms).length;

/** Loads reference-tiny with a 256-token context window, and the overflow policy given. */
async function loadSmall(page: Page, overflow: 'drop-oldest' | 'stop' = 'drop-oldest'): Promise<void> {
  await openReady(page, '/?engine=reference&tps=1000');
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('settings-open').click();
  await page.getByTestId('setting-context-size').fill(String(WINDOW));
  await page.getByTestId('setting-context-size').press('Tab');
  await page.getByTestId('setting-overflow').selectOption(overflow);
  await page.getByTestId('settings-close').click();
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('engine-status')).toContainText(`reference-tiny · ${contextLabel(WINDOW)}`);
}

const turnText = (i: number) => `turn ${i} 0123456789 qwxz jjkk ${'ab'.repeat(8)}`;

async function echoTurn(page: Page, i: number): Promise<void> {
  await send(page, `/echo ${turnText(i)}`);
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(turnText(i));
}

test('a long conversation keeps working in a small window, and the notice says how many messages were left out', async ({ page }) => {
  await loadSmall(page);
  const path: ChatMessage[] = [];
  let sawNotice = false;
  for (let i = 0; i < 7; i++) {
    const user: ChatMessage = { role: 'user', content: `/echo ${turnText(i)}` };
    const expected = fitToWindow([...path, user], count, { contextWindow: WINDOW, policy: 'drop-oldest' });
    if (!expected.ok) throw new Error('the test conversation should always fit');
    await echoTurn(page, i);
    path.push(user, { role: 'assistant', content: turnText(i) });
    if (expected.dropped === 0) await expect(page.getByTestId('context-notice')).toHaveCount(0);
    else {
      sawNotice = true;
      await expect(page.getByTestId('context-notice')).toHaveAttribute('data-dropped', String(expected.dropped));
      await expect(page.getByTestId('context-notice')).toContainText(`${expected.dropped} oldest messages`);
    }
    // The meter counts the whole path as the worker would send it, after each reply.
    await expect(page.getByTestId('context-meter')).toHaveAttribute('data-used', String(count(path)));
    await expect(page.getByTestId('context-meter')).toHaveAttribute('data-window', String(WINDOW));
  }
  expect(sawNotice).toBe(true);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  // Every message is still in the conversation; only the prompt left the oldest out.
  await expect(page.getByTestId('message')).toHaveCount(14);
  // The draft is counted too, once typing pauses.
  await page.getByTestId('chat-input').fill('/echo draft words');
  const withDraft = count([...path, { role: 'user', content: '/echo draft words' }]);
  await expect(page.getByTestId('context-meter')).toHaveAttribute('data-used', String(withDraft));
  await expect(page.getByTestId('context-meter')).toHaveAttribute('data-over', 'true');
  await expect(page.getByTestId('context-meter')).toContainText('oldest turns will be left out');
});

test('"stop and tell me" refuses in words and keeps the message; a later reply that fits clears the banner', async ({ page }) => {
  await loadSmall(page, 'stop');
  const path: ChatMessage[] = [];
  let i = 0;
  for (; ; i++) {
    const user: ChatMessage = { role: 'user', content: `/echo ${turnText(i)}` };
    if (!fitToWindow([...path, user], count, { contextWindow: WINDOW, policy: 'stop' }).ok) break;
    await echoTurn(page, i);
    path.push(user, { role: 'assistant', content: turnText(i) });
  }
  await send(page, `/echo ${turnText(i)}`);
  const banner = page.getByTestId('error-banner');
  await expect(banner).toHaveAttribute('data-error-name', 'ContextFitError');
  await expect(banner).toContainText(`needs ${count([...path, { role: 'user', content: `/echo ${turnText(i)}` }])} prompt tokens`);
  await expect(banner).toContainText('Nothing was left out');
  await expect(page.getByTestId('context-notice')).toHaveCount(0);
  const users = page.locator('[data-testid="message"][data-role="user"]');
  await expect(users.last()).toContainText(turnText(i));
  await expect(users).toHaveCount(path.length / 2 + 1);

  // A reply in a fresh conversation succeeds: the overflow banner is out of date and goes.
  await page.getByTestId('new-conversation').click();
  await echoTurn(page, 100);
  await expect(banner).toHaveCount(0);
});

test('per-conversation settings reach the engine, the effective line tells defaults from overrides, and both panels pass axe', async ({
  page,
}) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('settings-open').click();
  await page.getByTestId('setting-top-p').fill('0.5');
  await page.getByTestId('setting-top-p').press('Tab');
  await page.getByTestId('setting-max-tokens').fill('0');
  await page.getByTestId('setting-max-tokens').press('Tab');
  await expect(page.getByTestId('setting-max-tokens')).toHaveValue('1');
  await expect(page.getByTestId('settings-panel')).toContainText('Max tokens must be at least 1; set to 1.');
  await page.getByTestId('setting-max-tokens').fill('24');
  await page.getByTestId('setting-max-tokens').press('Tab');
  await expectNoSeriousA11yViolations(page, 'settings');
  await page.getByTestId('settings-close').click();
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');

  const question = 'Tell me about the sea.';
  const reply = async () => {
    await send(page, question);
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    return (await lastAssistant(page).getByTestId('message-content').textContent()) ?? '';
  };
  const effective = page.getByTestId('effective-settings');
  const asked = async (expected: string) => {
    await send(page, '/request');
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(expected);
  };
  const plain = await reply();
  await expect(effective).toHaveText('temperature 0.7 · top-p 0.5 · max tokens 24 · no system prompt');
  await asked('system: none; messages: 3; temperature: 0.7; top-p: 0.5; max tokens: 24');

  // A conversation of its own: greedy, with a system prompt and a shorter reply.
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('conversation-settings-open').click();
  await expect(page.getByTestId('conversation-settings-open')).toHaveAttribute('aria-expanded', 'true');
  await page.getByTestId('conv-setting-temperature').fill('0');
  await page.getByTestId('conv-setting-temperature').press('Tab');
  await expect(effective).toHaveAttribute('data-temperature', '0');
  await expect(effective).toHaveAttribute('data-overridden', 'temperature');
  const greedy = await reply();
  expect(await reply()).toBe(greedy);
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('conv-setting-temperature').fill('0');
  await page.getByTestId('conv-setting-temperature').press('Tab');
  await page.getByTestId('conv-setting-system-prompt').fill('Answer like a sailor, about ships and the weather.');
  await page.getByTestId('conv-setting-system-prompt').press('Tab');
  await page.getByTestId('conv-setting-max-tokens').fill('6');
  await page.getByTestId('conv-setting-max-tokens').press('Tab');
  await expect(effective).toHaveText('temperature 0 (this chat) · top-p 0.5 · max tokens 6 (this chat) · own system prompt');
  await expect(effective).toHaveAttribute('data-system-prompt', 'own');
  await expectNoSeriousA11yViolations(page, 'conversation settings');
  const sailor = await reply();
  // Max tokens cut the reply short; the engine got the system prompt and the sampling fields.
  expect(sailor.length).toBeLessThan(greedy.length);
  expect(greedy).not.toBe(plain);
  await asked('system: Answer like a sailor, about ships and the weather.; messages: 4; temperature: 0; top-p: 0.5; max tokens: 6');

  // Reset: back to the defaults, shown as such.
  await page.getByTestId('conv-settings-reset').click();
  await expect(effective).toHaveText('temperature 0.7 · top-p 0.5 · max tokens 24 · no system prompt');
  await expect(page.getByTestId('conv-setting-temperature')).toHaveValue('');
  await page.getByTestId('conv-setting-temperature').press('Escape');
  await expect(page.getByTestId('conversation-settings')).toHaveCount(0);
  await expect(page.getByTestId('conversation-settings-open')).toBeFocused();
});
