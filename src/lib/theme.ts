// The colour theme: the user's choice (system, light, dark) and the theme it resolves to. The choice
// is stored with the settings (IndexedDB) and mirrored under THEME_STORAGE_KEY in localStorage, which
// boot.ts reads synchronously before first paint (IndexedDB cannot be read before paint).

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'airgap:theme';
export const DARK_QUERY = '(prefers-color-scheme: dark)';

export function isThemeChoice(v: unknown): v is ThemeChoice {
  return THEME_CHOICES.includes(v as ThemeChoice);
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}
