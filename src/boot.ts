// The page's entry, render-blocking (blocking="render", added in vite.config.ts) and tiny: sets the
// stored theme on <html>, lets the static shell from index.html paint (styled by global.css, linked
// as this entry's CSS), and only then evaluates the app (main.ts), which is fetched in parallel from
// the start (a modulepreload link) and replaces the shell when it mounts.
import './app/global.css';
import { applyMirroredTheme } from './app/theme-dom';

applyMirroredTheme();
requestAnimationFrame(() => setTimeout(() => void import('./main')));
