// Lighthouse (mobile preset: simulated slow 4G and 4x CPU slowdown) on the first screen of the built
// app served by `vite preview`, in Debian's Chromium launched by chrome-launcher. Prints the scores and
// the paint/blocking metrics as the median of a few runs; asserts nothing about speed.
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { test } from '@playwright/test';
import { CHROMIUM_PATH, PREVIEW_URL } from '../../e2e/fixtures/browser';

const RUNS = Number(process.env.AIRGAP_LIGHTHOUSE_RUNS ?? 3);
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
] as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('Lighthouse, mobile preset, first screen', async () => {
  test.setTimeout(RUNS * 120_000);
  const url = `${PREVIEW_URL}/`;
  const scores: Record<string, number[]> = {};
  const metrics: Record<string, number[]> = {};
  const failing = new Set<string>();
  for (let i = 0; i < RUNS; i++) {
    // A fresh profile per run: no service worker or HTTP cache from the run before.
    const chrome = await launch({ chromePath: CHROMIUM_PATH, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
    try {
      const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
      const lhr = result!.lhr;
      for (const c of CATEGORIES) (scores[c] ??= []).push(Math.round((lhr.categories[c]?.score ?? 0) * 100));
      for (const [id] of METRICS) (metrics[id] ??= []).push(lhr.audits[id]?.numericValue ?? NaN);
      // Name what costs points, so a drop below 100 says why.
      for (const c of CATEGORIES)
        for (const ref of lhr.categories[c]?.auditRefs ?? []) {
          const a = lhr.audits[ref.id];
          if (ref.weight > 0 && a && a.score !== null && a.score < 1) failing.add(`${c}: ${a.id} (${a.score})`);
        }
    } finally {
      chrome.kill();
    }
  }
  const lines = [
    `Lighthouse ${url} — mobile preset, median of ${RUNS} runs`,
    ...CATEGORIES.map((c) => `  ${c.padEnd(16)} ${median(scores[c]!)}  (runs: ${scores[c]!.join(', ')})`),
    ...METRICS.map(([id, name]) => {
      const v = median(metrics[id]!);
      return `  ${name.padEnd(16)} ${name === 'CLS' ? v.toFixed(3) : `${(v / 1000).toFixed(2)} s`}  (runs: ${metrics[id]!.map((x) => (name === 'CLS' ? x.toFixed(3) : Math.round(x))).join(', ')})`;
    }),
    ...(failing.size ? ['  audits below full marks:', ...[...failing].map((f) => `    ${f}`)] : []),
  ];
  console.log(lines.join('\n'));
});
