import { defineConfig } from 'vitest/config';

/**
 * Two groups: everything, in parallel; then the hostile-input suite alone, because it bounds
 * each processor's wall time (10 s) and memory, which the other suites would share on CI's
 * two cores.
 */
const BOUNDED = ['src/main/processor/hostile-input.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: BOUNDED,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'bounded',
          include: BOUNDED,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
