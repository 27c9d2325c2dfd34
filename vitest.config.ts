import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Removes the temporary folders each test file made (test/helpers.ts temporaryFolder).
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    // Most tests spawn the built CLI and wait for it: two files at a time keep both cores busy.
    maxWorkers: 2,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run counts to print its `tests: N passed, N failed` line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
