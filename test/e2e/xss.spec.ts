// Model output is hostile input: a corpus of XSS and tracking payloads streamed as replies must run
// nothing, fetch nothing from a remote host, and leave no dangerous element or attribute behind.
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';
import { XSS_PAYLOAD_COUNT, XSS_REPLIES } from './fixtures/xss-payloads';

test(`${XSS_PAYLOAD_COUNT} XSS payloads in replies execute nothing and load nothing`, async ({ page }) => {
  expect(XSS_PAYLOAD_COUNT).toBeGreaterThanOrEqual(50);
  const dialogs: string[] = [];
  const remote: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (new URL(r.url()).hostname !== '127.0.0.1') remote.push(r.url());
  });
  await openReady(page, '/?engine=reference&tps=2000');
  await loadModel(page);
  for (const reply of XSS_REPLIES) {
    await send(page, `/echo ${reply}`);
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  }
  // KaTeX typesets the math payloads (errors included) once its chunk is in.
  await expect(page.locator('.katex, .katex-error').first()).toBeVisible();
  // Both fences with hostile language names render as code (and highlight.js knows neither name).
  await expect(page.locator('[data-role="assistant"] pre > code')).toHaveCount(2);
  // Hover and focus everything a handler could have been attached to, and open every <details>.
  for (const el of await page.locator('[data-role="assistant"] [data-testid="message-content"] *').all()) {
    await el.dispatchEvent('mouseover');
  }
  await page.locator('[data-role="assistant"] details').evaluateAll((ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));

  const findings = await page.evaluate(() => {
    const out: string[] = [];
    const roots = [...document.querySelectorAll('[data-role="assistant"] [data-testid="message-content"]')];
    const BAD_TAGS =
      'script, iframe, object, embed, img, svg, style, link, meta, base, form, video, audio, picture, source, template, noscript, body';
    for (const root of roots) {
      for (const el of root.querySelectorAll(BAD_TAGS)) out.push(`tag <${el.localName}>`);
      for (const el of root.querySelectorAll('math')) if (!el.closest('.katex')) out.push('MathML outside KaTeX');
      for (const el of root.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) out.push(`handler ${a.name} on <${el.localName}>`);
          if (['srcdoc', 'formaction', 'xlink:href', 'src', 'srcset', 'action', 'id', 'name'].includes(a.name)) out.push(`attr ${a.name}`);
          if (a.name === 'style' && !el.closest('.katex')) out.push(`style on <${el.localName}>`);
          if (a.name === 'href' && !/^(https?|mailto):/.test(a.value)) out.push(`href ${a.value}`);
        }
        if (el.localName === 'a' && el.hasAttribute('href') && el.getAttribute('rel') !== 'noopener noreferrer')
          out.push('link without rel');
        if (el.localName === 'input' && !(el as HTMLInputElement).disabled) out.push('enabled input');
        // In the rendered blocks, only the renderer's own classes and test ids (not the app's, borrowed by the output).
        if (!el.closest('.md-block') || el.closest('.katex, .hljs')) continue;
        for (const c of el.classList)
          if (!/^(language-|math-|katex|remote-image$|code-|md-block|open$|hljs)/.test(c)) out.push(`class ${c}`);
        const id = el.getAttribute('data-testid');
        if (id && !['remote-image', 'remote-image-open', 'code-copy'].includes(id)) out.push(`data-testid ${id}`);
      }
    }
    return {
      out,
      xss: (window as unknown as { __xss?: unknown }).__xss,
      hook: typeof (window as unknown as { __airgap?: unknown }).__airgap,
    };
  });
  expect(findings.out).toEqual([]);
  expect(findings.xss).toBeUndefined();
  // The test hook is still the app's object, not a clobbering element.
  expect(findings.hook).toBe('object');
  expect(dialogs).toEqual([]);
  expect(remote).toEqual([]);
  // The blocked images are placeholders that name their host.
  await expect(page.getByTestId('remote-image').filter({ hasText: 'evil.example' }).first()).toBeVisible();
});

test('a remote image loads only when the person opens it, in a new tab', async ({ page, context }) => {
  const url = 'https://pictures.example.org/cat.png';
  const requested: string[] = [];
  await context.route(url, (r) => r.fulfill({ status: 200, contentType: 'text/plain', body: 'a cat' }));
  context.on('request', (r) => {
    if (new URL(r.url()).hostname !== '127.0.0.1') requested.push(r.url());
  });
  await openReady(page, '/?engine=reference&tps=2000');
  await loadModel(page);
  await send(page, `/echo See ![the cat](${url})`);
  const placeholder = lastAssistant(page).getByTestId('remote-image');
  await expect(placeholder).toContainText('Image from pictures.example.org not loaded: the cat');
  const open = placeholder.getByTestId('remote-image-open');
  await expect(open).toHaveAttribute('target', '_blank');
  await expect(open).toHaveAttribute('rel', 'noopener noreferrer');
  expect(requested).toEqual([]);
  const [popup] = await Promise.all([context.waitForEvent('page'), open.click()]);
  await expect.poll(() => requested).toEqual([url]);
  await popup.close();
});
