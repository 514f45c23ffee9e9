import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normaliseSettings } from './settings';
import { THEME_CHOICES, THEME_STORAGE_KEY, resolveTheme, type ThemeChoice } from './theme';

const bootScript = readFileSync(new URL('../../public/theme.js', import.meta.url), 'utf8');

/** Runs public/theme.js with a stored value and a system preference; returns the data-theme it set. */
function runBootScript(stored: string | null | 'throws', systemDark: boolean): string | undefined {
  const attrs: Record<string, string> = {};
  runInNewContext(bootScript, {
    localStorage: {
      getItem: (k: string) => {
        if (stored === 'throws') throw new Error('SecurityError');
        return k === THEME_STORAGE_KEY ? stored : null;
      },
    },
    matchMedia: (q: string) => ({ matches: q === '(prefers-color-scheme: dark)' && systemDark }),
    document: { documentElement: { setAttribute: (k: string, v: string) => (attrs[k] = v) } },
  });
  return attrs['data-theme'];
}

describe('theme', () => {
  it('system follows the preference; light and dark ignore it', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    for (const dark of [true, false]) {
      expect(resolveTheme('light', dark)).toBe('light');
      expect(resolveTheme('dark', dark)).toBe('dark');
    }
  });

  it('the first-paint script resolves every stored choice as the app does', () => {
    for (const choice of THEME_CHOICES)
      for (const dark of [true, false])
        expect(runBootScript(choice, dark), `${choice}, system dark ${dark}`).toBe(resolveTheme(choice, dark));
  });

  it('the first-paint script follows the system when nothing valid is stored or storage is blocked', () => {
    for (const stored of [null, 'purple', 'throws'] as const)
      for (const dark of [true, false]) expect(runBootScript(stored, dark)).toBe(resolveTheme('system', dark));
  });

  it('the stored choice is normalised', () => {
    expect(DEFAULT_SETTINGS.theme).toBe('system');
    for (const t of THEME_CHOICES) expect(normaliseSettings({ theme: t }).theme).toBe(t satisfies ThemeChoice);
    expect(normaliseSettings({ theme: 'purple' }).theme).toBe('system');
  });
});
