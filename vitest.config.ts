import { defineConfig } from 'vitest/config';

// Tests under test/chaos (they need PostgreSQL) run only when named: `vitest run test/chaos/oracle`.
const chaosNamed = process.argv.some((arg) => arg.startsWith('test/chaos'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', ...(chaosNamed ? [] : ['test/chaos/**']), 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
