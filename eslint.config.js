// Lint rules for the whole tree: ESLint's and typescript-eslint's recommended sets plus Svelte's, and the few
// choices below, each with its reason. Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here.
// Import boundaries between execution contexts are enforced by test/unit/boundaries.test.ts (it also checks
// cycles, file sizes and DOM use in lib/, which ESLint cannot express); `npm run lint` runs both.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import ts from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'playwright-report/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  svelte.configs.prettier,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are errors, except the `_`-prefixed ones a signature or destructuring has to name.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Type-only imports stay type-only (verbatimModuleSyntax), so a worker type never pulls worker code into the page.
      // `typeof import('…')` stays allowed: it names a lazily loaded module's type (vi.mock, the reference engine's chunk).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // `import { type A }` alone still emits `import './a'` under verbatimModuleSyntax; `import type` emits nothing.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // Maps and Sets in page state are immutable values replaced whole inside `$state.raw`; SvelteMap would be the other model.
      'svelte/prefer-svelte-reactivity': 'off',
      // Prettier wraps code at 140 columns but never comments; strings stay whole (greppable), so they may run on.
      // Stryker reads a disable directive and its reason from one line, so those comments may run long.
      'max-len': [
        'error',
        {
          code: 140,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
          ignorePattern: '^\\s*// Stryker disable',
        },
      ],
      // `==` only for the deliberate `== null` (null or undefined); everything else compares strictly.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.svelte'],
    // TypeScript (svelte-check and tsc, one tsconfig per execution context) already rejects undefined names, per context.
    rules: { 'no-undef': 'off' },
  },
  // The plain JavaScript files are Node scripts (this config, test tools): no type checker, so ESLint checks names.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
);
