// Canva's official lint for the app (docs/style.md, "Official lint rules of the hosts"): @canva/app-eslint-plugin's
// `apps` config (= `apps_no_i18n` + `apps_i18n`, the formatjs rules for the react-intl strings), on src only.
// Run by `npm run lint` (the root script calls this workspace's `lint`) under canva-app's own ESLint 9
// (node_modules/eslint here): the plugin's peers need ESLint 9 (eslint-plugin-react 7 calls context.getFilename,
// gone in ESLint 10). It is not named eslint.config.mjs on purpose: the root's ESLint 10 looks up the nearest
// eslint.config.* from each linted file, and would load this one for canva-app/ and crash; the root's own
// config keeps linting canva-app/ with typescript-eslint's recommended rules as before.
// The two exceptions below live here, not in `eslint-disable` comments, because the root lint (which has neither
// rule, and reports unused disable directives) reads the same files.
import canva from '@canva/app-eslint-plugin';
import { defineConfig } from 'eslint/config';

export default defineConfig(
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [canva.configs.apps],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    // eslint-plugin-jest (in the config) otherwise looks for an installed Jest to learn its version; the
    // tests run on Vitest, outside src, so no jest rule ever fires here.
    settings: { jest: { version: 29 } },
  },
  {
    // Canva's starter kit leaves the ids out and has its webpack build inject content-hash ids
    // (@formatjs/ts-transformer, overrideIdFn '[sha512:contenthash:base64:6]'). This app's esbuild build
    // (scripts/build-canva.mjs) and the Vitest runs of its views have no such step, and react-intl throws on a
    // descriptor without an id, so the strings keep explicit ids until such a step exists.
    files: ['src/i18n/strings.ts'],
    rules: { 'formatjs/no-id': 'off' },
  },
  {
    // `log`, the app's one diagnostic sink (frame server, model and .wasm download, WebGPU probe), writes
    // prefixed info lines to the browser's console; no other console call is allowed anywhere in src.
    files: ['src/runtime/engine.ts'],
    rules: { 'no-console': ['error', { allow: ['info'] }] },
  },
);
