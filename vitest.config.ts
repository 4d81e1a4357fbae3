import { defineConfig } from 'vitest/config';
import { HeavyFirstSequencer } from './test/support/heavy-first-sequencer.js';

/**
 * Three layers, chosen by file name (docs/testing.md):
 * - unit        `*.test.ts`: no services, no child processes; the inner loop (`npm run test:unit`).
 * - integration `*.int.test.ts`: PGlite, server PostgreSQL, Redis, Chromium, child processes, CLI runs.
 * - e2e         `*.e2e.test.ts`: generated projects installed and run, the demo, corpus matrices.
 * `npm test` runs all three.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores: more workers only adds contention and timing noise.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The minutes-long files start first, so the short ones fill the other worker (test/support/heavy-first-sequencer.ts).
    sequence: { sequencer: HeavyFirstSequencer },
    // Files that start servers or load generators opt into sequential runs themselves.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          setupFiles: ['test/support/unit-guard.ts'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // Hang detectors, not speed checks. On a loaded 2-core machine (load average ~18) one CLI process
          // that only refuses its arguments took 22 s, and a PGlite directory's first start-up (~6 s of CPU)
          // over 30 s: tests that gave 30 or 60 s timed out. Tests that need longer still say so themselves.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          // As in integration: hang detectors for a loaded machine; the long tests give their own.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/global-setup.ts', 'test/support/e2e-setup.ts'],
        },
      },
    ],
  },
});
