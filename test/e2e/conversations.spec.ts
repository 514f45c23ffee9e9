// The conversation list: titles and inline rename, search, delete with undo, export (JSON and
// Markdown), import (round trip, merge without duplicates, bad files refused with the reason).
import { writeFile } from 'node:fs/promises';
import { expect, loadModel, openReady, REFERENCE, send, test } from './fixtures/app';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import {
  downloadOf,
  exportFile,
  exportedConversations,
  importSeed,
  importText,
  item,
  listedIds,
  seedConversations,
} from './fixtures/conversations';

test('a title comes from the first message; rename: Enter saves, Escape cancels, empty is refused, later messages keep it', async ({
  page,
}) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page);
  await send(page, 'Plan a weekend in   Porto');
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toHaveAttribute('data-state', 'done');
  const row = page.getByTestId('conversation-item');
  await expect(row.getByTestId('conversation-title')).toHaveText('Plan a weekend in Porto');
  await expect(row).toHaveAttribute('data-active', 'true');

  await row.getByTestId('conversation-rename').click();
  const input = row.getByTestId('conversation-rename-input');
  await expect(input).toBeFocused();
  await input.fill('Porto trip');
  await input.press('Enter');
  await expect(row.getByTestId('conversation-title')).toHaveText('Porto trip');

  await row.getByTestId('conversation-rename').click();
  await input.fill('Something else');
  await input.press('Escape');
  await expect(row.getByTestId('conversation-title')).toHaveText('Porto trip');

  await row.getByTestId('conversation-rename').click();
  await input.fill('   ');
  await input.press('Enter');
  await expect(row.getByTestId('conversation-rename-error')).toHaveText(/cannot be empty/);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page, 'sidebar, renaming with an error');
  await input.press('Escape');
  await expect(row.getByTestId('conversation-title')).toHaveText('Porto trip');

  // A title the person typed stays, through later messages and a reload.
  await page.getByTestId('new-conversation').click();
  const fresh = page.locator('[data-testid="conversation-item"][data-active="true"]');
  await fresh.getByTestId('conversation-rename').click();
  await fresh.getByTestId('conversation-rename-input').fill('Named first');
  await fresh.getByTestId('conversation-rename-input').press('Enter');
  await send(page, 'the first question');
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toHaveAttribute('data-state', 'done');
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('conversation-title')).toHaveText(['Named first', 'Porto trip']);
});

test('search filters by title and by the text of every branch, ignoring case and accents', async ({ page }) => {
  await openReady(page);
  await importSeed(page);
  const search = page.getByTestId('conversation-search');
  const titles = page.getByTestId('conversation-title');
  await search.fill('CAFE');
  await expect(titles).toHaveText(['Café in Lisbon']);
  // "pastelaria" is only in a reply that is not on the visible path.
  await search.fill('pastelaria');
  await expect(titles).toHaveText(['Café in Lisbon']);
  await search.fill('reference OWNER');
  await expect(titles).toHaveText(['Rust lifetimes']);
  await search.fill('tomatoes');
  await expect(titles).toHaveText(['Garden']);
  await search.fill('zebra');
  await expect(titles).toHaveCount(0);
  await expect(page.getByTestId('conversation-search-empty')).toHaveText('No conversation matches “zebra”.');
  await expectNoSeriousA11yViolations(page, 'sidebar, search without a match');
  await search.fill('');
  await expect(titles).toHaveCount(3);
});

test('delete removes at once and Undo restores it exactly; without Undo a reload does not bring it back', async ({ page }) => {
  await openReady(page);
  await importSeed(page);
  const before = await exportedConversations(page);
  await item(page, 'conv-rust').getByTestId('conversation-delete').click();
  await expect(listedIds(page)).resolves.toEqual(['conv-cafe', 'conv-garden']);
  await expect(page.getByTestId('conversation-undo')).toBeFocused();
  await expectNoSeriousA11yViolations(page, 'sidebar, undo offer');
  await page.getByTestId('conversation-undo').click();
  await expect(page.getByTestId('conversation-undo')).toHaveCount(0);
  await expect(listedIds(page)).resolves.toEqual(['conv-cafe', 'conv-rust', 'conv-garden']);
  expect(await exportedConversations(page)).toEqual(before);
  // Undo wrote it back: it is there after a reload too.
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('conversation-item')).toHaveCount(3);
  expect(await exportedConversations(page)).toEqual(before);

  // The open conversation deleted, no Undo: gone at once, and a reload does not resurrect it.
  await item(page, 'conv-cafe').click();
  await item(page, 'conv-cafe').getByTestId('conversation-delete').click();
  await expect(page.getByTestId('conversation-undo')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(listedIds(page)).resolves.toEqual(['conv-rust', 'conv-garden']);
  await expect(page.getByTestId('conversation-undo')).toHaveCount(0);
});

test('export all as JSON, import into a clean profile: the same trees; importing the file again adds nothing', async ({
  page,
  browser,
}) => {
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page);
  await send(page, 'A chat written here');
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toHaveAttribute('data-state', 'done');
  await importSeed(page);
  const { name, text } = await downloadOf(page, page.getByTestId('export-button'));
  expect(name).toMatch(/^airgap-conversations-\d{4}-\d\d-\d\d\.json$/);
  const exported = JSON.parse(text) as { conversations: { id: string; messages: unknown[] }[] };
  expect(exported.conversations).toHaveLength(4);
  expect(exported.conversations.filter((c) => c.id.startsWith('conv-'))).toEqual(seedConversations());

  const clean = await browser.newContext();
  const other = await clean.newPage();
  await openReady(other, REFERENCE);
  await expect(other.getByTestId('conversation-item')).toHaveCount(0);
  await importText(other, text, name);
  await expect(other.getByTestId('import-status')).toHaveText('Imported: 4 conversations added.');
  expect(await exportedConversations(other)).toEqual(exported.conversations);
  await importText(other, text, name);
  await expect(other.getByTestId('import-status')).toHaveText('Nothing new: every conversation in the file is already here.');
  await expect(other.getByTestId('conversation-item')).toHaveCount(4);
  expect(await exportedConversations(other)).toEqual(exported.conversations);
  await other.reload();
  await expect(other.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  expect(await exportedConversations(other)).toEqual(exported.conversations);
  await clean.close();
});

test('export the open conversation as Markdown: its visible path with roles as headings', async ({ page }) => {
  await openReady(page);
  await importSeed(page);
  await item(page, 'conv-cafe').click();
  const { name, text } = await downloadOf(page, page.getByTestId('export-conversation'));
  expect(name).toBe('cafe-in-lisbon.md');
  expect(text).toBe(
    [
      '# Café in Lisbon',
      '## System prompt\n\nAnswer like a local.',
      '## User\n\nWhere should I drink coffee?',
      '## Assistant\n\nA **bica** at the Brasileira.',
      '## User\n\nAnd to eat?',
      '## Assistant\n\nPastéis de nata.\n',
    ].join('\n\n'),
  );
});

test('a bad file changes nothing and the banner says what was wrong', async ({ page }, testInfo) => {
  await openReady(page);
  await importSeed(page);
  const before = await exportedConversations(page);
  const banner = page.getByTestId('error-banner');
  const dup = seedConversations();
  dup[1]!.messages[1]!.id = 'r-u1';
  const huge = testInfo.outputPath('huge.json');
  await writeFile(huge, Buffer.alloc(50 * 1024 * 1024 + 1, 0x20));
  const cases: [() => Promise<void>, string][] = [
    [
      () => importText(page, '{"format": "airgap-conv', 'broken.json'),
      'Nothing was imported (your conversations are unchanged): "broken.json": the file is not valid JSON',
    ],
    [
      () => importText(page, exportFile(seedConversations(), 2), 'new.json'),
      'written by a newer version of Airgap (format version 2; this version reads up to 1)',
    ],
    [() => importText(page, exportFile(dup), 'dup.json'), 'conversation 2 ("Rust lifetimes"): messages 1 and 2 have the same id "r-u1"'],
    [() => page.getByTestId('import-input').setInputFiles(huge), '"huge.json": the file is 50 MB; the largest accepted is 50 MB'],
  ];
  for (const [importIt, reason] of cases) {
    await importIt();
    await expect(banner).toHaveAttribute('data-error-name', 'ImportError');
    await expect(banner).toContainText(reason);
    await expect(page.getByTestId('conversation-item')).toHaveCount(3);
    await page.getByRole('button', { name: 'Dismiss' }).click();
  }
  expect(await exportedConversations(page)).toEqual(before);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  expect(await exportedConversations(page)).toEqual(before);
  await expectNoSeriousA11yViolations(page, 'sidebar with conversations');
});
