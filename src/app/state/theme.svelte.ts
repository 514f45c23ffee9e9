// The resolved colour theme on the page: the stored choice (or, until the settings are read, the
// localStorage mirror public/theme.js painted with) and the live system preference. apply() puts it
// on <html data-theme> and keeps the mirror in step with the stored settings.

import { THEME_STORAGE_KEY, isThemeChoice, resolveTheme, type Theme, type ThemeChoice } from '../../lib/theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function readMirror(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY);
    return isThemeChoice(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

export class ThemeState {
  #systemDark = $state(matchMedia(DARK_QUERY).matches);
  #mirror = readMirror();
  readonly #stored: () => ThemeChoice | undefined;

  /** `stored` gives the saved choice, or undefined while the settings are not read yet. */
  constructor(stored: () => ThemeChoice | undefined) {
    this.#stored = stored;
  }

  get choice(): ThemeChoice {
    return this.#stored() ?? this.#mirror;
  }
  get resolved(): Theme {
    return resolveTheme(this.choice, this.#systemDark);
  }

  /** Follows the system preference and the choice until the returned function is called. */
  apply(): () => void {
    const media = matchMedia(DARK_QUERY);
    const onChange = () => (this.#systemDark = media.matches);
    media.addEventListener('change', onChange);
    const stop = $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.theme = this.resolved;
      });
      $effect(() => {
        const stored = this.#stored();
        if (stored === undefined || stored === this.#mirror) return;
        this.#mirror = stored;
        try {
          localStorage.setItem(THEME_STORAGE_KEY, stored);
        } catch {
          // Storage blocked: the next start paints with the system theme until the settings are read.
        }
      });
    });
    return () => {
      media.removeEventListener('change', onChange);
      stop();
    };
  }
}
