// Lint for the whole workspace (`npm run lint`, run by `npm test` after the typecheck).
// typescript-eslint's non-type-checked `recommended` everywhere (fast); Figma's official plugin rules,
// which need type information, on figma-plugin/src only (docs/style.md, "Official lint rules of the hosts").
import figmaPlugins from '@figma/eslint-plugin-figma-plugins';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', 'models/', 'scripts/reference/', 'out/', '.cache/', 'bench-results/', 'eval-results/']),
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    extends: [tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_` marks an intentionally unused parameter (the tsconfig's noUnusedParameters convention), and
      // `const { x: _x, ...rest } = o` is how the code omits a property.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Ambient globals are declared with `declare var`, as in TypeScript's own lib.dom.d.ts (a global `let`/`const` is not a property of globalThis).
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
  {
    // Test and bench harnesses reach untyped page globals across page.evaluate and fake host payloads;
    // production code (shared-core, packages, figma-plugin) keeps the rule.
    files: ['tests/**', 'scripts/**', 'tools/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['figma-plugin/src/**/*.{ts,tsx}'],
    extends: [figmaPlugins.flatConfigs.recommended],
    languageOptions: {
      parserOptions: { project: './figma-plugin/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
);
