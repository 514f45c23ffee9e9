// Replies as Markdown: what renders, what loads lazily, and that streaming redraws only the open block.
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';

const RICH = [
  '<think>First I weigh **both** options.</think>',
  '# Results',
  '',
  'Some *emphasis*, **strong**, `inline code` and a [link](https://example.org/docs).',
  '',
  '| Model | Size |',
  '|---|---:|',
  '| tiny | 1 MB |',
  '| draft | 2 MB |',
  '',
  '> A quote',
  '',
  '- one',
  '- two',
  '',
  '```ts',
  'const answer: number = 42;',
  '```',
  '',
  'Euler: $e^{i\\pi} + 1 = 0$, and it costs $5 and $10.',
  '',
  '$$',
  '\\int_0^1 x^2\\,dx = \\frac{1}{3}',
  '$$',
  '',
  '![a chart](https://images.example.net/chart.png)',
].join('\n');

test('a reply renders as sanitised Markdown with highlighted code, math and folded reasoning', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const lazy: string[] = [];
  page.on('request', (r) => {
    if (/lazy-(highlight|katex)/.test(r.url())) lazy.push(r.url());
  });
  await openReady(page, '/?engine=reference&tps=2000');
  await loadModel(page);
  await send(page, '/echo Just *plain* words.');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(lastAssistant(page).locator('em')).toHaveText('plain');
  expect(lazy, 'no highlighter or KaTeX for a reply without code or math').toEqual([]);

  await send(page, `/echo ${RICH}`);
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-state', 'done');
  const content = reply.getByTestId('message-content');
  await expect(content.locator('h1')).toHaveText('Results');
  await expect(content.locator('strong').first()).toHaveText('strong');
  await expect(content.locator('table tr')).toHaveCount(3);
  await expect(content.locator('blockquote')).toHaveText('A quote');
  await expect(content.locator('ul > li')).toHaveCount(2);
  const link = content.getByRole('link', { name: 'link' });
  await expect(link).toHaveAttribute('href', 'https://example.org/docs');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  // Code: pre > code with the language class, highlighted from the lazy chunk, copyable.
  const code = content.locator('pre > code.language-ts');
  await expect(code).toHaveClass(/hljs/);
  await expect(code.locator('span').first()).toBeVisible();
  await content.getByTestId('code-copy').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('const answer: number = 42;\n');
  // Math typeset by KaTeX; the prices stay text.
  await expect(content.locator('.math-inline .katex')).toHaveCount(1);
  await expect(content.locator('.math-display .katex-display')).toHaveCount(1);
  await expect(content).toContainText('it costs $5 and $10.');
  expect(lazy.some((u) => u.includes('lazy-highlight'))).toBe(true);
  expect(lazy.some((u) => u.includes('lazy-katex'))).toBe(true);
  // The remote image is a placeholder naming its host; nothing was fetched from it.
  await expect(content.getByTestId('remote-image')).toContainText('Image from images.example.net not loaded: a chart');
  await expect(content.locator('img')).toHaveCount(0);
  // Reasoning: folded, with its label; its text is plain.
  const think = content.getByTestId('think');
  await expect(think).not.toHaveAttribute('open');
  await expect(think.getByTestId('think-summary')).toHaveText(/^Thought( for \d+ s)?$/);
  await think.getByTestId('think-summary').click();
  await expect(think).toContainText('First I weigh **both** options.');
  await expectNoSeriousA11yViolations(page, 'chat with rendered Markdown');
});

test('while streaming, finished blocks are drawn once; only the open block is redrawn', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=30');
  await loadModel(page);
  // Records whether the text ever showed raw Markdown syntax that a finished render would not.
  await page.evaluate(() => {
    const w = window as unknown as { __sawRaw: string[] };
    w.__sawRaw = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="message"][data-role="assistant"]:last-of-type .markdown');
      const text = el?.textContent ?? '';
      if (/```|\|\s*[-:]{2}|^\s*\| a/m.test(text)) w.__sawRaw.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const code = Array.from({ length: 30 }, (_, i) => `let v${i} = ${i};`).join('\n');
  await send(
    page,
    `/echo First paragraph.\n\nSecond paragraph.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\`\`\`js\n${code}\n\`\`\`\n\nThe end.`,
  );
  const md = lastAssistant(page).locator('.markdown');
  // Finished blocks while the reply still streams (two, or more by the time they are seen): remember those very nodes.
  await expect.poll(() => md.locator('.md-block:not(.open)').count()).toBeGreaterThanOrEqual(2);
  await md.evaluate((el) => {
    (window as unknown as { __early: Element[] }).__early = [...el.querySelectorAll('.md-block:not(.open)')];
  });
  // The unclosed fence shows as code, not as backticks.
  await expect(md.locator('.md-block.open pre > code')).toBeVisible();
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'streaming');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  const early = await md.evaluate((el) => {
    const nodes = (window as unknown as { __early: Element[] }).__early;
    return nodes.map((n) => n.isConnected && el.contains(n));
  });
  // (A third block may have finished by the time they were collected: it must stay too.)
  expect(early.length).toBeGreaterThanOrEqual(2);
  expect(early).not.toContain(false);
  await expect(md.locator('.md-block')).toHaveCount(5);
  await expect(md.locator('table')).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { __sawRaw: string[] }).__sawRaw)).toEqual([]);
});

test('user messages stay as typed', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=2000');
  await loadModel(page);
  await send(page, '/echo **not bold** <b>x</b>');
  const user = page.locator('[data-testid="message"][data-role="user"]').last();
  await expect(user.getByTestId('message-content')).toHaveText('/echo **not bold** <b>x</b>');
  await expect(user.locator('strong, b')).toHaveCount(0);
});

test('reasoning shows "Thinking…" while it streams, then "Thought for N s", kept after a reload', async ({ page }) => {
  await openReady(page, '/?engine=reference&tps=30');
  await loadModel(page);
  await send(page, `/echo <think>${'Weighing the options carefully. '.repeat(4)}</think>\n\nThe **answer**.`);
  const summary = lastAssistant(page).getByTestId('think-summary');
  await expect(summary).toHaveText('Thinking…');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(summary).toHaveText(/^Thought for \d+ s$/);
  await expect(lastAssistant(page).locator('.markdown strong')).toHaveText('answer');
  const label = await summary.textContent();
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(lastAssistant(page).getByTestId('think-summary')).toHaveText(label!);
});
