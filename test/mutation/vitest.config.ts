// The unit tests `npm run mutate` runs against each mutant: only those that exercise the mutated
// code (speculative decoding, sampling, the model download and its verification), so the dry run
// and every mutant's run stay short.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __WEBLLM_VERSION__: '"mutation"' },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['src/lib/speculative/**/*.test.ts', 'src/lib/sampling.test.ts', 'src/lib/decoding.test.ts', 'src/lib/download/**/*.test.ts', 'src/engine/worker/store/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
