// WCAG 2.x contrast of the light and dark palettes in src/app/global.css (every colour there is a
// light-dark(light, dark) pair): text 4.5:1 on every background it is drawn on, control borders and
// the focus ring 3:1 against the surfaces they sit on (WCAG 1.4.3, 1.4.11).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../src/app/global.css', import.meta.url), 'utf8');

function palette(scheme: 0 | 1): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of css.matchAll(/--([\w-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi)) out[m[1]!] = m[scheme + 2]!;
  for (const m of css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6});/gi)) out[m[1]!] = m[2]!;
  return out;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const TEXT_BACKGROUNDS = ['bg', 'surface', 'control-bg', 'user-bg', 'assistant-bg', 'info-bg'];
const RULES: [fg: string, backgrounds: string[], min: number][] = [
  ['fg', [...TEXT_BACKGROUNDS, 'danger-bg'], 4.5],
  ['muted', TEXT_BACKGROUNDS, 4.5],
  ['danger', ['bg', 'surface', 'danger-bg', 'assistant-bg', 'control-bg'], 4.5],
  ['ok', ['bg', 'surface', 'control-bg'], 4.5],
  ['accent', ['bg', 'surface', 'assistant-bg', 'user-bg'], 4.5],
  ['control-border', ['bg', 'surface'], 3],
  ['focus', ['bg', 'surface', 'control-bg'], 3],
];

describe.each([
  ['light', 0],
  ['dark', 1],
] as const)('%s palette', (_name, scheme) => {
  const p = palette(scheme);
  it.each(RULES)('%s on its backgrounds', (fg, backgrounds, min) => {
    for (const bg of backgrounds) {
      expect(p[fg], `--${fg} is defined`).toBeDefined();
      expect(p[bg], `--${bg} is defined`).toBeDefined();
      expect(contrast(p[fg]!, p[bg]!), `--${fg} on --${bg}`).toBeGreaterThanOrEqual(min);
    }
  });
  it('white text on the solid danger colour (Stop, destructive buttons)', () => {
    expect(contrast('#ffffff', p['danger-solid']!)).toBeGreaterThanOrEqual(4.5);
  });
});

it('the old dark error text (#dc2626 on #121212) is the 3.9:1 this replaces', () => {
  expect(contrast('#dc2626', '#121212')).toBeLessThan(4.5);
});
