import { defineConfig } from 'vitest/config';

/** End-to-end tests: the real UI in Chromium against the real engine (browser mode). Run after a build. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll waits for what the UI shows; the default (1 s) is too short for a frame on 2 busy cores
    expect: { poll: { timeout: 15_000 } },
  },
});
