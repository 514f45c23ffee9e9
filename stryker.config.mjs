// `npm run mutate`: mutation testing (StrykerJS) of speculative decoding, sampling, the model
// download/verify code, conversation import/export and document retrieval. Each mutant runs only the tests that cover
// it (perTest); reports land in reports/mutation (git-ignored). Not part of `npm test`: it takes minutes on two cores.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: true },
  mutate: [
    'src/lib/speculative/**/*.ts',
    '!src/lib/speculative/**/*.test.ts',
    'src/lib/sampling.ts',
    'src/lib/row-distribution.ts',
    'src/lib/context-fit.ts',
    'src/lib/download/*.ts',
    '!src/lib/download/*.test.ts',
    'src/engine/worker/model-files/downloader.ts',
    'src/engine/worker/model-files/fetch-file.ts',
    'src/engine/worker/model-files/download-progress.ts',
    // Model bundles: the archive format, the index check and the writer; the importer trusts nothing a bundle says.
    'src/lib/bundle/*.ts',
    '!src/lib/bundle/*.test.ts',
    '!src/lib/bundle/*-types.ts',
    // Conversation files in and out: the import validator trusts nothing a file says.
    'src/lib/conversation-import.ts',
    'src/lib/conversation-merge.ts',
    'src/lib/conversation-export.ts',
    'src/lib/conversation-search.ts',
    // Whether the browser would let the page reach a remote server (CSP source matching, mixed content).
    'src/lib/remote/connect-check.ts',
    // Remote servers: what is sent (the request body, the key's id), when to retry, and how a stream is read.
    'src/lib/remote/retry.ts',
    'src/lib/remote/chat-body.ts',
    'src/lib/remote/ids.ts',
    'src/lib/remote/reasoning-text.ts',
    'src/lib/remote/endpoint-settings.ts',
    'src/engine/worker/remote/openai-stream.ts',
    // Documents: splitting into passages, rank fusion, vector search, the sources prompt, citations.
    'src/lib/docs/*.ts',
    '!src/lib/docs/*.test.ts',
  ],
  coverageAnalysis: 'perTest',
  // Module-level constants (the exp table, bucket sizes) would rerun every test per mutant.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 5_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Reruns test only mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
