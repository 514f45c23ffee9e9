/* global matchMedia, document */
// Sets <html data-theme> before first paint from the choice the app mirrors into localStorage
// ("airgap:theme": system, light or dark). A classic blocking script in <head>, same origin, because
// the Content-Security-Policy forbids inline script. Mirrors resolveTheme in src/lib/theme.ts
// (src/lib/theme.test.ts runs this file and checks they agree). Without it, CSS follows the system.
(function () {
  var choice = 'system';
  try {
    choice = localStorage.getItem('airgap:theme') || 'system';
  } catch (e) {
    // Storage blocked: follow the system.
  }
  var dark = choice === 'dark' || (choice !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
})();
