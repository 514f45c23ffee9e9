// Indexing a 300-page PDF (made here with pdf-lib) in the documents worker as Vite builds it, in
// Chromium: the time from the page's `add` call to its answer, per phase, and the longest task on
// the page thread meanwhile (the reading and indexing run in the worker). Node's figures, with
// peak memory: test/bench/docs-index.run.ts.
import { expect, test } from '@playwright/test';
import { createRng } from '../../../src/lib/rng';
import { buildDocsPage, DOCS_TEST_PATH } from '../../e2e/fixtures/docs-page/build';
import { makePdf } from '../../e2e/fixtures/documents';

const PAGES = 300;
const VOCAB = 'contract payment tenant deposit clause termination notice period liability insurance invoice amount due date'.split(' ');

test('indexing a 300-page PDF in the documents worker (Chromium)', async ({ page }) => {
  await buildDocsPage();
  const rng = createRng(13);
  const line = () => Array.from({ length: 12 }, () => VOCAB[Math.floor(rng() * VOCAB.length)]).join(' ');
  const pdf = await makePdf(Array.from({ length: PAGES }, () => Array.from({ length: 40 }, line)));
  await page.goto(DOCS_TEST_PATH);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const r = await page.evaluate(async (bytes) => {
    const longTasks: number[] = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask' });
    const docs = (window as unknown as { docs: { call(k: string, p: unknown, on?: (e: { state: string }) => void): Promise<unknown> } })
      .docs;
    const file = new File([new Uint8Array(bytes)], 'report.pdf');
    const t0 = performance.now();
    let readMs = 0;
    const [doc] = (await docs.call('add', { collection: 'named:bench', files: [file] }, (e) => {
      if (e.state === 'indexing' && !readMs) readMs = performance.now() - t0;
    })) as { passages: number; chars: number; pages: number }[];
    const totalMs = performance.now() - t0;
    const q0 = performance.now();
    await docs.call('search', { collections: ['named:bench'], query: 'deposit termination notice', k: 5 });
    const searchMs = performance.now() - q0;
    await new Promise((r) => setTimeout(r, 100));
    return { doc: doc!, readMs, totalMs, searchMs, longest: Math.max(0, ...longTasks), longTasks: longTasks.length };
  }, Array.from(pdf));
  expect(r.doc.pages).toBe(PAGES);
  console.log(`\n| indexing a ${PAGES}-page PDF in Chromium (${r.doc.chars} chars, ${r.doc.passages} passages) | value |\n|---|---:|`);
  console.log(`| reading (PDF.js text layer, in the worker) | ${r.readMs.toFixed(0)} ms |`);
  console.log(`| splitting, storing, keyword index | ${(r.totalMs - r.readMs).toFixed(0)} ms |`);
  console.log(`| total | ${r.totalMs.toFixed(0)} ms |`);
  console.log(`| first search after indexing | ${r.searchMs.toFixed(1)} ms |`);
  console.log(`| page-thread tasks over 50 ms meanwhile | ${r.longTasks} (longest ${r.longest.toFixed(0)} ms) |`);
});
