import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_PORT, PREVIEW_URL } from '../e2e/fixtures/browser';

// Browser measurements for `npm run bench` (they print figures; they assert no timings).
export default defineConfig({
  testDir: './browser',
  outputDir: '../../test-results/bench',
  timeout: 180_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: PREVIEW_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    serviceWorkers: 'allow',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PREVIEW_PORT} --strictPort`,
    cwd: '../..',
    url: PREVIEW_URL,
    reuseExistingServer: !process.env.CI,
  },
});
