import { defineConfig } from 'vitest/config';

// Three projects (plain `vitest run` runs them all; `--project NAME` runs one):
//  - unit:    pure logic, fakes and the built plugin code; no ISNet model, no browser (well under a minute).
//             New files under tests/ land here; add model-backed ones to MODEL_TESTS.
//  - model:   Node tests that run the real prepared models (CLI, samples, variants, ORT-web in Node),
//             and other slow Node end-to-end tests (the scripts' command lines, a process per case).
//  - browser: tests/browser, driving Debian's Chromium.
// Model-backed tests run a 1024² ISNet on CPU (seconds each); two forks match CI's two cores.
// Model and browser suites skip when models/Chromium are missing, except in CI (CI or
// CUTOUT_REQUIRE_BROWSER set), where they fail with what is missing (tests/helpers/require.ts).
const MODEL_TESTS = [
  'tests/cli.test.ts',
  'tests/batch-pipeline.test.ts',
  'tests/model-variants.test.ts',
  'tests/pipeline-samples.test.ts',
  'tests/script-args-spawn.test.ts', // no model, but a tsx process per case (seconds each)
  'tests/web-runtime-node.test.ts',
  'tests/painted-refine.test.ts',
  'tests/eval-refine-edges.test.ts',
  'tests/models-add.test.ts', // no ISNet: tiny models it writes, but the built CLI in a process per command
];

export default defineConfig({
  // The frame's build-time constant, for frame modules imported by Node tests (never fetched there).
  define: {
    __ORT_WASM__: JSON.stringify({ file: 'ort-wasm-simd-threaded.jsep.wasm', bytes: 0, sha256: '' }),
    __ORT_WASM_PLAIN__: JSON.stringify({ file: 'ort-wasm-simd-threaded.wasm', bytes: 0, sha256: '' }),
  },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Each project inherits everything above (define, timeouts, pool) via `extends: true`; the
    // projects' includes cover tests/**/*.test.ts, each file in exactly one project.
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/*.test.ts'], exclude: MODEL_TESTS } },
      { extends: true, test: { name: 'model', include: MODEL_TESTS } },
      { extends: true, test: { name: 'browser', include: ['tests/browser/**/*.test.ts'] } },
    ],
  },
});
