import { readFileSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig, type Plugin } from 'vitest/config';
import { extraConnectSources, headerPolicy, metaPolicy } from './src/lib/csp';

const webllmVersion = (
  JSON.parse(readFileSync(new URL('./node_modules/@mlc-ai/web-llm/package.json', import.meta.url), 'utf8')) as { version: string }
).version;

// The engine worker's chunks are named worker-* so size checks can tell page code from worker code.
const WORKER_CHUNKS = 'assets/worker-[name]-[hash].js';
const MAX_PRECACHE_FILE_BYTES = 16 * 1024 * 1024;
const extraConnect = extraConnectSources(process.env.AIRGAP_CONNECT_SRC);

// The page carries its policy in index.html's <meta> tag (so any static host applies it); `vite
// preview` also sends it as headers, which reach what a meta tag cannot: workers, the service
// worker, frame-ancestors.
const cspMeta: Plugin = {
  name: 'airgap-csp-meta',
  transformIndexHtml: (html) => html.replace('%AIRGAP_CSP%', metaPolicy(extraConnect)),
};
const SECURITY_HEADERS = {
  'Content-Security-Policy': headerPolicy(extraConnect),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * src/boot.ts starts src/main.ts with a dynamic import after the static shell's first paint; this
 * adds modulepreload links for main.ts's chunk and its static imports to index.html, so the browser
 * fetches them in parallel with the stylesheet instead of after the first frame. It also marks the
 * tiny entry blocking="render": the stored theme is set before the first paint (no inline script: CSP).
 */
function preloadApp(entry = 'src/main.ts'): Plugin {
  return {
    name: 'airgap-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const main = chunks.find((c) => c.facadeModuleId?.endsWith(entry));
        if (!main) throw new Error(`preloadApp: no chunk for ${entry}`);
        const entries = new Set(chunks.filter((c) => c.isEntry).map((c) => c.fileName));
        const files = [main.fileName, ...main.imports].filter((f) => !entries.has(f));
        const tags = files.map((f) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` },
          injectTo: 'head' as const,
        }));
        const boot = /<script type="module" crossorigin src="[^"]+"><\/script>/;
        if (!boot.test(html)) throw new Error('preloadApp: no entry script in index.html');
        return { html: html.replace(boot, (tag) => tag.replace('<script ', '<script blocking="render" ')), tags };
      },
    },
  };
}

export default defineConfig({
  define: { __WEBLLM_VERSION__: JSON.stringify(webllmVersion) },
  plugins: [
    svelte(),
    preloadApp(),
    cspMeta,
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Airgap — private LLM chat',
        short_name: 'Airgap',
        description: 'A private LLM chat that runs entirely in your browser, on your GPU. Works offline after the first load.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#0f172a',
        theme_color: '#0f172a',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // woff2: KaTeX's fonts (browsers that run WebGPU all take woff2, so its woff/ttf copies stay out).
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm,woff2}'],
        // The engine worker chunk carries WebLLM (about 6 MB): it must be precached to work offline.
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: {
    format: 'es',
    rolldownOptions: { output: { entryFileNames: WORKER_CHUNKS, chunkFileNames: WORKER_CHUNKS } },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: SECURITY_HEADERS },
  test: {
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
