// `npm run bench`: measurements against the budgets in design.md. They print tables; they never
// fail on timing (speed is measured here, not asserted in tests).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __WEBLLM_VERSION__: '"bench"' },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/bench/**/*.run.ts'],
    environment: 'node',
    testTimeout: 600_000,
    fileParallelism: false,
  },
});
