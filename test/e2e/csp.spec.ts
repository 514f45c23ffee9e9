// The Content-Security-Policy of the built app: sent as a meta tag and (by `vite preview`) as a
// header, it refuses inline script, yet the app boots, loads a model, replies with rendered
// Markdown and math, and its service worker registers, with no violation reported.
import type { Page } from '@playwright/test';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';

test.use({ serviceWorkers: 'allow' });

/** Collects every CSP violation the page reports, from before its first script runs. */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

test('the policy is in the page and the headers, and refuses an injected inline script', async ({ page }) => {
  await recordViolations(page);
  // A source the browser cannot parse is ignored with a console error (and costs Lighthouse's best-practices score).
  const policyErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && policyErrors.push(m.text()));
  const response = await page.goto('/?engine=reference');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  expect(policyErrors).toEqual([]);
  const header = response!.headers()['content-security-policy'] ?? '';
  expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(header).toContain("frame-ancestors 'none'");
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("object-src 'none'");
  expect(meta).toContain("base-uri 'none'");
  expect(meta).toContain("img-src 'self' data: blob:");
  expect(await violations(page)).toEqual([]);

  const refused = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.head.append(s);
      }),
  );
  expect(refused).toBe('script-src-elem');
  expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
});

test('under the policy the app loads a model, replies with code and math, and its service worker registers', async ({ page }) => {
  await recordViolations(page);
  await openReady(page, '/?engine=reference&tps=2000');
  await loadModel(page);
  await send(page, '/echo **Done**: $x^2$\n\n```js\nlet a = 1;\n```');
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'done');
  await expect(reply.locator('.katex')).toBeVisible();
  await expect(reply.locator('code.hljs')).toBeVisible();
  // KaTeX's fonts come from the app itself.
  await expect.poll(() => page.evaluate(() => document.fonts.check('16px KaTeX_Main'))).toBe(true);
  // `ready` resolves once a worker is active, which may still be "activating" (its precache is large).
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), { timeout: 30_000 })
    .toBe('activated');
  expect(await violations(page)).toEqual([]);
});
