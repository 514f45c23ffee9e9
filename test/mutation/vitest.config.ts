// The unit tests `npm run mutate` runs against each mutant: only those that exercise the mutated
// code (speculative decoding, sampling, the model download and its verification), so the dry run
// and every mutant's run stay short. The long end-to-end suites (distribution, joint distribution,
// equality at temperature 0, KV invariants over many prompts) are left out: a mutant covered by
// them would run them all, and the unit tests beside each file check the same properties directly
// (accept.test.ts row by row, loop.test.ts, the drafter tests). So is sampling.test.ts, whose
// 152k-token rows take minutes instrumented; sampling-exact.test.ts covers the same rules on small
// rows built to hit every branch. `npm test` runs everything.
// AIRGAP_MUTATION shrinks the remaining randomised loops (test/fakes/test-scale.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __WEBLLM_VERSION__: '"mutation"' },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    exclude: [
      ...['distribution', 'joint-distribution', 'equality', 'invariants'].map((name) => `src/lib/speculative/${name}.test.ts`),
      'src/lib/sampling.test.ts',
    ],
    // AIRGAP_MUTATE_TESTS (comma-separated paths) narrows a run to the direct tests of one file, e.g.
    // sampling.ts, which every speculative test reaches through imports.
    include: process.env.AIRGAP_MUTATE_TESTS?.split(',') ?? [
      'src/lib/speculative/**/*.test.ts',
      'src/lib/sampling*.test.ts',
      'src/lib/decoding.test.ts',
      'src/lib/download/**/*.test.ts',
      'src/lib/bundle/*.test.ts',
      'src/engine/worker/model-files/**/*.test.ts',
      'src/lib/reference/cost-model.test.ts',
      'src/lib/context-fit.test.ts',
      'src/lib/conversation-*.test.ts',
      'src/lib/docs/*.test.ts',
    ],
    environment: 'node',
    env: { AIRGAP_MUTATION: '1' },
    testTimeout: 60_000,
  },
});
