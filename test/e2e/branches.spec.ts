// Message actions on the message tree: regenerate and edit keep alternatives to page through, continue
// a reply cut at max tokens (the reference engine's &maxtokens= cap), copy the Markdown source, delete,
// and deleting a conversation mid-reply stops it at once.
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';
import type { Page } from '@playwright/test';

const messages = (page: Page) => page.getByTestId('message');
const userMessages = (page: Page) => page.locator('[data-testid="message"][data-role="user"]');

test('regenerate twice gives 3/3; paging back shows the earlier reply, and it survives a reload', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=20');
  await loadModel(page);
  const long = 'one two three four five six seven eight nine ten eleven twelve thirteen';
  await send(page, `/echo ${long}`);
  const reply = lastAssistant(page);
  const content = reply.getByTestId('message-content');
  await expect(content).not.toHaveText('');
  await page.getByTestId('stop-button').click();
  await expect(reply).toHaveAttribute('data-state', 'stopped');
  const partial = (await content.textContent()) ?? '';
  expect(partial.length).toBeLessThan(long.length);

  await reply.getByTestId('regenerate-button').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(lastAssistant(page).getByTestId('branch-position')).toHaveText('2/2');
  await lastAssistant(page).getByTestId('regenerate-button').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(lastAssistant(page).getByTestId('branch-position')).toHaveText('3/3');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(long);
  await expect(messages(page)).toHaveCount(2);

  await lastAssistant(page).getByTestId('branch-prev').click();
  await expect(lastAssistant(page).getByTestId('branch-position')).toHaveText('2/3');
  // Paging shows another message; the focus stays on the pager, so a keyboard goes on paging.
  await expect(lastAssistant(page).getByTestId('branch-prev')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lastAssistant(page).getByTestId('branch-position')).toHaveText('1/3');
  await expect(lastAssistant(page).getByTestId('branch-next')).toBeFocused();
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'stopped');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(partial);
  await expect(lastAssistant(page).getByTestId('branch-prev')).toBeDisabled();
  await expectNoSeriousA11yViolations(page, 'chat with message actions');

  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(lastAssistant(page).getByTestId('branch-position')).toHaveText('1/3');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(partial);
  await lastAssistant(page).getByTestId('branch-next').click();
  await expect(lastAssistant(page).getByTestId('branch-position')).toHaveText('2/3');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(long);
});

test('editing the first question starts a new branch; the old one stays reachable', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page);
  await send(page, '/echo alpha');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await send(page, '/echo beta');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('beta');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(messages(page)).toHaveCount(4);

  const first = userMessages(page).first();
  await first.getByTestId('edit-button').click();
  await first.getByTestId('edit-input').fill('/echo nothing changes');
  await first.getByTestId('edit-cancel').click();
  await expect(first.getByTestId('edit-input')).toHaveCount(0);
  await expect(messages(page)).toHaveCount(4);
  await expect(first.getByTestId('branch-position')).toHaveCount(0);

  await first.getByTestId('edit-button').click();
  await expect(first.getByTestId('edit-input')).toHaveValue('/echo alpha');
  await first.getByTestId('edit-input').fill('/echo gamma');
  await first.getByTestId('edit-save').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('gamma');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(messages(page)).toHaveCount(2);
  await expect(userMessages(page).first().getByTestId('message-content')).toHaveText('/echo gamma');
  await expect(userMessages(page).first().getByTestId('branch-position')).toHaveText('2/2');

  await userMessages(page).first().getByTestId('branch-prev').click();
  await expect(messages(page)).toHaveCount(4);
  await expect(userMessages(page).first().getByTestId('message-content')).toHaveText('/echo alpha');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('beta');
});

test('a reply cut at max tokens continues where it stopped', async ({ page }) => {
  // &maxtokens=3: the reference engine ends every reply after 3 tokens (an /echo piece is a token).
  await openReady(page, '/?engine=reference&tps=1000&maxtokens=3');
  await loadModel(page);
  await send(page, '/echo abcdefghijklmnopqrst');
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'done');
  await expect(reply.getByTestId('message-content')).toHaveText('abcdefghi');
  await reply.getByTestId('continue-button').click();
  await expect(reply.getByTestId('message-content')).toHaveText('abcdefghijklmnopqr');
  await expect(reply).toHaveAttribute('data-state', 'done');
  await reply.getByTestId('continue-button').click();
  await expect(reply.getByTestId('message-content')).toHaveText('abcdefghijklmnopqrst');
  await expect(reply.getByTestId('continue-button')).toHaveCount(0);
  await expect(messages(page)).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('abcdefghijklmnopqrst');
});

test('copy puts the Markdown source on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page);
  const source = '**bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |';
  await send(page, `/echo ${source}`);
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await lastAssistant(page).getByTestId('copy-button').click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(source);

  // On a phone every action is a full-size tap target.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const id of ['copy-button', 'regenerate-button', 'message-delete']) {
    const box = await lastAssistant(page).getByTestId(id).boundingBox();
    expect(box?.height, id).toBeGreaterThanOrEqual(44);
    expect(box?.width, id).toBeGreaterThanOrEqual(44);
  }
  await expectNoSeriousA11yViolations(page, 'chat with message actions, phone width');
});

test('deleting a message removes it and what follows; the last one leaves an empty conversation', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page);
  await send(page, '/echo first');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await send(page, '/echo second');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('second');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');

  await userMessages(page).nth(1).getByTestId('message-delete').click();
  await expect(messages(page)).toHaveCount(2);
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('first');
  await lastAssistant(page).getByTestId('message-delete').click();
  await expect(messages(page)).toHaveCount(1);
  // The question left without a reply can get a new one.
  await userMessages(page).first().getByTestId('regenerate-button').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('first');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await lastAssistant(page).getByTestId('message-delete').click();
  await expect(messages(page)).toHaveCount(1);
  // A deletion is written at once; wait for the write before reloading (a reload may cut an IndexedDB write short).
  await expect.poll(() => storedMessageCounts(page)).toEqual([1]);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(messages(page)).toHaveCount(1);
  await userMessages(page).first().getByTestId('message-delete').click();
  await expect(messages(page)).toHaveCount(0);
  await expect(page.getByTestId('conversation-item')).toHaveCount(1);
});

test('deleting the conversation that is generating stops the reply at once', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=5');
  await loadModel(page);
  // 150 pieces at 5 tokens/s: half a minute of streaming, far longer than any expect waits.
  await send(page, `/echo ${'lorem ipsum '.repeat(38)}`);
  await expect(lastAssistant(page).getByTestId('message-content')).not.toHaveText('');
  await expect(page.getByTestId('stop-button')).toBeVisible();
  await page.getByTestId('conversation-delete').click();
  await expect(page.getByTestId('conversation-item')).toHaveCount(0);
  await expect(page.getByTestId('stop-button')).toHaveCount(0);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  // The engine is free again: the next message gets its reply.
  await page.getByTestId('chat-input').fill('/echo after');
  await page.getByTestId('chat-input').press('Enter');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('after');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  // Undo brings it back with the cut reply stopped (with its actions), not streaming for ever.
  await page.getByTestId('conversation-undo').click();
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'stopped');
  await expect(lastAssistant(page).getByTestId('regenerate-button')).toBeVisible();
});

/** How many messages each stored conversation holds in IndexedDB (all branches). */
function storedMessageCounts(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('airgap-conversations');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('conversations').objectStore('conversations').getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve((all.result as { messages?: unknown[] }[]).filter((c) => Array.isArray(c.messages)).map((c) => c.messages!.length));
          };
        };
      }),
  );
}
