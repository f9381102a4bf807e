import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // End-to-end tests run the real CLI, several at a time on a 2-core machine: 5 s is too tight under load.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
