import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', 'junit', 'json'] : ['default'],
    // npm test runs the fast suites in parallel, then the end-to-end suites one file at a time
    // (each starts a real livekit-server and agents: two cores cannot absorb them in parallel).
    outputFile: {
      junit: `test-results/junit-${process.env.LKDIAG_TEST_PART ?? 'all'}.xml`,
      json: `test-results/vitest-${process.env.LKDIAG_TEST_PART ?? 'all'}.json`,
    },
  },
});
