// Opening a long conversation: 200 messages (Markdown with code, lists and tables) seeded into
// IndexedDB, opened from the sidebar; prints the time to the last message on screen and the
// longest main-thread task while opening and while scrolling through it. Figures, not assertions.
import { expect, test } from '@playwright/test';

const MESSAGES = 200;

function seed(count: number) {
  const messages = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    parentId: i === 0 ? undefined : `m${i - 1}`,
    role: i % 2 ? 'assistant' : 'user',
    content:
      i % 2
        ? `Answer ${i}: here is **bold**, a list\n\n- one\n- two\n\n| a | b |\n|---|---|\n| ${i} | ${i * 2} |\n\n\`\`\`js\nconst x${i} = ${i};\nconsole.log(x${i});\n\`\`\`\n`
        : `Question ${i}: how does step ${i} work?`,
    state: 'done',
    createdAt: i,
  }));
  return [
    { id: 'long', title: 'Long conversation', createdAt: 0, updatedAt: 1, messages },
    {
      id: 'short',
      title: 'Short one',
      createdAt: 0,
      updatedAt: 2,
      messages: [{ id: 's0', role: 'user', content: 'hi', state: 'done', createdAt: 0 }],
    },
  ];
}

test('a 200-message conversation opens and scrolls', async ({ page }) => {
  await page.goto('/?engine=reference');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(async (records) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('airgap-conversations');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('conversations', 'readwrite');
    for (const c of records) tx.objectStore('conversations').put(c, c.id);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, seed(MESSAGES));
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask' });
  });
  const item = page.locator('[data-testid="conversation-item"][data-id="long"] button').first();
  const openMs = await item.evaluate(
    (el, count) =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        (el as HTMLElement).click();
        const check = () => {
          if (document.querySelectorAll('[data-testid="message"]').length === count)
            requestAnimationFrame(() => resolve(performance.now() - t0));
          else requestAnimationFrame(check);
        };
        check();
      }),
    MESSAGES,
  );
  const openLong = await page.evaluate(() => Math.max(0, ...(window as unknown as { __long: number[] }).__long));
  await page.evaluate(() => ((window as unknown as { __long: number[] }).__long = []));
  await page.evaluate(async () => {
    const list = document.querySelector('[data-testid="message"]')!.parentElement!;
    let scroller: HTMLElement | null = list;
    while (scroller && scroller.scrollHeight <= scroller.clientHeight) scroller = scroller.parentElement;
    const target = scroller ?? document.scrollingElement!;
    for (let y = 0; y < target.scrollHeight; y += 400) {
      target.scrollTop = y;
      await new Promise((r) => requestAnimationFrame(r));
    }
  });
  const scrollLong = await page.evaluate(() => Math.max(0, ...(window as unknown as { __long: number[] }).__long));
  console.log(
    `\n| ${MESSAGES}-message conversation | ms |\n|---|---:|\n| open from the sidebar to the last message painted | ${openMs.toFixed(0)} |\n| longest main-thread task while opening | ${openLong.toFixed(0)} |\n| longest main-thread task while scrolling through it | ${scrollLong.toFixed(0)} |`,
  );
});
