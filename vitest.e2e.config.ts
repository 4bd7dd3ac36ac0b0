import { defineConfig } from 'vitest/config';

/** End-to-end tests: the real UI in Chromium against the real engine (browser mode). Run after a build. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
