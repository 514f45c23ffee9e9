import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normaliseSettings } from './settings';
import { THEME_CHOICES, isThemeChoice, resolveTheme } from './theme';

describe('theme', () => {
  it('system follows the preference; light and dark ignore it', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    for (const dark of [true, false]) {
      expect(resolveTheme('light', dark)).toBe('light');
      expect(resolveTheme('dark', dark)).toBe('dark');
    }
  });

  it('only the three choices are choices (a mirrored or stored value may be anything)', () => {
    for (const t of THEME_CHOICES) expect(isThemeChoice(t)).toBe(true);
    for (const v of [null, undefined, '', 'purple', 'Dark', 1]) expect(isThemeChoice(v)).toBe(false);
  });

  it('the stored choice is normalised, system by default', () => {
    expect(DEFAULT_SETTINGS.theme).toBe('system');
    for (const t of THEME_CHOICES) expect(normaliseSettings({ theme: t }).theme).toBe(t);
    expect(normaliseSettings({ theme: 'purple' }).theme).toBe('system');
  });
});
