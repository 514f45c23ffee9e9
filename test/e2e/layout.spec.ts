// Themes (choice, persistence, first paint, the system preference) and the layout from 360 px phones
// to wide desktops: the conversation drawer, panels inside the viewport, no sideways page scroll,
// 44 px tap targets, a centred message column; axe on the main screens in both themes and widths.
import type { Page } from '@playwright/test';
import { expect, lastAssistant, loadModel, openReady, pickModel, send, test } from './fixtures/app';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { ModelServer } from './fixtures/model-server';

const PHONE = { width: 390, height: 844 };
const SMALL_PHONE = { width: 360, height: 740 };

const themeOf = (page: Page) =>
  page.evaluate(() => ({
    html: document.documentElement.dataset.theme,
    app: document.querySelector<HTMLElement>('[data-testid="app"]')?.dataset.theme,
  }));

async function chooseTheme(page: Page, theme: 'system' | 'light' | 'dark') {
  await page.getByTestId('settings-open').click();
  await page.getByTestId('theme-select').selectOption(theme);
  await page.getByTestId('settings-close').click();
}

/** Every visible button, select, text input and textarea (a checkbox counts by its label) is ≥ 44 × 44 px. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, select, input, textarea, [role="button"]')) {
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const box = (el.matches('input[type="checkbox"], input[type="radio"]') ? (el.closest('label') ?? el) : el).getBoundingClientRect();
      if (box.width < 44 || box.height < 44)
        out.push(`${el.dataset.testid ?? el.tagName} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return out;
  });
}

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);

test('the theme switch sets data-theme on the app and <html>, survives a reload from first paint on, and system follows the device', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openReady(page);
  expect(await themeOf(page)).toEqual({ html: 'light', app: 'light' });

  await chooseTheme(page, 'dark');
  expect(await themeOf(page)).toEqual({ html: 'dark', app: 'dark' });

  // The stored choice is on <html> while the static shell is still the page (before the app's code runs).
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => {
      (window as unknown as { shellTheme: string }).shellTheme =
        `${document.documentElement.dataset.theme} ${document.querySelector('#app > .shell') ? 'shell' : 'app'}`;
    }),
  );
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => (window as unknown as { shellTheme: string }).shellTheme)).toBe('dark shell');
  // Chromium holds the first paint until the tiny entry that set it has run (blocking="render").
  await expect(page.locator('script[type="module"][blocking="render"]')).toHaveCount(1);
  expect(await themeOf(page)).toEqual({ html: 'dark', app: 'dark' });
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('theme-select')).toHaveValue('dark');
  await page.getByTestId('settings-close').click();

  await chooseTheme(page, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await themeOf(page)).toEqual({ html: 'light', app: 'light' });

  await chooseTheme(page, 'system');
  await expect(page.getByTestId('app')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.getByTestId('app')).toHaveAttribute('data-theme', 'light');
  expect(await themeOf(page)).toEqual({ html: 'light', app: 'light' });
});

test.describe('phone', () => {
  test.use({ viewport: PHONE });

  test('the conversation list is a drawer: the toggle shows and hides it; a choice, Escape and the backdrop close it', async ({ page }) => {
    await openReady(page);
    await loadModel(page);
    const toggle = page.getByTestId('sidebar-toggle');
    const list = page.getByTestId('new-conversation');
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(list).toBeHidden();
    const drawer = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
    await expect(drawer).toContainText('New conversation');

    await send(page, 'first chat');
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(list).toBeVisible();
    await list.click();
    await expect(list).toBeHidden();
    await send(page, 'second chat');
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');

    await toggle.click();
    await expect(page.getByTestId('conversation-item')).toHaveCount(2);
    await page.getByTestId('conversation-item').filter({ hasText: 'first chat' }).click();
    await expect(list).toBeHidden();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('message').first()).toContainText('first chat');

    await toggle.click();
    await expect(list).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(list).toBeHidden();
    await expect(toggle).toBeFocused();

    await toggle.click();
    await expect(list).toBeVisible();
    await page.mouse.click(PHONE.width - 10, PHONE.height / 2);
    await expect(list).toBeHidden();
  });

  for (const viewport of [PHONE, SMALL_PHONE]) {
    test(`at ${viewport.width} × ${viewport.height} the Settings and Storage panels lie within the viewport`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await openReady(page);
      for (const name of ['settings', 'storage']) {
        await page.getByTestId(`${name}-open`).click();
        const box = (await page.getByTestId(`${name}-panel`).boundingBox())!;
        expect(box.x, `${name} panel left edge`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${name} panel right edge`).toBeLessThanOrEqual(viewport.width);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await page.getByTestId(`${name}-close`).click();
      }
    });
  }

  test('a very long model name does not widen the page, in the header or the Storage panel', async ({ page }) => {
    const longId = `${'VeryLongModelNameWithoutBreaks'.repeat(4)}-q4f32_1-MLC`;
    const server = new ModelServer([{ id: longId, shards: 1, shardBytes: 64 * 1024 }]);
    await server.start();
    try {
      await openReady(page, `/?models=${encodeURIComponent(server.appConfigUrl)}`);
      await pickModel(page, longId);
      await expect(page.getByTestId('model-select')).toHaveAttribute('data-value', longId);
      for (const viewport of [PHONE, SMALL_PHONE]) {
        await page.setViewportSize(viewport);
        expect(await horizontalOverflow(page), `${viewport.width} px`).toBeLessThanOrEqual(0);
        expect((await page.locator('header').first().boundingBox())!.width).toBeLessThanOrEqual(viewport.width);
      }
      await page.getByTestId('download-model').click();
      await expect(page.getByTestId('offline-ready')).toBeVisible();
      await page.getByTestId('storage-open').click();
      await expect(page.locator(`[data-testid="cached-model"][data-model-id="${longId}"]`)).toBeVisible();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      const panel = (await page.getByTestId('storage-panel').boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(SMALL_PHONE.width);
    } finally {
      await server.stop();
    }
  });

  test('a long unbroken word and a long code line in messages do not widen the page', async ({ page }) => {
    await openReady(page, '/?engine=reference&tps=1000');
    await loadModel(page);
    await send(page, `/echo ${'x'.repeat(300)}\n\n\`\`\`\n${'const a = 1; '.repeat(40)}\n\`\`\``);
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    await send(page, 'y'.repeat(300));
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    for (const viewport of [PHONE, SMALL_PHONE]) {
      await page.setViewportSize(viewport);
      expect(await horizontalOverflow(page), `${viewport.width} px`).toBeLessThanOrEqual(0);
    }
  });

  test('every visible control is at least 44 × 44 px: main screen, drawer, settings and storage', async ({ page }) => {
    await openReady(page);
    await loadModel(page);
    expect(await smallTargets(page), 'main screen').toEqual([]);
    await page.getByTestId('sidebar-toggle').click();
    await expect(page.getByTestId('new-conversation')).toBeVisible();
    expect(await smallTargets(page), 'drawer').toEqual([]);
    await page.keyboard.press('Escape');
    for (const name of ['settings', 'storage']) {
      await page.getByTestId(`${name}-open`).click();
      await expect(page.getByTestId(`${name}-panel`)).toBeVisible();
      expect(await smallTargets(page), name).toEqual([]);
      await page.getByTestId(`${name}-close`).click();
    }
  });

  test('the header is one row and the composer stays in view; the message list scrolls, not the page', async ({ page }) => {
    await openReady(page, '/?engine=reference&tps=1000');
    const header = page.locator('header').first();
    expect((await header.boundingBox())!.height, 'one 44 px row plus padding').toBeLessThan(64);
    await loadModel(page);
    for (let i = 0; i < 4; i++) {
      await send(page, `/echo ${'line\n'.repeat(20)}`);
      await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    }
    const row = ['sidebar-toggle', 'engine-status', 'model-select', 'model-load', 'storage-open', 'settings-open'];
    const centres = await Promise.all(row.map(async (id) => ((b) => b.y + b.height / 2)((await page.getByTestId(id).boundingBox())!)));
    for (const [i, c] of centres.entries()) expect(Math.abs(c - centres[0]!), `${row[i]} is in the first row`).toBeLessThan(4);
    // With a model loaded, the speculation notes add at most one short line under the row.
    expect((await header.boundingBox())!.height).toBeLessThan(64 + 24);
    const input = (await page.getByTestId('chat-input').boundingBox())!;
    expect(input.y + input.height).toBeLessThanOrEqual(PHONE.height);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(PHONE.height);
  });
});

test('on a wide desktop the message column has a readable width and is centred', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1000 });
  await openReady(page, '/?engine=reference&tps=1000');
  await loadModel(page);
  await send(page, `/echo ${'word '.repeat(300)}`);
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  const list = (await page.getByRole('region', { name: 'Messages' }).boundingBox())!;
  const reply = (await lastAssistant(page).boundingBox())!;
  expect(reply.width).toBeLessThanOrEqual(48 * 16 + 1);
  expect(Math.abs(reply.x + reply.width / 2 - (list.x + list.width / 2))).toBeLessThan(16);
});

for (const scheme of ['light', 'dark'] as const) {
  for (const [width, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', PHONE],
  ] as const) {
    test(`axe: empty, settings and storage screens, ${scheme} theme, ${width} width`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await openReady(page);
      await expect(page.getByTestId('app')).toHaveAttribute('data-theme', scheme);
      await expectNoSeriousA11yViolations(page, `empty (${scheme}, ${width})`);
      for (const name of ['settings', 'storage']) {
        await page.getByTestId(`${name}-open`).click();
        await expect(page.getByTestId(`${name}-panel`)).toBeVisible();
        await expectNoSeriousA11yViolations(page, `${name} (${scheme}, ${width})`);
        await page.getByTestId(`${name}-close`).click();
      }
    });
  }
}
