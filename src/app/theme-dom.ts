// The theme on the page, without Svelte (boot.ts runs it before the app's code loads): the
// localStorage mirror of the stored choice, and <html data-theme>, which global.css keys the palette on.

import { DARK_QUERY, THEME_STORAGE_KEY, isThemeChoice, resolveTheme, type Theme, type ThemeChoice } from '../lib/theme';

export function readThemeMirror(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY);
    return isThemeChoice(v) ? v : 'system';
  } catch {
    return 'system'; // storage blocked: follow the system
  }
}

export function writeThemeMirror(choice: ThemeChoice): void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Storage blocked: the next start paints with the system theme until the settings are read.
  }
}

export function setDocumentTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** The first-paint theme: the mirrored choice against the system preference now. */
export function applyMirroredTheme(): void {
  setDocumentTheme(resolveTheme(readThemeMirror(), matchMedia(DARK_QUERY).matches));
}
