// Size and separation checks on the production build (no browser needed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  ASSETS,
  REFERENCE_MARKERS,
  WEBLLM_MARKERS,
  firstPaintScripts,
  gzipBytes,
  isLazyChunk,
  isWorkerChunk,
  jsAssets,
  workerEntry,
} from './fixtures/dist';

const KB = 1024;
const FIRST_PAINT_BUDGET_GZIP = 80 * KB;
const PAGE_TOTAL_BUDGET_GZIP = 200 * KB;

test('the JS the page loads before first paint fits the 80 KB gzip budget', () => {
  const scripts = firstPaintScripts();
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(isWorkerChunk(s), `${s} is a worker chunk loaded by the page`).toBe(false);
  const total = scripts.reduce((n, s) => n + gzipBytes(join(ASSETS, s)), 0);
  console.log(`first-paint JS: ${scripts.join(', ')} = ${(total / KB).toFixed(1)} KB gzip`);
  expect(total).toBeLessThanOrEqual(FIRST_PAINT_BUDGET_GZIP);
});

test('all page-side JS before the first reply fits 200 KB gzip and none of it is WebLLM', () => {
  const page = jsAssets().filter((f) => !isWorkerChunk(f));
  const eager = page.filter((f) => !isLazyChunk(f));
  const total = eager.reduce((n, f) => n + gzipBytes(join(ASSETS, f)), 0);
  console.log(`page JS before the first reply: ${eager.length} files = ${(total / KB).toFixed(1)} KB gzip`);
  expect(total).toBeLessThanOrEqual(PAGE_TOTAL_BUDGET_GZIP);
  for (const f of page) {
    const text = readFileSync(join(ASSETS, f), 'utf8');
    for (const marker of WEBLLM_MARKERS) expect(text.includes(marker), `${f} contains "${marker}"`).toBe(false);
  }
});

test('WebLLM is in its own worker chunk (so the marker check above can see it)', () => {
  const workers = jsAssets().filter(isWorkerChunk);
  const withWebLLM = workers.filter((f) => readFileSync(join(ASSETS, f), 'utf8').includes('getParamsFromCacheByName'));
  expect(withWebLLM).toHaveLength(1);
  const entry = workerEntry();
  console.log(
    `worker entry: ${(gzipBytes(join(ASSETS, entry)) / KB).toFixed(1)} KB gzip; WebLLM chunk: ${(gzipBytes(join(ASSETS, withWebLLM[0]!)) / KB).toFixed(0)} KB gzip`,
  );
});

test('the reference engine is a chunk of its own: neither the worker entry nor the page ships it', () => {
  const text = (f: string) => readFileSync(join(ASSETS, f), 'utf8');
  const withReference = jsAssets().filter((f) => REFERENCE_MARKERS.every((m) => text(f).includes(m)));
  expect(withReference, 'one chunk holds the reference engine (so the check below can see it)').toHaveLength(1);
  expect(isWorkerChunk(withReference[0]!)).toBe(true);
  const entry = workerEntry();
  expect(withReference[0]).not.toBe(entry);
  for (const f of jsAssets().filter((f) => f !== withReference[0])) {
    for (const marker of REFERENCE_MARKERS) expect(text(f).includes(marker), `${f} contains "${marker}"`).toBe(false);
  }
});

test('syntax highlighting and math are lazy chunks of their own, which no other chunk imports statically', () => {
  const lazy = jsAssets().filter(isLazyChunk);
  const name = (prefix: string) => lazy.filter((f) => f.startsWith(prefix));
  expect(name('lazy-highlight-')).toHaveLength(1);
  expect(name('lazy-katex-')).toHaveLength(1);
  expect(readFileSync(join(ASSETS, name('lazy-highlight-')[0]!), 'utf8')).toContain('registerLanguage');
  expect(readFileSync(join(ASSETS, name('lazy-katex-')[0]!), 'utf8')).toContain('KaTeX');
  for (const f of jsAssets().filter((f) => !isLazyChunk(f))) {
    expect(readFileSync(join(ASSETS, f), 'utf8'), `${f} imports a lazy chunk statically`).not.toMatch(/from\s*"\.\/lazy-/);
  }
  for (const f of firstPaintScripts())
    expect(isLazyChunk(f) || f.startsWith('stream-renderer-'), `${f} is loaded at first paint`).toBe(false);
  for (const f of lazy) console.log(`lazy chunk ${f}: ${(gzipBytes(join(ASSETS, f)) / KB).toFixed(1)} KB gzip`);
});
