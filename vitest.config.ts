import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers (Dovecot, Chromium, spoc itself); two cores cannot take many at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
