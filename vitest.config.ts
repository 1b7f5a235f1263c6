import { defineConfig } from 'vitest/config';

// Model-backed tests run a 1024² ISNet on CPU (seconds each); two forks match CI's two cores.
// Browser tests (tests/browser) drive Debian's Chromium; they skip when it is not installed.
export default defineConfig({
  // The frame's build-time constant, for frame modules imported by Node tests (never fetched there).
  define: { __ORT_WASM__: JSON.stringify({ file: 'ort-wasm-simd-threaded.jsep.wasm', bytes: 0, sha256: '' }) },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
