// Sizes of the randomised tests. `npm run mutate` runs each test once per mutant against
// instrumented code that is many times slower, so there (AIRGAP_MUTATION set by its Vitest
// config) the loops shrink to a fiftieth; `npm test` runs them at full size. Thresholds that count
// events must scale with them.

const MUTATION_SCALE = 0.02;

// Stryker's Vitest runner does not pass the config's env through to import.meta.env: read both.
const processEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
export const underMutation = (): boolean =>
  Boolean(processEnv?.AIRGAP_MUTATION ?? (import.meta as ImportMeta & { env?: Record<string, unknown> }).env?.AIRGAP_MUTATION);

/** `n` in `npm test`, a fiftieth of it (at least 1) under mutation testing. */
export function scaled(n: number): number {
  return underMutation() ? Math.max(1, Math.round(n * MUTATION_SCALE)) : n;
}
