// The unit tests `npm run mutate` runs against each mutant: only those that exercise the mutated
// code (speculative decoding, sampling, the model download and its verification), so the dry run
// and every mutant's run stay short. distribution.test.ts is left out: joint-distribution.test.ts
// checks the same property over a whole verify step in a fraction of the time. AIRGAP_MUTATION
// shrinks the randomised loops (see src/lib/test-scale.test-helpers.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __WEBLLM_VERSION__: '"mutation"' },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    exclude: ['src/lib/speculative/distribution.test.ts'],
    include: ['src/lib/speculative/**/*.test.ts', 'src/lib/sampling*.test.ts', 'src/lib/decoding.test.ts', 'src/lib/download/**/*.test.ts', 'src/engine/worker/store/**/*.test.ts'],
    environment: 'node',
    env: { AIRGAP_MUTATION: '1' },
    testTimeout: 60_000,
  },
});
