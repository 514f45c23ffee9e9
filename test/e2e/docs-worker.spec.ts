// The documents worker as built by Vite, in Chromium, under the app's Content-Security-Policy:
// PDF.js runs inside it without a sub-worker (text layer, page numbers, scanned pages named),
// mammoth reads .docx, everything works offline, and the index survives a reload.
import { expect, test, type Page } from '@playwright/test';
import { makeDocx, makePdf } from './fixtures/documents';
import { buildDocsPage, DOCS_TEST_PATH } from './fixtures/docs-page/build';

// One worker builds the page once (two would write the same directory at the same time).
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  await buildDocsPage();
});

interface Doc {
  id: string;
  name: string;
  state: string;
  pages?: number;
  chars: number;
  passages: number;
  problem?: string;
}

/** Adds files (name and bytes) through the DocsClient on the page. */
async function add(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<Doc[]> {
  const plain = files.map((f) => ({ name: f.name, bytes: Array.from(f.bytes) }));
  return page.evaluate(async (list) => {
    const docs = (window as unknown as { docs: { call(k: string, p: unknown): Promise<unknown> } }).docs;
    const files = list.map((f) => new File([new Uint8Array(f.bytes)], f.name));
    return (await docs.call('add', { collection: 'conv:e2e', files })) as Doc[];
  }, plain);
}

const search = (page: Page, query: string) =>
  page.evaluate(async (q) => {
    const docs = (window as unknown as { docs: { call(k: string, p: unknown): Promise<unknown> } }).docs;
    return (await docs.call('search', { collections: ['conv:e2e'], query: q, k: 3 })) as { docName: string; page?: number; text: string }[];
  }, query);

async function open(page: Page) {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(DOCS_TEST_PATH);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return workers;
}

test('reads a PDF (page numbers, a scanned page named) and a .docx in one worker, offline too, and keeps them across a reload', async ({
  page,
  context,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const workers = await open(page);
  const pdf = await makePdf([['Introduction to the harbour'], null, ['The ferry leaves at seven every morning.']]);
  const docx = await makeDocx([{ text: 'Minutes', heading: 1 }, { text: 'The board approved the lighthouse budget.' }]);
  const [p, d] = await add(page, [
    { name: 'harbour.pdf', bytes: pdf },
    { name: 'minutes.docx', bytes: docx },
  ]);
  expect(p).toMatchObject({ name: 'harbour.pdf', state: 'ready', pages: 3, problem: 'page 2 has no text layer (scanned?)' });
  expect(d).toMatchObject({ name: 'minutes.docx', state: 'ready' });
  expect((await search(page, 'ferry'))[0]).toMatchObject({ docName: 'harbour.pdf', page: 3 });
  expect((await search(page, 'lighthouse'))[0]).toMatchObject({ docName: 'minutes.docx' });
  // PDF.js ran in the documents worker itself: no sub-worker was started.
  expect(workers).toHaveLength(1);

  // Offline, once its chunks are loaded (in the app the service worker has precached them).
  await context.setOffline(true);
  const [again] = await add(page, [{ name: 'tides.pdf', bytes: await makePdf([['High tide comes at noon.']]) }]);
  expect(again).toMatchObject({ state: 'ready', pages: 1 });
  expect((await search(page, 'tide'))[0]).toMatchObject({ docName: 'tides.pdf', page: 1 });
  await context.setOffline(false);

  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect((await search(page, 'ferry'))[0]).toMatchObject({ docName: 'harbour.pdf', page: 3 });
  expect(errors).toEqual([]);
});

test('a scanned PDF and a malformed PDF are reported in words', async ({ page }) => {
  await open(page);
  const [scan, broken] = await add(page, [
    { name: 'scan.pdf', bytes: await makePdf([null, null]) },
    { name: 'broken.pdf', bytes: new TextEncoder().encode('%PDF-1.7 not a pdf') },
  ]);
  expect(scan).toMatchObject({ state: 'error' });
  expect(scan!.problem).toMatch(/^"scan\.pdf" has no text layer: a scanned PDF\? nothing could be read/);
  expect(broken!.problem).toMatch(/^"broken\.pdf" is not a readable PDF/);
});
