import { defineConfig } from 'vitest/config';

// Model-backed tests run a 1024² ISNet on CPU (seconds each); two forks match CI's two cores.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
