// The page's entry: paints the static shell from index.html (styled by global.css, which this entry
// links as render-blocking CSS) before any app code runs, then starts main.ts. main.ts is fetched in
// parallel from the start (a modulepreload link, see vite.config.ts); only its evaluation waits for
// the first frame, so the shell paints first on any connection and the app replaces it on mount.
import './app/global.css';

requestAnimationFrame(() => setTimeout(() => void import('./main')));
