import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Two cores: more workers only adds contention and timing noise.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files that start servers or load generators opt into sequential runs themselves.
  },
});
