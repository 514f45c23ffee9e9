// The resolved colour theme on the page: the stored choice (or, until the settings are read, the
// localStorage mirror boot.ts painted with) and the live system preference. apply() keeps
// <html data-theme> on it and the mirror in step with the stored settings.

import { DARK_QUERY, resolveTheme, type Theme, type ThemeChoice } from '../../lib/theme';
import { readThemeMirror, setDocumentTheme, writeThemeMirror } from '../theme-dom';

export class ThemeState {
  #systemDark = $state(matchMedia(DARK_QUERY).matches);
  #mirror = readThemeMirror();
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
      $effect(() => setDocumentTheme(this.resolved));
      $effect(() => {
        const stored = this.#stored();
        if (stored === undefined || stored === this.#mirror) return;
        this.#mirror = stored;
        writeThemeMirror(stored);
      });
    });
    return () => {
      media.removeEventListener('change', onChange);
      stop();
    };
  }
}
