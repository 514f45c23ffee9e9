// Page-side JS sizes of the production build (run `vite build` first; `npm run bench` does).
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ASSETS, firstPaintScripts, gzipBytes, isLazyChunk, isWorkerChunk, jsAssets } from '../e2e/fixtures/dist';

const KB = 1024;

test('page and worker bundle sizes', () => {
  const all = jsAssets();
  expect(all.length).toBeGreaterThan(0);
  const size = (f: string) => gzipBytes(join(ASSETS, f));
  const firstPaint = firstPaintScripts().reduce((n, f) => n + size(f), 0);
  const page = all.filter((f) => !isWorkerChunk(f) && !isLazyChunk(f)).reduce((n, f) => n + size(f), 0);
  const rows = [
    ['page JS before first paint', firstPaint, 80 * KB],
    ['all page JS before the first reply', page, 200 * KB],
    ...all
      .filter((f) => f.startsWith('stream-renderer-'))
      .map((f) => [`Markdown renderer (with the first reply) ${f}`, size(f), Number.NaN] as const),
    ...all.filter(isLazyChunk).map((f) => [`lazy chunk ${f}`, size(f), Number.NaN] as const),
    ...all.filter(isWorkerChunk).map((f) => [`worker chunk ${f}`, size(f), Number.NaN] as const),
  ] as const;
  console.log('\n| what | gzip KB | budget KB |\n|---|---:|---:|');
  for (const [what, bytes, budget] of rows) {
    console.log(`| ${what} | ${(bytes / KB).toFixed(1)} | ${Number.isNaN(budget) ? '—' : (budget / KB).toFixed(0)} |`);
  }
});
