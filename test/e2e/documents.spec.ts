// Private documents in the app, with the reference engine: files of every kind added to a
// conversation become ready with passages; a question whose answer is in one document gets that
// passage first under the reply and a citation that opens it; unreadable, malformed, empty and
// too-large files say why and take nothing else with them; all of it offline; deleting the
// collection (or its conversation) leaves no record in IndexedDB; a reload keeps documents and index.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { REFERENCE, expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';
import { ASSETS, jsAssets } from './fixtures/dist';
import { makeDocx, makePdf } from './fixtures/documents';

interface Upload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}
const text = (name: string, body: string, mimeType = 'text/plain'): Upload => ({ name, mimeType, buffer: Buffer.from(body) });

async function library(): Promise<Upload[]> {
  return [
    text(
      'lease.md',
      '# Lease\n\n## Deposit\n\nThe deposit of 900 euros is returned within 60 days after the keys are handed back.\n\n## Pets\n\nOne cat is allowed.\n',
      'text/markdown',
    ),
    text('wildlife.txt', 'The quokka is a small marsupial that lives on Rottnest Island near Perth.\n'),
    text(
      'recipe.html',
      '<html><body><h1>Recipe</h1><p>Knead the rye dough for ten minutes, then let it rest.</p></body></html>',
      'text/html',
    ),
    {
      name: 'report.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await makePdf([['The aurora was seen over Tromso in winter.'], ['The harbour ferry leaves at seven.']])),
    },
    {
      name: 'minutes.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(await makeDocx([{ text: 'Minutes', heading: 1 }, { text: 'The board approved the lighthouse repairs.' }])),
    },
  ];
}

/** The documents worker's entry chunk (the worker-entry that loads PDF.js). */
const docsEntry = () =>
  jsAssets().filter((f) => f.startsWith('worker-entry') && readFileSync(join(ASSETS, f), 'utf8').includes('worker-pdf'));
const docsWorkers = (page: Page) => page.workers().filter((w) => docsEntry().some((f) => w.url().endsWith(f)));

const item = (page: Page, name: string) => page.locator(`[data-testid="doc-item"][data-name="${name}"]`);

async function addFiles(page: Page, files: Upload[]): Promise<void> {
  await page.getByTestId('doc-add').setInputFiles(files);
}

async function expectReady(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    await expect(item(page, name)).toHaveAttribute('data-state', 'ready');
    expect(Number(await item(page, name).getAttribute('data-passages'))).toBeGreaterThan(0);
  }
}

/** Records in every object store of the documents database. */
const documentRecords = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('airgap-documents');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const stores = [...db.objectStoreNames];
    let n = 0;
    for (const name of stores) {
      n += await new Promise<number>((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).count();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    db.close();
    return { stores: stores.length, records: n };
  });

/** Asks with the echo hook: the reply is the question's text, so its [1] is a citation of source 1. */
async function askAboutDeposit(page: Page): Promise<void> {
  await send(page, '/echo When is the deposit returned? Within 60 days [1].');
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'done');
  const first = reply.getByTestId('source-item').first();
  await expect(first).toHaveAttribute('data-doc', 'lease.md');
  await expect(first).toHaveAttribute('data-rank', '1');
  await expect(first).toContainText('returned within 60 days');
  const cite = reply.getByTestId('message-content').getByTestId('citation');
  await expect(cite).toHaveCount(1);
  await expect(cite).toHaveAttribute('data-doc', 'lease.md');
  await expect(cite).toHaveText('[1]');
  await cite.click();
  await expect(reply.getByTestId('citation-passage')).toContainText('The deposit of 900 euros is returned within 60 days');
  await expect(reply.getByTestId('citation-passage')).toBeFocused();
}

test('documents of every kind become ready; the answer lists the right passage first and its citation opens it; a reload keeps them', async ({
  page,
}) => {
  await openReady(page);
  await loadModel(page);
  // The documents worker starts when documents are first added, not with the page.
  expect(docsEntry()).toHaveLength(1);
  expect(docsWorkers(page)).toHaveLength(0);
  await addFiles(page, await library());
  await expectReady(page, ['lease.md', 'wildlife.txt', 'recipe.html', 'report.pdf', 'minutes.docx']);
  expect(docsWorkers(page)).toHaveLength(1);
  await expect(item(page, 'report.pdf')).toContainText('2 pages');
  await expect(page.getByTestId('live-region')).toContainText('ready');
  await expectNoSeriousA11yViolations(page, 'conversation with documents');

  await askAboutDeposit(page);
  await expect(lastAssistant(page).getByTestId('message-sources')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'reply with sources and an open citation');

  // Retrieval settings of the conversation.
  await page.getByTestId('conversation-settings-open').click();
  await expect(page.getByTestId('retrieval-toggle')).toBeChecked();
  await expect(page.getByTestId('retrieval-passages')).toHaveValue('4');
  await expectNoSeriousA11yViolations(page, 'conversation settings with retrieval');
  await page.getByTestId('retrieval-passages').fill('1');
  await page.getByTestId('retrieval-passages').press('Tab');
  await page.getByTestId('conversation-settings-close').click();
  await send(page, '/echo Who approved the lighthouse repairs?');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(lastAssistant(page).getByTestId('source-item')).toHaveCount(1);
  await expect(lastAssistant(page).getByTestId('source-item')).toHaveAttribute('data-doc', 'minutes.docx');

  await page.getByTestId('conversation-settings-open').click();
  await page.getByTestId('retrieval-toggle').uncheck();
  await page.getByTestId('conversation-settings-close').click();
  await send(page, '/echo Where does the quokka live?');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(lastAssistant(page).getByTestId('message-sources')).toHaveCount(0);

  // A reload keeps the documents, their index and the sources of earlier replies.
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expectReady(page, ['lease.md', 'wildlife.txt', 'recipe.html', 'report.pdf', 'minutes.docx']);
  const earlier = page.locator('[data-testid="message"][data-role="assistant"]').first();
  await expect(earlier.getByTestId('source-item').first()).toHaveAttribute('data-doc', 'lease.md');
  // The model used last loads again by itself.
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('engine-status')).toContainText('reference-tiny');
  await page.getByTestId('conversation-settings-open').click();
  await page.getByTestId('retrieval-toggle').check();
  await page.getByTestId('retrieval-passages').fill('4');
  await page.getByTestId('retrieval-passages').press('Tab');
  await page.getByTestId('conversation-settings-close').click();
  await askAboutDeposit(page);
});

test('a scanned PDF, a malformed PDF, an empty file and a too-large file each say why; the rest is added and nothing is lost', async ({
  page,
}) => {
  // The size limit is lowered by a test hook (&maxdocbytes) so no 200 MB file is written: the same check, a smaller number.
  await openReady(page, `${REFERENCE}&maxdocbytes=3000`);
  await loadModel(page);
  await addFiles(page, [text('lease.md', '# Lease\n\nThe deposit is returned within 60 days.\n', 'text/markdown')]);
  await expectReady(page, ['lease.md']);
  await page.getByTestId('chat-input').fill('a draft I am still typing');

  await addFiles(page, [
    { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await makePdf([null, null])) },
    { name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nthis is not really a PDF at all\n%%EOF') },
    text('empty.txt', ''),
    text('huge.txt', 'x'.repeat(4000)),
    text('notes.txt', 'The quokka lives on Rottnest Island.'),
  ]);
  await expect(item(page, 'scan.pdf').getByTestId('doc-error')).toContainText(/no text layer.*scanned/);
  await expect(item(page, 'broken.pdf').getByTestId('doc-error')).toContainText('broken.pdf');
  await expect(item(page, 'empty.txt').getByTestId('doc-error')).toHaveText(
    '“empty.txt” is empty (0 bytes): there is nothing in it to read.',
  );
  await expect(item(page, 'huge.txt').getByTestId('doc-error')).toHaveText(
    '“huge.txt” is 4 KB; the largest document accepted is 3 KB. Split it into smaller files and add those.',
  );
  for (const name of ['scan.pdf', 'broken.pdf', 'empty.txt', 'huge.txt'])
    await expect(item(page, name)).toHaveAttribute('data-state', 'error');
  await expectReady(page, ['lease.md', 'notes.txt']);
  await expect(page.getByTestId('chat-input')).toHaveValue('a draft I am still typing');
  await expectNoSeriousA11yViolations(page, 'documents with errors');

  // Removing one document leaves the other.
  await item(page, 'notes.txt').getByTestId('doc-delete').click();
  await expect(item(page, 'notes.txt')).toHaveCount(0);
  await expectReady(page, ['lease.md']);

  // Deleting the conversation, once it can no longer be undone, deletes its documents.
  expect((await documentRecords(page)).records).toBeGreaterThan(0);
  await page.getByTestId('conversation-item').first().getByTestId('conversation-delete').click();
  await page.getByRole('button', { name: 'Close the undo offer' }).click();
  await expect.poll(async () => (await documentRecords(page)).records).toBe(0);
});

test('a named collection made in the storage panel is searched by a conversation it is attached to', async ({ page }) => {
  await openReady(page);
  await loadModel(page);
  await page.getByTestId('storage-open').click();
  await page.getByTestId('collection-name').fill('Policies');
  await page
    .getByTestId('collection-add')
    .setInputFiles([text('travel.md', '# Travel\n\nTrain tickets are refunded within 14 days of the trip.\n', 'text/markdown')]);
  const row = page.locator('[data-testid="doc-collection"][data-collection="named:Policies"]');
  await expect(row).toHaveAttribute('data-docs', '1');
  await expectNoSeriousA11yViolations(page, 'storage panel with a named collection');
  await page.getByTestId('storage-close').click();

  await page.getByTestId('new-conversation').click();
  await page.getByTestId('conversation-settings-open').click();
  await page.locator('[data-testid="conv-collection"][data-collection="Policies"]').check();
  await page.getByTestId('conversation-settings-close').click();
  // A [1] in code is code, and [7] names no source: neither is a citation.
  await send(page, '/echo Train tickets are refunded within 14 days [1], see `[1]` and [7].');
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'done');
  await expect(reply.getByTestId('source-item').first()).toHaveAttribute('data-doc', 'travel.md');
  await expect(reply.getByTestId('citation')).toHaveCount(1);
  await expect(reply.getByTestId('citation')).toHaveAttribute('data-doc', 'travel.md');
  await expect(reply.getByTestId('message-content')).toContainText('14 days [1], see [1] and [7].');
  // The conversation has no documents of its own.
  await expect(page.getByTestId('doc-item')).toHaveCount(0);
});

test.describe('offline and storage', () => {
  test.use({ serviceWorkers: 'allow' });

  test('offline: adding, indexing and asking work; deleting the collection leaves nothing in storage', async ({ page, context }) => {
    await openReady(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
      }
    });
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await loadModel(page);
    await addFiles(page, await library());
    await expectReady(page, ['lease.md', 'report.pdf', 'minutes.docx']);
    await askAboutDeposit(page);
    expect((await documentRecords(page)).records).toBeGreaterThan(0);

    await page.getByTestId('storage-open').click();
    const row = page.getByTestId('doc-collection');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-docs', '5');
    expect(Number(await row.getAttribute('data-bytes'))).toBeGreaterThan(0);
    await expectNoSeriousA11yViolations(page, 'storage panel with documents');
    await row.getByTestId('doc-collection-delete').click();
    await expect(page.getByTestId('doc-collections-empty')).toBeVisible();
    await expect.poll(async () => (await documentRecords(page)).records).toBe(0);
    await page.getByTestId('storage-close').click();
    await expect(page.getByTestId('doc-item')).toHaveCount(0);
    await context.setOffline(false);
  });
});

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the documents list, sources and an open citation fit the width', async ({ page }) => {
    await openReady(page);
    await loadModel(page);
    await addFiles(page, [...(await library()), text('empty.txt', '')]);
    await expectReady(page, ['lease.md', 'report.pdf']);
    await askAboutDeposit(page);
    await expect(page.getByTestId('doc-add')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
    await expectNoSeriousA11yViolations(page, 'documents at 360 px');
    if (process.env.SHOT) await page.screenshot({ path: '/tmp/docs-360.png' });
  });
});

test('a folder of reports picked as it is: its documents are added, sub-folders too, and what Airgap cannot read is left out', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'airgap-reports-'));
  try {
    mkdirSync(join(dir, '2025'));
    mkdirSync(join(dir, '.git'));
    for (const f of await library()) writeFileSync(join(dir, f.name === 'minutes.docx' ? join('2025', f.name) : f.name), f.buffer);
    writeFileSync(join(dir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(dir, '.DS_Store'), 'x');
    writeFileSync(join(dir, '.git', 'config.txt'), 'hidden');
    await openReady(page);
    await loadModel(page);
    await page.getByTestId('doc-add-folder').setInputFiles(dir);
    await expectReady(page, ['lease.md', 'wildlife.txt', 'recipe.html', 'report.pdf', 'minutes.docx']);
    await expect(page.getByTestId('doc-item')).toHaveCount(5);
    await expect(page.getByTestId('doc-error')).toHaveCount(0);
    await askAboutDeposit(page);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
