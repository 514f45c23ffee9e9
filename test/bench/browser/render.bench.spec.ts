// Streaming a 20 KB Markdown reply (headings, tables, code, math) at 200 tokens/s through the
// reference engine's /echo: the longest main-thread task while it streams, and the Markdown
// renderer's work per token early (around 1 KB) and late (around 20 KB) in the reply, which
// should be flat because finished blocks are never drawn again.
import { expect, test } from '@playwright/test';
import { pickModel } from '../../e2e/fixtures/app';

const KB = 1024;
const CHARS_PER_TOKEN = 3; // splitEcho streams three characters per token

function section(i: number): string {
  return [
    `## Section ${i}`,
    '',
    `Paragraph ${i} with *emphasis*, **strong text**, \`inline code\`, a [link](https://example.org/${i}) and math $a_${i}^2 + b^2 = c^2$.`,
    '',
    '| Name | Value | Note |',
    '|---|---:|---|',
    ...Array.from({ length: 4 }, (_, r) => `| row ${r} | ${r * i} | cell text ${r} |`),
    '',
    '```ts',
    `function f${i}(x: number): number {`,
    `  const y = x * ${i}; // a comment`,
    "  return y > 10 ? y : Math.sqrt(y + 'a'.length);",
    '}',
    '```',
    '',
    `- item one of ${i}`,
    `- item two of ${i}`,
    '',
    '$$',
    `\\sum_{k=1}^{${i}} k = \\frac{${i}(${i}+1)}{2}`,
    '$$',
    '',
  ].join('\n');
}

function document20k(): string {
  let doc = '';
  for (let i = 1; doc.length < 20 * KB; i++) doc += section(i);
  return doc;
}

interface Timing {
  chars: number;
  ms: number;
}

/** Renderer ms per token over the updates whose text length falls in [from, to). */
function perToken(timings: Timing[], from: number, to: number): { msPerToken: number; updates: number } {
  const window = timings.filter((t) => t.chars >= from && t.chars < to);
  const ms = window.reduce((n, t) => n + t.ms, 0);
  const chars = window.length > 1 ? window.at(-1)!.chars - window[0]!.chars : 0;
  return { msPerToken: chars ? ms / (chars / CHARS_PER_TOKEN) : Number.NaN, updates: window.length };
}

test('streaming a 20 KB Markdown reply at 200 tokens/s', async ({ page }) => {
  const doc = document20k();
  await page.addInitScript(() => {
    const w = window as unknown as { __airgapRenderTiming: Timing[]; __longTasks: { start: number; ms: number }[] };
    w.__airgapRenderTiming = [];
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto('/?engine=reference&tps=200');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await pickModel(page, 'reference-tiny');
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  // Warm the lazy chunks (renderer, highlighter, KaTeX) as a first reply would.
  await page.getByTestId('chat-input').fill('/echo warm `x` $y$\n\n```js\n1\n```');
  await page.getByTestId('chat-input').press('Enter');
  const last = page.locator('[data-testid="message"][data-role="assistant"]').last();
  await expect(last.locator('.katex')).toBeVisible();
  await page.getByTestId('chat-input').fill(`/echo ${doc}`);
  const start = await page.evaluate(() => {
    (window as unknown as { __airgapRenderTiming: Timing[] }).__airgapRenderTiming.length = 0;
    return performance.now();
  });
  await page.getByTestId('chat-input').press('Enter');
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').nth(1)).toHaveAttribute('data-state', 'done', {
    timeout: 150_000,
  });
  const { timings, longTasks, end } = await page.evaluate(() => {
    const w = window as unknown as { __airgapRenderTiming: Timing[]; __longTasks: { start: number; ms: number }[] };
    return { timings: w.__airgapRenderTiming, longTasks: w.__longTasks, end: performance.now() };
  });
  const during = longTasks.filter((t) => t.start >= start);
  const longest = during.reduce((m, t) => Math.max(m, t.ms), 0);
  const early = perToken(timings, 0.5 * KB, 1.5 * KB);
  const late = perToken(timings, doc.length - 1.5 * KB, doc.length - 0.5 * KB);
  const worst = timings.reduce((m, t) => Math.max(m, t.ms), 0);
  const blocks = await page.locator('[data-testid="message"][data-role="assistant"]').nth(1).locator('.md-block').count();
  console.log(
    `\nStreaming ${(doc.length / KB).toFixed(1)} KB of Markdown at 200 tokens/s (${((end - start) / 1000).toFixed(1)} s, ${blocks} blocks)`,
  );
  console.log('| measure | value |\n|---|---:|');
  console.log(`| long tasks (> 50 ms) while streaming | ${during.length} |`);
  console.log(`| longest main-thread task while streaming | ${longest ? `${longest.toFixed(0)} ms` : 'none over 50 ms'} |`);
  console.log(`| renderer per token around 1 KB | ${(early.msPerToken * 1000).toFixed(0)} µs (${early.updates} updates) |`);
  console.log(`| renderer per token around 20 KB | ${(late.msPerToken * 1000).toFixed(0)} µs (${late.updates} updates) |`);
  console.log(`| slowest single renderer update | ${worst.toFixed(1)} ms |`);
  expect(timings.length).toBeGreaterThan(0);
});
