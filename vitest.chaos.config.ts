import { defineConfig } from 'vitest/config';

/**
 * The chaos suite (`npm run test:chaos`): real processes, a Redis of each scenario's own, injected
 * faults. One file at a time, since every scenario loads the machine's two cores on its own.
 */
export default defineConfig({
  test: {
    // The oracle's own tests (it must be right before it judges closeloop), then the scenarios.
    include: ['test/chaos/oracle/**/*.test.ts', 'test/chaos/**/*.chaos.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    testTimeout: 1_200_000,
    hookTimeout: 120_000,
  },
});
