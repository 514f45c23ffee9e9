// Renders public/icon.svg into the PNG icons the web app manifest lists, with Debian's Chromium.
// Run by hand when the icon changes: node test/tools/render-icons.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../../public/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const [name, size, inset] of [
  ['icon-192.png', 192, 0],
  ['icon-512.png', 512, 0],
  ['icon-maskable-512.png', 512, 0.1],
]) {
  await page.setViewportSize({ width: size, height: size });
  const pad = Math.round(size * inset);
  // Maskable icons keep their content inside the central safe zone, on a full-bleed background.
  await page.setContent(
    `<body style="margin:0;background:#0f172a"><div style="padding:${pad}px;width:${size - 2 * pad}px;height:${size - 2 * pad}px">${svg.replace('<svg ', `<svg width="${size - 2 * pad}" height="${size - 2 * pad}" `)}</div></body>`,
  );
  await page.screenshot({ path: new URL(`../../public/${name}`, import.meta.url).pathname, omitBackground: false });
}
await browser.close();
